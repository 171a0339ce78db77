"""The briefing's sections as plain data (already formatted strings), ready for the template.

Each ``*_section`` function takes result bundles and a language and returns dicts and lists
of strings; the template only lays them out. Nothing here is HTML: the template escapes
every string.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from symbio.flows.schema import Scenario
from symbio.report.bundle import ResultBundle, kpi_rows
from symbio.report.figures.built import all_links, built_ids, link_amounts
from symbio.report.figures.names import resource_name, site_name
from symbio.report.labels import (
    Lang,
    fmt_change_pct,
    fmt_money,
    fmt_num,
    fmt_pct,
    fmt_scaled,
    higher_is_better,
    is_neutral,
    kpi_name,
    kpi_rank,
    scale_for,
    t,
    unit_label,
)
from symbio.report.scoreview import ScoreView, grade_label

#: Scenarios per comparison table: three fit 1280 px and an A4 page with their columns.
GROUP = 3
#: Columns of builds.csv holding the annualised cost (capex x CRF + fixed O&M), first found wins.
ANNUALISED_COLUMNS = ("annualised_cny", "annualised_cost_cny_a", "annualised_capex_cny_a")


def _resource_names(sc: Scenario | None) -> dict[str, tuple[str, str]] | None:
    return {r.id: (r.name.en, r.name.zh or r.name.en) for r in sc.resources} if sc else None


def _row(rows: list[dict], kpi: str) -> dict | None:
    return next((r for r in rows if r["kpi"] == kpi), None)


def _tone(kpi: str, change: float) -> str:
    if not math.isfinite(change) or change == 0 or is_neutral(kpi):
        return ""
    return "good" if (change > 0) == higher_is_better(kpi) else "bad"


def build_list(bundle: ResultBundle, lang: Lang) -> list[dict]:
    """Links and units built in the optimized case, with cost and what they carry."""
    sc = bundle.scenario
    builds = bundle.table("builds")
    out: list[dict] = []
    if builds.empty:
        return out
    links = {}
    if sc is not None:
        links = {lk.id: lk for lk in all_links(sc)}
    procs = {p.id: p for p in sc.processes} if sc else {}
    amounts = link_amounts(bundle.table("flows"), "optimized")
    activity = _activity(bundle.table("process_activity"))
    measure_of = _measures(sc, lang)
    costs = _cost_columns(builds)
    existing = {k for k, lk in links.items() if not lk.candidate} | {
        k for k, p in procs.items() if not p.candidate
    }
    for kind in ("link", "process"):
        for bid in sorted(built_ids(builds, "optimized", kind) - existing):
            capex, annual = costs.get((kind, bid), (math.nan, math.nan))
            item = {
                "kind": t(kind, lang),
                "id": bid,
                "capex": fmt_num(capex),
                "annualised": fmt_num(annual),
            }
            item.update(
                capex_value=capex, annual_value=annual, measure=measure_for(bid, measure_of)
            )
            if kind == "link" and bid in links:
                lk = links[bid]
                unit = sc.resource(lk.resource).unit if sc else ""
                item["what"] = resource_name(sc, lk.resource, lang)
                item["where"] = f"{site_name(sc, lk.from_, lang)} → {site_name(sc, lk.to, lang)}"  # type: ignore[arg-type]
                if lk.length_km:
                    item["where"] += f" ({fmt_num(lk.length_km)} km)"
                item["carried"] = f"{fmt_num(amounts.get(bid, 0.0))} {unit}"
            elif kind == "process" and bid in procs:
                p = procs[bid]
                name = ((p.name.zh or p.name.en) if lang == "zh" else p.name.en) if p.name else bid
                item["what"] = name
                item["where"] = site_name(sc, p.site, lang)  # type: ignore[arg-type]
                if bid in activity:
                    item["carried"] = f"{fmt_num(activity[bid])} {p.activity_unit}"
            out.append(item)
    return out


def build_table(bundle: ResultBundle, lang: Lang) -> dict:
    """:func:`build_list` with totals: ``rows``, ``capex``, ``annualised`` (formatted) and the
    column headers; the money columns are in one scale each (万元/亿元, M/bn CNY) set by the total.
    """
    rows = build_list(bundle, lang)
    capex = sum(r["capex_value"] for r in rows if math.isfinite(r["capex_value"]))
    annual = sum(r["annual_value"] for r in rows if math.isfinite(r["annual_value"]))
    capex_scale, annual_scale = scale_for("CNY", capex, lang), scale_for("CNY/a", annual, lang)
    for r in rows:
        r["capex"] = fmt_scaled(r["capex_value"], capex_scale)
        r["annualised"] = fmt_scaled(r["annual_value"], annual_scale)
    word = {"zh": ("投资", "年化成本"), "en": ("Capex", "Annualised cost")}[lang]
    return {
        "rows": rows,
        "capex": fmt_scaled(capex, capex_scale),
        "annualised": fmt_scaled(annual, annual_scale),
        "capex_head": f"{word[0]} ({capex_scale.unit})",
        "annualised_head": f"{word[1]} ({annual_scale.unit})",
    }


def _activity(df: pd.DataFrame) -> dict[str, float]:
    if df.empty:
        return {}
    col = next((c for c in ("activity", "amount", "value") if c in df.columns), None)
    pid = next((c for c in ("process", "id") if c in df.columns), None)
    if col is None or pid is None:
        return {}
    if "case" in df.columns:
        df = df[df["case"].astype(str) == "optimized"]
    return {str(k): float(v) for k, v in df.groupby(pid)[col].sum().items()}


def _cost_columns(builds: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    b = builds
    if "case" in b.columns:
        b = b[b["case"].astype(str) == "optimized"]
    annual_col = next((c for c in ANNUALISED_COLUMNS if c in b.columns), None)
    out = {}
    for r in b.to_dict("records"):
        capex = pd.to_numeric(r.get("capex_cny"), errors="coerce")
        annual = pd.to_numeric(r.get(annual_col), errors="coerce") if annual_col else float("nan")
        out[(str(r.get("kind")), str(r.get("id")))] = (float(capex), float(annual))
    return out


def _measures(sc: Scenario | None, lang: Lang) -> dict[str, str]:
    """Link/process/generator id -> display name of the measure it belongs to."""
    out: dict[str, str] = {}
    if sc is None:
        return out
    for m in sc.measures:
        name = (m.name.zh or m.name.en) if lang == "zh" else m.name.en
        for member in m.members:
            out[member] = name
    return out


def measure_for(bid: str, measure_of: dict[str, str]) -> str:
    """Measure of a built item; a generated link ``gen.from.to`` belongs to its generator's."""
    return measure_of.get(bid) or measure_of.get(bid.split(".")[0], "")


def headline(
    bundle: ResultBundle,
    lang: Lang,
    view: ScoreView,
    builds: list[dict],
    rounded: dict[str, str] | None = None,
) -> dict:
    """The cards and the one-sentence summary of the main scenario.

    ``rounded`` (KPI → formatted number) replaces the savings in the sentence, e.g. by
    values rounded to what their uncertainty supports.
    """
    rows = kpi_rows(bundle)
    cards = []
    for key, kpi, money in (("card_cost", "total_cost_cny", True), ("card_co2", "co2_t", False),
                            ("card_energy", "energy_tce", False)):  # fmt: skip
        r = _row(rows, kpi)
        if r is None:
            continue
        saving = -r["change"]
        scale = scale_for(_short_unit(r["unit"]), saving, lang)
        value = fmt_money(saving, lang) if money else f"{fmt_scaled(saving, scale)} {scale.unit}"
        cards.append({"label": t(key, lang), "value": value, "note": f"{fmt_pct(r['pct'])} {t('vs_baseline', lang)}",
                      "tone": _tone(kpi, r["change"]), "kpi": kpi})  # fmt: skip
    n_links = sum(1 for b in builds if b["kind"] == t("link", lang))
    n_units = len(builds) - n_links
    capex = sum(b["capex_value"] for b in builds if math.isfinite(b["capex_value"]))
    count = (f"{n_links} 条 + {n_units} 套" if lang == "zh" else
             f"{n_links} link{'s' * (n_links != 1)} + {n_units} unit{'s' * (n_units != 1)}")  # fmt: skip
    cards.append({"label": t("card_links", lang), "value": count,
                  "note": f"{t('card_capex', lang)} {fmt_money(capex, lang)}", "tone": ""})  # fmt: skip
    if view.grade:
        note = grade_label(view.grade, lang)
        if view.score is not None:
            note += f"; {t('score', lang)} {fmt_num(view.score)}"
        if view.baseline_grade:
            note += (
                f" ({t('baseline', lang)}: {grade_label(view.baseline_grade, lang, short=True)})"
            )
        cards.append({"label": t("card_grade", lang), "value": grade_label(view.grade, lang, short=True),
                      "note": note, "tone": ""})  # fmt: skip
    return {
        "cards": cards,
        "sentence": _sentence(rows, lang, n_links, n_units, capex, rounded or {}),
    }


def _short_unit(unit: str) -> str:
    return unit.removesuffix("/a")


def _sentence(
    rows: list[dict], lang: Lang, n_links: int, n_units: int, capex: float, rounded: dict
) -> str:
    cost, co2 = _row(rows, "total_cost_cny"), _row(rows, "co2_t")
    cost_text = rounded.get("total_cost_cny") or (cost and fmt_money(-cost["change"], lang))
    co2_text = rounded.get("co2_t") or (co2 and fmt_num(-co2["change"]))
    parts = []
    if lang == "zh":
        if cost:
            parts.append(
                f"与基准情景相比，优化方案每年节约成本 {cost_text}（{fmt_pct(cost['pct'])}）"
            )
        if co2:
            parts.append(f"减少 CO₂ 排放 {co2_text} 吨/年（{fmt_pct(co2['pct'])}）")
        parts.append(f"需新建 {n_links} 条管线和 {n_units} 套装置，总投资 {fmt_money(capex, 'zh')}")
        return "，".join(parts) + "。"
    if cost:
        parts.append(
            f"Against the baseline, the optimized network saves {cost_text} a year ({fmt_pct(cost['pct'])})"
        )
    if co2:
        parts.append(f"cuts CO2 by {co2_text} t/a ({fmt_pct(co2['pct'])})")
    parts.append(
        f"and needs {n_links} new links and {n_units} new units for {fmt_money(capex, 'en')} of investment"
    )
    return ", ".join(parts) + "."


def comparison(bundles: Sequence[ResultBundle], labels: Sequence[str], lang: Lang) -> dict:
    """Baseline vs options: one row per KPI; one baseline column when all baselines agree."""
    per = [{r["kpi"]: r for r in kpi_rows(b)} for b in bundles]
    kpis = sorted(dict.fromkeys(k for p in per for k in p), key=kpi_rank)
    same_base = all(
        math.isclose(p[k]["baseline"], per[0][k]["baseline"], rel_tol=1e-9, abs_tol=1e-9)
        for p in per[1:]
        for k in p
        if k in per[0] and math.isfinite(p[k]["baseline"]) and math.isfinite(per[0][k]["baseline"])
    )
    names = _resource_names(bundles[0].scenario)
    rows = []
    for k in kpis:
        raw_unit = next((p[k]["unit"] for p in per if k in p and p[k]["unit"]), "")
        found = [p[k] for p in per if k in p]
        scale = scale_for(raw_unit, [r[c] for r in found for c in ("baseline", "optimized")], lang)
        unit = scale.unit if scale.family != "other" else unit_label(raw_unit, lang)
        cells = []
        for p in per:
            r = p.get(k)
            if r is None:
                cells.append({"baseline": "", "optimized": "", "change": "", "pct": "", "tone": ""})
                continue
            cells.append({"baseline": fmt_scaled(r["baseline"], scale),
                          "optimized": fmt_scaled(r["optimized"], scale),
                          "change": fmt_scaled(r["change"], scale, signed=True),
                          "pct": fmt_change_pct(r["change"], r["pct"], scale, lang),
                          "tone": _tone(k, r["change"])})  # fmt: skip
        changed = any(_changed(p[k]) for p in per if k in p)
        rows.append(
            {
                "name": kpi_name(k, lang, names),
                "kpi": k,
                "unit": unit,
                "cells": cells,
                "changed": changed,
            }
        )
    n = len(labels)
    return {
        "labels": list(labels),
        "groups": [list(range(i, min(i + GROUP, n))) for i in range(0, n, GROUP)],
        "same_baseline": same_base,
        "rows": [r for r in rows if r["changed"]],
        "unchanged": [r for r in rows if not r["changed"]],
    }


def _changed(row: dict) -> bool:
    b, c = row["baseline"], row["change"]
    if not (math.isfinite(b) and math.isfinite(c)):
        return math.isfinite(c) or math.isfinite(b) != math.isfinite(row["optimized"])
    return abs(c) > 1e-9 * max(1.0, abs(b))
