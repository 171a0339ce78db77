"""The briefing's later sections as plain data: co-reduction, scores, provenance, solver, assumptions.

Like :mod:`symbio.report.html.sections`, every value is an already formatted string; the template
escapes and lays them out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import pandas as pd

from symbio.flows.schema import RECORD_FAMILIES, Provenance, Scenario
from symbio.model.kpis import CRITERION_KPI
from symbio.report.bundle import ResultBundle
from symbio.report.figures.names import localise_measures
from symbio.report.labels import (
    PHASE_NAMES,
    SLICE_NAMES,
    UNIT_NAMES,
    Lang,
    fmt_num,
    fmt_pct,
    fmt_scaled,
    kpi_name,
    pick,
    scale_for,
    species_name,
    status_name,
    t,
    unit_label,
)
from symbio.report.scoreview import ScoreView, area_label, grade_label


def coreduction(bundles: Sequence[ResultBundle], lang: Lang) -> dict:
    """The MACC table rows (when a MAC curve was computed) and the Pareto points."""
    out: dict = {"macc": [], "pareto": []}
    macc = next((b.extras["macc"] for b in bundles if "macc" in b.extras), None)
    macc = localise_measures(macc, bundles[0].scenario if bundles else None, lang)
    sc = bundles[0].scenario if bundles else None
    known = {m.id for m in sc.measures} | {"optimum"} if sc is not None else set()
    if macc is not None and not macc.empty:
        from symbio.report.figures.tradeoff import macc_columns

        cols = macc_columns(macc)
        if cols:
            ab, cost, name = cols
            for r in macc.to_dict("records"):
                extra = [f"{species_name(c.removeprefix('delta_'), lang)} {fmt_scaled(r[c], scale_for('t', r[c], lang))} {scale_for('t', r[c], lang).unit}"
                         for c in macc.columns if c.startswith("delta_") and c != "delta_cost"
                         and c.removeprefix("delta_") in _species() and pd.notna(r[c])]  # fmt: skip
                out["macc"].append({"name": str(r.get(name, "")), "known": str(r.get("measure")) in known,
                                    "abatement": fmt_num(r.get(ab)),
                                    "cost": fmt_num(r.get(cost)),
                                    "delta_cost": fmt_num(r.get("delta_cost")) if "delta_cost" in r else "",
                                    "co": "; ".join(extra)})  # fmt: skip
    pareto = next((b.extras["pareto"] for b in bundles if "pareto" in b.extras), None)
    if pareto is not None and not pareto.empty:
        from symbio.report.figures.tradeoff import axis_label, pareto_axes

        axes = pareto_axes(pareto)
        if axes:
            out["pareto_head"] = [axis_label(axes[0], lang), axis_label(axes[1], lang)]
            records = pareto.to_dict("records")
            names = _candidate_names(bundles[0].scenario if bundles else None, lang)
            for i, (r, builds) in enumerate(
                zip(records, pareto_builds(pareto, names), strict=True)
            ):
                out["pareto"].append({"point": str(r.get("point", i + 1)), "x": fmt_num(r[axes[0]]),
                                      "y": fmt_num(r[axes[1]]), "builds": builds})  # fmt: skip
    return out


def _candidate_names(scenario: Scenario | None, lang: Lang) -> dict[str, str]:
    """Display names of candidate processes (by id); links keep their ids (they name both ends)."""
    if scenario is None:
        return {}
    out = {}
    for p in scenario.processes:
        if p.candidate and p.name is not None:
            out[p.id] = (p.name.zh or p.name.en) if lang == "zh" else p.name.en
    return out


def pareto_builds(pareto: pd.DataFrame, names: dict[str, str] | None = None) -> list[str]:
    """What each Pareto point builds: a ``builds`` column as given, or from ``build:<id>`` 0/1
    columns the first point's list and then the changes from the point before (``+a −b``);
    ids found in ``names`` are shown by name."""
    names = names or {}
    if "builds" in pareto.columns:
        return [str(v) if pd.notna(v) else "" for v in pareto["builds"]]
    cols = [c for c in pareto.columns if str(c).startswith("build:")]
    out, before = [], None
    for r in pareto[cols].to_dict("records"):
        now = {
            names.get(c.removeprefix("build:"), c.removeprefix("build:"))
            for c, v in r.items()
            if pd.notna(v) and float(v) > 0.5
        }
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
            indicators.append({"id": indicator_name(str(r.get("indicator")), lang), "area": area_label(str(r.get("area", "")), lang),
                               "value": _dash(r.get("value") if pd.notna(r.get("value")) else None),
                               "unit": ratio_unit(str(r.get("unit", "") or ""), lang) if pd.notna(r.get("unit")) else "",
                               "weight": _dash(r.get("weight"), 3)})  # fmt: skip
    cons = [{"node": area_label(str(c.get("node", "")), lang) if c.get("node") != "goal" else t("goal", lang),
             "cr": fmt_num(c.get("cr"), 3),
             "ok": "✓" if c.get("consistent", (c.get("cr") or 1) < 0.1) else "✗"} for c in view.consistency[:12]]  # fmt: skip
    return {"grade": grade_label(view.grade, lang), "score": fmt_num(view.score) if view.score is not None else "",
            "rule": view.rule.get(lang, ""),
            "membership": " · ".join(f"{grade_label(g, lang, short=True)} {fmt_num(m, 2)}"
                                     for g, m in view.membership.items()),
            "baseline_grade": grade_label(view.baseline_grade, lang), "rating": str(view.rating or ""),
            "areas": areas, "indicators": indicators, "consistency": cons,
            "notes": [_note(n, lang) for n in view.notes]}  # fmt: skip


def _dash(v: object, digits: int = 4) -> str:
    return "–" if v is None else fmt_num(v, digits)


def _note(note: str, lang: Lang) -> str:
    if lang == "zh" and "ILLUSTRATIVE" in note:
        return "权重来自示例性的专家判断（非调查数据），仅供演示。"
    return note


@cache
def indicator_names() -> dict[str, tuple[str, str]]:
    """(en, zh) names of the bundled library's indicators, by id (empty if it cannot be read)."""
    from symbio.paths import data_dir
    from symbio.scoring.indicator_files import LibraryError, load_library

    try:
        library = load_library(data_dir() / "indicators")
    except (LibraryError, OSError):
        return {}
    return {ind.id: (ind.name_en, ind.name_zh) for ind in library}


def indicator_name(indicator: str, lang: Lang) -> str:
    """Display name of a cleaner-production indicator (the id when the library has none)."""
    return pick(indicator_names().get(indicator), lang, indicator)


#: Parts of indicator units -> Chinese (``tCO2/1e4 CNY`` -> ``吨CO₂/万元``).
_UNIT_PARTS_ZH = (("1e8 CNY", "亿元"), ("1e4 CNY", "万元"), ("1e4CNY", "万元"), ("tCO2", "吨CO₂"), ("tce", "吨标准煤"),
                  ("km2", "平方公里"), ("m3", "立方米"), ("kg", "千克"), ("%/a", "%/年"))  # fmt: skip


def ratio_unit(unit: str, lang: Lang) -> str:
    """An indicator's unit in ``lang`` (the library spells them in English symbols)."""
    if lang != "zh" or unit in UNIT_NAMES:
        return unit_label(unit, lang)
    for en, zh in _UNIT_PARTS_ZH:
        unit = unit.replace(en, zh)
    return "吨" + unit[1:] if unit.startswith("t/") else unit


def _factor_unit(factor: str) -> str:
    """What a factor counts, from its id: ``*_tce`` tce, ``*_co2`` t CO2 (else nothing)."""
    for suffix, unit in (("_tce", "tce"), ("_co2", "t CO₂"), ("_ch4", "t CH₄"), ("_n2o", "t N₂O")):
        if factor.endswith(suffix):
            return unit
    return ""


def factors_used(bundle: ResultBundle) -> list[dict]:
    """Factors the scenario took from its factor set (value, unit, source), once each."""
    uses = bundle.summary.get("factors")
    if not isinstance(uses, list) and bundle.scenario is not None:
        from symbio.flows.load import scenario_origin

        uses = scenario_origin(bundle.scenario).get("factors")
    out: dict[str, dict] = {}
    for u in uses or []:
        if isinstance(u, dict) and u.get("factor") and u["factor"] not in out:
            unit = u.get("unit") or (
                f"{_factor_unit(str(u['factor']))}/{u['per']}" if u.get("per") else ""
            )
            per = f" {unit}" if unit else ""
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
    for section in RECORD_FAMILIES[:7]:  # the data families, without slices and measures
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


def _secs(v: object) -> str:
    """Seconds to the millisecond (a committee needs no more)."""
    if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
        return f"{v:,.3f}" if v < 100 else f"{v:,.0f}"
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

    def stat(v: object) -> str:
        return status_name(str(v), lang)

    return {
        "label": label,
        "status": both(status, stat) if len(status) > 1 else stat(overall),
        "solver": " ".join(str(x) for x in (sol.get("name"), sol.get("version")) if x),
        "gap": both(gap, _gap),
        "seconds": both(secs, _secs),
        "timings": ("，" if lang == "zh" else ", ").join(
            f"{pick(PHASE_NAMES.get(k), lang, k)} {_secs(v)}" for k, v in timings.items()
        )
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
        sid = str(getattr(ts, "id", ""))
        return pick(SLICE_NAMES.get(sid), lang, sid)
    return (name.zh or name.en) if lang == "zh" else name.en


def objective_name(obj: str, lang: Lang) -> str:
    """Display name of an objective (``cost``, ``energy``, ``co2`` or a species)."""
    kpi = CRITERION_KPI.get(obj)
    return kpi_name(kpi, lang) if kpi else species_name(obj, lang)


def glossary(lang: Lang) -> list[str]:
    """Definitions a reader needs to read the exchange figures (docs/formulation.md)."""
    if lang == "zh":
        return [
            "交换量：一家企业（或公用工程、处理设施）向另一家实际净输送的量，按每对单位、每个时段"
            "取净值；经过蒸汽/水/氢气管网汇管（枢纽）的量按比例归于其来源，不重复计算，"
            "送出又返回本单位的量不计。桑基图中的单位间流量与此相同。",
            "流量为规范形式：在目标值不变的最优解中取输送量最少者，因此不含可以取消的环流。"
            "每次计算均自检（平衡、容量、质量、上限、指标加总、目标分项），结果记录在结果目录的摘要文件中。",
            "数值按显示精度取整（一般 3 位有效数字，小于十亿分之一量级的浮点残差显示为 0）；"
            "存储的结果表不取整。",
        ]
    return [
        "Exchanged amount: what one enterprise (or utility, treatment plant) delivers to "
        "another, net per pair and time slice; amounts passing a steam, water or hydrogen "
        "header (hub) are attributed to their origin in proportion and counted once, and "
        "what a site sends round back to itself does not count. The Sankey ribbons between "
        "sites show the same amounts.",
        "Flows are canonical: among the optimal solutions, the one with the least transport, "
        "so no removable circulation is shown. Every run audits its own tables (balances, "
        "capacities, quality, caps, KPI sums, cost terms); the verdict is in summary.json.",
        "Numbers are rounded for display (about 3 significant digits; residues below 1e-9 of "
        "the largest value shown as 0); the stored result tables are not rounded.",
    ]


def assumptions(sc: Scenario | None, lang: Lang) -> list[str]:
    """Policy and accounting choices the numbers rest on, as sentences."""
    zh = lang == "zh"
    out = [
        "节约量均相对同一情景的基准方案（仅现有管线与装置）计算。" if zh else
        "Savings are always against the baseline of the same scenario (existing links and units only).",
        "投资按资本回收系数年化计入年度成本。" if zh else
        "Capex is annualised with the capital recovery factor (discount rate, lifetime).",
        *glossary(lang),
    ]  # fmt: skip
    if sc is None:
        return out
    p = sc.policy
    if zh:
        out.append(
            f"碳价 {fmt_num(p.carbon_price_cny_t)} 元/吨 CO₂；折现率 {fmt_pct(p.discount_rate * 100, False)}；"
            "排放因子集见附录「数据来源」中的因子表。"
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
    if sc.description and (lang != "zh" or sc.description.zh):  # never the other language
        out.append(sc.description.text(lang).strip())
    return out
