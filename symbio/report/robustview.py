"""The briefing's robustness section: how sure the headline numbers are.

Reads a ``symbio robust`` output directory (tables only: ``intervals.csv``, ``builds.csv``,
``sensitivity.csv``, ``regret.csv``, ``estimates.csv``, ``robust.json``) and gives the
briefing, in Chinese or English:

* the 90 % interval beside each headline card, the card's point value rounded to what the
  interval supports (:func:`round_to`);
* each built item's build probability;
* the tornado chart, the regret figure and a plain-language statement.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from symbio.errors import InputError
from symbio.report.figures.robust import png_drawers
from symbio.report.labels import Lang, fmt_num

#: Headline card KPI → (en, zh) name in the statement, money?, (en, zh) unit.
CARD_KPIS = {
    "total_cost_cny": (("cost saving", "成本节约"), True, ("", "")),
    "co2_t": (("CO2 saving", "CO₂ 减排量"), False, ("t/a", "吨/年")),
    "energy_tce": (("energy saving", "节能量"), False, ("tce/a", "吨标准煤/年")),
}
TABLES = ("intervals", "builds", "sensitivity", "regret", "estimates")
TEXT = {
    "title": ("How sure are we", "结果的可靠程度"),
    "interval": ("90% interval", "90% 区间"),
    "no_spread": ("does not vary with the estimates", "不随估计值变化"),
    "probability": ("Build probability", "建设概率"),
    "tornado": (
        "Which estimates the savings depend on: change of the saving when one estimate goes "
        "from its 5% to its 95% value (others at their medians), from standardized regression "
        "on the samples; R² = share of the spread the linear fit explains",
        "节约量最依赖哪些估计值：单个估计值从其 5% 分位变到 95% 分位（其余取中位数）时节约量的变化，"
        "由样本的标准化回归系数得到；R² 为线性拟合解释的离散比例",
    ),
    "regret": (
        "The recommended plan (build decisions fixed, operation re-optimised) against each "
        "sample's own optimum: distribution of the savings over the samples",
        "推荐方案（建设决策固定、运行重新优化）与各样本自身最优方案的对比：节约量在样本上的分布",
    ),
    "factor": ("Estimate (field or group)", "估计值（字段或组）"),
    "others": (
        "Not in the recommended plan, but built in some samples' own optimum",
        "未列入推荐方案、但在部分样本的自身最优方案中建设的项目",
    ),
    "range": ("Range", "范围"),
    "method": ("Method", "方法"),
    "swing": ("90% swing of the", "90% 摆幅："),
}


def _t(key: str, lang: Lang) -> str:
    en, zh = TEXT[key]
    return zh if lang == "zh" else en


@dataclass
class RobustStudy:
    """The tables and summary of one robustness study."""

    directory: Path
    tables: dict[str, pd.DataFrame]
    summary: dict


def load_robust(directory: str | Path) -> RobustStudy:
    """Read a ``symbio robust`` output directory.

    Raises
    ------
    InputError
        When the directory or one of its tables cannot be read.
    """
    root = Path(directory)
    try:
        summary = json.loads((root / "robust.json").read_text(encoding="utf-8"))
        tables = {name: pd.read_csv(root / f"{name}.csv") for name in TABLES}
    except (OSError, ValueError) as exc:
        raise InputError(str(root), "", f"not a robustness study (symbio robust): {exc}") from None
    return RobustStudy(root, tables, summary)


def round_to(width: float) -> float:
    """The rounding step a 90 % interval of this width supports: two significant digits of it.

    >>> round_to(230_000), round_to(4.2e8), round_to(0.0)
    (10000.0, 10000000.0, 0.0)
    """
    if not math.isfinite(width) or width <= 0:
        return 0.0
    return 10.0 ** (math.floor(math.log10(width)) - 1)


def fmt_rounded(values: list[float], step: float, lang: Lang, money: bool, unit: str = "") -> str:
    """Numbers rounded to ``step`` sharing one unit: ``"520,000–750,000 t/a"``,
    ``"CNY 0.51–1.2 bn"``, ``"5.1–12 亿元"`` (a range when two values are given)."""
    if not all(math.isfinite(v) for v in values):
        return "–"
    rounded = [round(v / step) * step if step > 0 else v for v in values]
    if money:
        scale, unit = _money_unit(max(abs(v) for v in rounded) or step, lang)
    else:
        scale = 1.0
    decimals = max(0, -math.floor(math.log10(step / scale))) if step > 0 else 0
    nums = "–".join(f"{v / scale:,.{decimals}f}" for v in rounded)
    if money and lang == "en":
        return f"CNY {nums} {unit}".rstrip()
    return f"{nums} {unit}".rstrip()


def _money_unit(a: float, lang: Lang) -> tuple[float, str]:
    if lang == "zh":
        return (1e8, "亿元") if a >= 1e8 else (1e4, "万元") if a >= 1e4 else (1.0, "元")
    return (1e9, "bn") if a >= 1e9 else (1e6, "M") if a >= 1e6 else (1.0, "")


def saving_rows(study: RobustStudy) -> dict[str, dict]:
    """Per headline KPI the interval row of its saving (point, p05, median, p95, share)."""
    iv = study.tables["intervals"]
    rows = iv[(iv["quantity"] == "saving") & iv["kpi"].isin(list(CARD_KPIS))]
    return {r["kpi"]: r for r in rows.to_dict("records")}


def card_texts(study: RobustStudy, lang: Lang) -> dict[str, dict[str, str]]:
    """Per headline KPI, rounded alike: the point value with its unit (``value``) and without
    (``number``; money always has its unit), the 90 % interval (``interval``) and the interval
    alone (``span``)."""
    out = {}
    for kpi, r in saving_rows(study).items():
        _name, money, units = CARD_KPIS[kpi]
        unit = "" if money else units[1] if lang == "zh" else units[0]
        step = round_to(r["p95"] - r["p05"])
        span = (
            fmt_rounded([r["p05"], r["p95"]], step, lang, money, unit)
            if step > 0
            else _t("no_spread", lang)
        )
        out[kpi] = {
            "number": fmt_rounded([r["point"]], step, lang, money),
            "value": fmt_rounded([r["point"]], step, lang, money, unit),
            "interval": f"{_t('interval', lang)}: {span}",
            "span": span,
        }
    return out


def build_probabilities(study: RobustStudy) -> dict[str, str]:
    """Candidate id → its build probability over the samples, as a percentage."""
    b = study.tables["builds"]
    return {str(r.id): f"{r.probability:.0%}" for r in b.itertuples(index=False)}


def other_builds(study: RobustStudy) -> list[dict[str, str]]:
    """Candidates the recommended plan leaves out but some samples' optima build."""
    b = study.tables["builds"]
    rows = b[~b["in_plan"].astype(bool) & (b["probability"] > 0)]
    return [{"id": str(r.id), "probability": f"{r.probability:.0%}"} for r in rows.itertuples()]


def top_factors(study: RobustStudy, lang: Lang, n: int = 5) -> list[dict]:
    """The ``n`` most influential estimates of the cost (else CO2) saving, for a table."""
    sens = study.tables["sensitivity"]
    est = study.tables["estimates"]
    outputs = [o for o in ("saving.total_cost_cny", "saving.co2_t") if o in set(sens["output"])]
    if not outputs:
        return []
    rows = sens[sens["output"] == outputs[0]].nsmallest(n, "rank")
    out = []
    for r in rows.itertuples(index=False):
        members = est[est["factor"] == r.factor]
        first = members.iloc[0] if len(members) else None
        rng = (
            f"{fmt_num(first['low'])} – {fmt_num(first['high'])}"
            if first is not None and len(members) == 1
            else (f"{len(members)} {'个数值' if lang == 'zh' else 'numbers'}")
        )
        out.append(
            {
                "factor": r.factor,
                "range": rng,
                "method": "" if first is None else str(first["method"]),
                "src": f"{r.src:+.2f}",
            }
        )
    return out


def statement(study: RobustStudy, lang: Lang) -> str:
    """The plain-language summary: intervals, probability of a saving, main dependencies,
    the plan's regret, and the samples whose estimates contradict each other."""
    rows, texts = saving_rows(study), card_texts(study, lang)
    summary = study.summary
    bad = int(summary.get("status_quo_infeasible", 0))
    p95 = summary.get("regret", {}).get("p95")
    share = rows.get("total_cost_cny", rows.get("co2_t"))
    facts = {
        "n": int(summary.get("runs", {}).get("ok", 0)) - bad,
        "spans": [
            (CARD_KPIS[k][0][1 if lang == "zh" else 0], texts[k]["span"])
            for k in ("co2_t", "total_cost_cny")
            if k in rows
        ],  # fmt: skip
        "share": None if share is None else f"{share['share_positive']:.0%}",
        "top": [f["factor"] for f in top_factors(study, lang, 3)],
        "regret": fmt_rounded([p95], round_to(p95), lang, True) if p95 else None,
        "bad": bad,
        "plan_bad": int(summary.get("regret", {}).get("plan_infeasible") or 0),
        "causes": summary.get("status_quo_infeasible_factors", []),
    }
    return _statement_zh(facts) if lang == "zh" else _statement_en(facts)


def _statement_zh(f: dict) -> str:
    text = f"基于 {f['n']} 个有效样本：有 90% 的概率，"
    text += "，".join(f"{a}在 {b} 之间" for a, b in f["spans"]) + "。"
    if f["share"]:
        text += f"成本节约为正的样本占 {f['share']}。"
    if f["top"]:
        text += f"结果最依赖于：{'、'.join(f['top'])}。"
    if f["regret"]:
        text += f"按推荐方案建设，在 95% 的样本中，其年成本比该样本自身的最优方案高出不超过 {f['regret']}。"
    if f["plan_bad"]:
        text += f"但在 {f['plan_bad']} 个样本中，现状园区可以运行而推荐方案无法满足全部需求。"
    if f["bad"]:
        text += (
            f"另有 {f['bad']} 个样本中现状园区（基准）无法满足自身需求，说明这些估计值的范围彼此不一致"
            f"（主要涉及：{'、'.join(f['causes'])}），这些样本不计入上述区间。"
        )
    return text


def _statement_en(f: dict) -> str:
    text = f"Over {f['n']} valid samples, with 90% probability "
    text += " and ".join(f"the {a} lies in {b}" for a, b in f["spans"]) + "."
    if f["share"]:
        text += f" The cost saving is positive in {f['share']} of the samples."
    if f["top"]:
        text += f" It depends most on {', '.join(f['top'])}."
    if f["regret"]:
        text += (
            f" Built as recommended, the plan costs at most {f['regret']} a year more than "
            "each sample's own optimum in 95% of the samples."
        )
    if f["plan_bad"]:
        text += (
            f" But in {f['plan_bad']} samples the recommended plan cannot meet every demand "
            "although the status quo can."
        )
    if f["bad"]:
        text += (
            f" In {f['bad']} further samples the existing park (the baseline) cannot meet its "
            "own demands: the ranges of these estimates are not consistent with each other "
            f"(mainly {', '.join(f['causes'])}); those samples are left out of the intervals."
        )
    return text


def robust_drawers(study: RobustStudy, lang: Lang) -> dict[str, Callable[[], bytes]]:
    """The study's figures as PNG drawers (:func:`symbio.report.figures.robust.png_drawers`)
    by the name of their file in a briefing's figures folder."""
    return {f"robust_{k}": draw for k, draw in png_drawers(study.tables, lang).items()}


def robust_section(
    study: RobustStudy,
    lang: Lang,
    figures_dir: Path | None = None,
    drawn: Mapping[str, bytes | None] | None = None,
) -> dict:
    """Everything the briefing shows of the study (strings and data URIs); figures in
    ``drawn`` (by :func:`robust_drawers`' names) are not drawn again."""
    import base64

    drawn = drawn or {}
    pngs = {
        k.removeprefix("robust_"): drawn[k] if k in drawn else draw()
        for k, draw in robust_drawers(study, lang).items()
    }
    if figures_dir is not None:
        figures_dir.mkdir(parents=True, exist_ok=True)
        for k, png in pngs.items():
            (figures_dir / f"robust_{k}.png").write_bytes(png)
    uri = {k: "data:image/png;base64," + base64.b64encode(v).decode("ascii") for k, v in pngs.items()}  # fmt: skip
    return {
        "T": {k: _t(k, lang) for k in TEXT},
        "statement": statement(study, lang),
        "cards": card_texts(study, lang),
        "probability": build_probabilities(study),
        "others": other_builds(study),
        "top": top_factors(study, lang),
        "images": uri,
        "samples": int(study.summary.get("samples", 0)),
    }


def rounded_numbers(section: dict) -> dict[str, str]:
    """Headline KPI → its point value rounded to what the interval supports (for the text)."""
    return {kpi: texts["number"] for kpi, texts in section["cards"].items()}


def annotate(context: dict, section: dict) -> None:
    """Put the intervals on the headline cards and the probabilities on the build list."""
    for card in context["headline"]["cards"]:
        texts = section["cards"].get(card.get("kpi", ""))
        if texts:
            card["value"], card["interval"] = texts["value"], texts["interval"]
    context["builds"]["probability"] = True
    for row in context["builds"]["rows"]:
        row["probability"] = section["probability"].get(row["id"], "")
