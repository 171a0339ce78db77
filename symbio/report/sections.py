"""The briefing's sections as plain data (already formatted strings), ready for the template.

Each ``*_section`` function takes result bundles and a language and returns dicts and lists
of strings; the template only lays them out. Nothing here is HTML: the template escapes
every string.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from symbio.flows.schema import Provenance, Scenario
from symbio.report.bundle import ResultBundle, kpi_rows
from symbio.report.figmap import built_ids, link_amounts, resource_name, site_name
from symbio.report.labels import (
    Lang,
    fmt_money,
    fmt_num,
    fmt_pct,
    higher_is_better,
    is_neutral,
    kpi_name,
    kpi_rank,
    species_name,
    t,
)
from symbio.report.scoreview import ScoreView, area_label, grade_label

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
        from symbio.report.figmap import _all_links

        links = {lk.id: lk for lk in _all_links(sc)}
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
    """:func:`build_list` with totals: ``rows``, ``capex``, ``annualised`` (formatted)."""
    rows = build_list(bundle, lang)
    capex = sum(r["capex_value"] for r in rows if math.isfinite(r["capex_value"]))
    annual = sum(r["annual_value"] for r in rows if math.isfinite(r["annual_value"]))
    return {"rows": rows, "capex": fmt_num(capex), "annualised": fmt_num(annual)}


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


def headline(bundle: ResultBundle, lang: Lang, view: ScoreView, builds: list[dict]) -> dict:
    """The cards and the one-sentence summary of the main scenario."""
    rows = kpi_rows(bundle)
    cards = []
    for key, kpi, money in (("card_cost", "total_cost_cny", True), ("card_co2", "co2_t", False),
                            ("card_energy", "energy_tce", False)):  # fmt: skip
        r = _row(rows, kpi)
        if r is None:
            continue
        saving = -r["change"]
        value = fmt_money(saving, lang) if money else f"{fmt_num(saving)} {_short_unit(r['unit'])}"
        cards.append({"label": t(key, lang), "value": value, "note": f"{fmt_pct(r['pct'])} {t('vs_baseline', lang)}",
                      "tone": _tone(kpi, r["change"])})  # fmt: skip
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
    return {"cards": cards, "sentence": _sentence(rows, lang, n_links, n_units, capex)}


def _short_unit(unit: str) -> str:
    return unit.removesuffix("/a")


def _sentence(rows: list[dict], lang: Lang, n_links: int, n_units: int, capex: float) -> str:
    cost, co2 = _row(rows, "total_cost_cny"), _row(rows, "co2_t")
    parts = []
    if lang == "zh":
        if cost:
            parts.append(
                f"与基准情景相比，优化方案每年节约成本 {fmt_money(-cost['change'], 'zh')}（{fmt_pct(cost['pct'])}）"
            )
        if co2:
            parts.append(f"减少 CO₂ 排放 {fmt_num(-co2['change'])} 吨/年（{fmt_pct(co2['pct'])}）")
        parts.append(f"需新建 {n_links} 条管线和 {n_units} 套装置，总投资 {fmt_money(capex, 'zh')}")
        return "，".join(parts) + "。"
    if cost:
        parts.append(
            f"Against the baseline, the optimized network saves {fmt_money(-cost['change'], 'en')} a year ({fmt_pct(cost['pct'])})"
        )
    if co2:
        parts.append(f"cuts CO2 by {fmt_num(-co2['change'])} t/a ({fmt_pct(co2['pct'])})")
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
        unit = next((p[k]["unit"] for p in per if k in p and p[k]["unit"]), "")
        cells = []
        for p in per:
            r = p.get(k)
            if r is None:
                cells.append({"baseline": "", "optimized": "", "change": "", "pct": "", "tone": ""})
                continue
            cells.append({"baseline": fmt_num(r["baseline"]), "optimized": fmt_num(r["optimized"]),
                          "change": fmt_num(r["change"]), "pct": fmt_pct(r["pct"]), "tone": _tone(k, r["change"])})  # fmt: skip
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
    return {
        "labels": list(labels),
        "same_baseline": same_base,
        "rows": [r for r in rows if r["changed"]],
        "unchanged": [r for r in rows if not r["changed"]],
    }


def _changed(row: dict) -> bool:
    b, c = row["baseline"], row["change"]
    if not (math.isfinite(b) and math.isfinite(c)):
        return math.isfinite(c) or math.isfinite(b) != math.isfinite(row["optimized"])
    return abs(c) > 1e-9 * max(1.0, abs(b))


def coreduction(bundles: Sequence[ResultBundle], lang: Lang) -> dict:
    """The MACC table rows (when a MAC curve was computed) and the Pareto points."""
    out: dict = {"macc": [], "pareto": []}
    macc = next((b.extras["macc"] for b in bundles if "macc" in b.extras), None)
    if macc is not None and not macc.empty:
        from symbio.report.figtradeoff import macc_columns

        cols = macc_columns(macc)
        if cols:
            ab, cost, name = cols
            for r in macc.to_dict("records"):
                extra = [f"{species_name(c.removeprefix('delta_'), lang)} {fmt_num(r[c])} t"
                         for c in macc.columns if c.startswith("delta_") and c != "delta_cost"
                         and c.removeprefix("delta_") in _species() and pd.notna(r[c])]  # fmt: skip
                out["macc"].append({"name": str(r.get(name, "")), "abatement": fmt_num(r.get(ab)),
                                    "cost": fmt_num(r.get(cost)),
                                    "delta_cost": fmt_num(r.get("delta_cost")) if "delta_cost" in r else "",
                                    "co": "; ".join(extra)})  # fmt: skip
    pareto = next((b.extras["pareto"] for b in bundles if "pareto" in b.extras), None)
    if pareto is not None and not pareto.empty:
        from symbio.report.figtradeoff import axis_label, pareto_axes

        axes = pareto_axes(pareto)
        if axes:
            out["pareto_head"] = [axis_label(axes[0], lang), axis_label(axes[1], lang)]
            records = pareto.to_dict("records")
            for i, (r, builds) in enumerate(zip(records, pareto_builds(pareto), strict=True)):
                out["pareto"].append({"point": str(r.get("point", i + 1)), "x": fmt_num(r[axes[0]]),
                                      "y": fmt_num(r[axes[1]]), "builds": builds})  # fmt: skip
    return out


def pareto_builds(pareto: pd.DataFrame) -> list[str]:
    """What each Pareto point builds: a ``builds`` column as given, or from ``build:<id>`` 0/1
    columns the first point's list and then the changes from the point before (``+a −b``)."""
    if "builds" in pareto.columns:
        return [str(v) if pd.notna(v) else "" for v in pareto["builds"]]
    cols = [c for c in pareto.columns if str(c).startswith("build:")]
    out, before = [], None
    for r in pareto[cols].to_dict("records"):
        now = {c.removeprefix("build:") for c, v in r.items() if pd.notna(v) and float(v) > 0.5}
        if before is None:
            out.append(", ".join(sorted(now)))
        else:
            diff = [f"+{x}" for x in sorted(now - before)] + [f"−{x}" for x in sorted(before - now)]
            out.append(" ".join(diff) or "=")
        before = now
    return out


def _species() -> set[str]:
    from symbio.flows.schema import SPECIES

    return set(SPECIES)


def scores(view: ScoreView, lang: Lang) -> dict:
    """Grade, overall score, area scores and weights, consistency of one result."""
    areas = []
    for a in dict.fromkeys([*view.area_weights, *view.areas]):
        areas.append({"name": area_label(a, lang), "weight": _dash(view.area_weights.get(a), 3),
                      "score": _dash(view.areas.get(a)), "baseline": _dash(view.baseline_areas.get(a))})  # fmt: skip
    indicators = []
    ind = view.indicators
    if not ind.empty and "indicator" in ind.columns:
        for r in ind.to_dict("records")[:40]:
            indicators.append({"id": str(r.get("indicator")), "area": area_label(str(r.get("area", "")), lang),
                               "value": _dash(r.get("value") if pd.notna(r.get("value")) else None),
                               "unit": str(r.get("unit", "") or "") if pd.notna(r.get("unit")) else "",
                               "weight": _dash(r.get("weight"), 3)})  # fmt: skip
    cons = [{"node": area_label(str(c.get("node", "")), lang) if c.get("node") != "goal" else t("goal", lang),
             "cr": fmt_num(c.get("cr"), 3),
             "ok": "✓" if c.get("consistent", (c.get("cr") or 1) < 0.1) else "✗"} for c in view.consistency[:12]]  # fmt: skip
    return {"grade": grade_label(view.grade, lang), "score": fmt_num(view.score) if view.score is not None else "",
            "grade_max": grade_label(view.grade_max, lang) if view.grade_max and view.grade_max != view.grade else "",
            "baseline_grade": grade_label(view.baseline_grade, lang), "rating": str(view.rating or ""),
            "areas": areas, "indicators": indicators, "consistency": cons,
            "notes": [_note(n, lang) for n in view.notes]}  # fmt: skip


def _dash(v: object, digits: int = 4) -> str:
    return "–" if v is None else fmt_num(v, digits)


def _note(note: str, lang: Lang) -> str:
    if lang == "zh" and "ILLUSTRATIVE" in note:
        return "权重来自示例性的专家判断（非调查数据），仅供演示。" + f"（{note}）"
    return note


def factors_used(bundle: ResultBundle) -> list[dict]:
    """Factors the scenario took from its factor set (value, unit, source), once each."""
    uses = bundle.summary.get("factors")
    if not isinstance(uses, list) and bundle.scenario is not None:
        from symbio.flows.load import scenario_origin

        uses = scenario_origin(bundle.scenario).get("factors")
    out: dict[str, dict] = {}
    for u in uses or []:
        if isinstance(u, dict) and u.get("factor") and u["factor"] not in out:
            per = f"/{u['per']}" if u.get("per") else ""
            out[str(u["factor"])] = {"factor": str(u["factor"]), "value": f"{fmt_num(u.get('value'))}{per}",
                                     "set": str(u.get("factor_set", "")), "source": str(u.get("source", ""))}  # fmt: skip
    return list(out.values())


def provenance(sc: Scenario | None, lang: Lang) -> dict:
    """Share of the scenario's numbers (or records) that rest on estimates, by section."""
    if sc is None:
        return {}
    try:
        from symbio.flows.provenance import provenance_summary

        summary = provenance_summary(sc)
        rows = []
        for section, counts in summary["by_section"].items():
            n = sum(counts.values())
            if n:
                rows.append({"table": t(f"sec_{section}", lang), "n": str(n), "estimate": str(counts.get("estimate", 0)),
                             "source": str(counts.get("source", 0) + counts.get("factor", 0)),
                             "none": str(counts.get("none", 0)),
                             "share": fmt_pct(counts.get("estimate", 0) / n * 100, signed=False)})  # fmt: skip
        return {"share": fmt_pct(summary["shares"]["estimate"] * 100, signed=False), "rows": rows,
                "counted": "numbers", "unsourced": len(summary.get("unsourced", []))}  # fmt: skip
    except ImportError:  # pragma: no cover - provenance_summary ships with symbio.flows
        return _record_provenance(sc, lang)


def _record_provenance(sc: Scenario, lang: Lang) -> dict:
    """Fallback: count records (not numbers) with ``estimate:`` / ``source:``."""
    rows, tot_n, tot_e = [], 0, 0
    for section in (
        "resources",
        "sites",
        "processes",
        "links",
        "candidate_links",
        "markets",
        "disposal",
    ):
        recs: list[Provenance] = list(getattr(sc, section))
        if section == "sites":
            recs += [f for s in sc.sites for f in (*s.supplies, *s.demands)]
        n = len(recs)
        e = sum(1 for r in recs if r.estimate)
        s = sum(1 for r in recs if r.source and not r.estimate)
        if n:
            rows.append({"table": t(f"sec_{section}", lang), "n": str(n), "estimate": str(e), "source": str(s), "none": str(n - e - s),
                         "share": fmt_pct(e / n * 100, signed=False)})  # fmt: skip
        tot_n, tot_e = tot_n + n, tot_e + e
    return {
        "share": fmt_pct(tot_e / tot_n * 100 if tot_n else 0, signed=False),
        "rows": rows,
        "counted": "records",
    }


CASES = ("optimized", "baseline")


def _per_case(value: object) -> dict[str, object]:
    """``{case: value}`` whether the summary gives one value or one per case."""
    if isinstance(value, dict) and value and set(value) <= {*CASES, "index"}:
        return {c: value[c] for c in CASES if c in value}
    return {"optimized": value}


def _gap(v: object) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
        return f"{fmt_num(float(v) * 100, 3)}%"
    return "–"


def solver(bundle: ResultBundle, label: str, lang: Lang) -> dict:
    """Solver status, gap and time (optimized case; baseline in brackets) and provenance."""
    s = bundle.summary
    sol = s.get("solver") if isinstance(s.get("solver"), dict) else {}
    sc = s.get("scenario") if isinstance(s.get("scenario"), dict) else {}
    status, gap, secs = (
        _per_case(sol.get("status", s.get("status"))),
        _per_case(sol.get("gap")),
        _per_case(sol.get("seconds")),
    )
    timings = _per_case(s.get("timings")).get("optimized")
    base = t("baseline", lang)

    def both(values: dict, fmt: object) -> str:
        text = fmt(values.get("optimized"))  # type: ignore[operator]
        if "baseline" in values:
            text += f" ({base}: {fmt(values['baseline'])})"  # type: ignore[operator]
        return text

    overall = str(s.get("status", status.get("optimized", "")))
    return {
        "label": label,
        "status": both(status, str) if len(status) > 1 else overall,
        "solver": " ".join(str(x) for x in (sol.get("name"), sol.get("version")) if x),
        "gap": both(gap, _gap),
        "seconds": both(secs, fmt_num),
        "timings": ", ".join(f"{k} {fmt_num(v)}" for k, v in timings.items())
        if isinstance(timings, dict)
        else "",
        "file": str(sc.get("file", "")),
        "sha256": str(sc.get("sha256", "")),
        "version": str(s.get("symbio_version", "")),
        "ok": overall.lower() in {"optimal", "ok"},
        "message": str(s.get("message", "")) if s.get("message") != s.get("status") else "",
    }


def _slice_name(ts: object, lang: Lang) -> str:
    name = getattr(ts, "name", None)
    if name is None:
        return str(getattr(ts, "id", ""))
    return (name.zh or name.en) if lang == "zh" else name.en


def objective_name(obj: str, lang: Lang) -> str:
    """Display name of an objective (``cost``, ``energy``, ``co2`` or a species)."""
    kpi = {"cost": "total_cost_cny", "energy": "energy_tce", "co2": "co2_t"}.get(obj)
    return kpi_name(kpi, lang) if kpi else species_name(obj, lang)


def assumptions(sc: Scenario | None, lang: Lang) -> list[str]:
    """Policy and accounting choices the numbers rest on, as sentences."""
    zh = lang == "zh"
    out = [
        "节约量均相对同一情景的基准方案（仅现有管线与装置）计算。" if zh else
        "Savings are always against the baseline of the same scenario (existing links and units only).",
        "投资按资本回收系数年化计入年度成本。" if zh else
        "Capex is annualised with the capital recovery factor (discount rate, lifetime).",
    ]  # fmt: skip
    if sc is None:
        return out
    p = sc.policy
    if zh:
        out.append(
            f"碳价 {fmt_num(p.carbon_price_cny_t)} 元/吨 CO₂；折现率 {fmt_pct(p.discount_rate * 100, False)}；排放因子集 {p.factor_set}。"
        )
    else:
        out.append(f"Carbon price {fmt_num(p.carbon_price_cny_t)} CNY/t CO2; discount rate "
                   f"{fmt_pct(p.discount_rate * 100, False)}; emission factor set {p.factor_set}.")  # fmt: skip
    if p.caps:
        caps = ", ".join(f"{species_name(k, lang) if k != 'energy_tce' else kpi_name(k, lang)} ≤ {fmt_num(v)}"
                         for k, v in p.caps.items())  # fmt: skip
        out.append(("排放/能耗上限：" if zh else "Caps per year: ") + caps)
    slices = ", ".join(f"{_slice_name(ts, lang)} {fmt_num(ts.hours)} h" for ts in sc.time_slices)
    out.append(("时段：" if zh else "Time slices: ") + slices)
    obj = sc.objective
    if obj.weights:
        target = ", ".join(
            f"{objective_name(k, lang)} × {fmt_num(v)}" for k, v in obj.weights.items()
        )
    else:
        target = objective_name(obj.minimize, lang)
    out.append(("优化目标：最小化 " if zh else "Objective: minimise ") + target)
    if sc.description:
        out.append(sc.description.strip())
    return out
