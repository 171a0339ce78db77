"""Plain-language reasons behind a score: the grading rule, and why an area cannot move.

An area score responds to a plan only through indicators whose value lies between two
anchors of their membership function. An indicator beyond its level-I benchmark is fully
"I", one beyond its floor fully "below III": a small change of the value changes nothing.
When every available indicator of an area sits at such an end (or none is available),
the area's score is fixed, and :func:`area_fixed_reason` says which anchor holds it and
how far the value is from the anchor that would release it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from symbio.scoring.indicators import IndicatorLibrary

__all__ = ["area_fixed_reason", "grading_rule"]


def grading_rule(grade_scores: Sequence[float], grades: Sequence[str]) -> dict[str, str]:
    """The grading rule in one sentence, in English and Chinese.

    >>> grading_rule((95, 85, 70, 50), ("I", "II", "III", "below"))["en"][:60]
    'The grade follows the fuzzy score S = sum of membership x gr'
    """
    s = [float(x) for x in grade_scores]
    cuts = [(s[k] + s[k + 1]) / 2 for k in range(len(s) - 1)]
    pts = "/".join(f"{x:g}" for x in s)
    bands_en = ", ".join(f"{g} from {c:g}" for g, c in zip(grades, cuts, strict=False))
    zh_grades = [{"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "below": "未达Ⅲ级"}.get(g, g) for g in grades]
    bands_zh = "，".join(f"{g} 级 ≥ {c:g}" for g, c in zip(zh_grades, cuts, strict=False))
    return {
        "en": (
            f"The grade follows the fuzzy score S = sum of membership x grade score "
            f"({pts} for {'/'.join(grades)}; {bands_en}, else {grades[-1]}); the membership "
            "vector shows how the weight is spread over the grades, so its largest entry can "
            "differ from the grade."
        ),
        "zh": (
            f"等级按模糊综合得分 = Σ 隶属度 × 等级分值（{'/'.join(zh_grades)} 分别为 {pts}；"
            f"{bands_zh}，否则为 {zh_grades[-1]}）评定；隶属度向量表示权重在各等级间的分布，"
            "其最大项可能与按得分评定的等级不同。"
        ),
    }


def _release(value: float, anchor: float, direction: str) -> str:
    """How much the value must change to reach ``anchor`` (relative to the value)."""
    if value == 0:
        return f"to {anchor:.4g}"
    change = (anchor - value) / abs(value) * 100.0
    word = "fall" if (direction == "lower_better") else "rise"
    return f"{word} {abs(change):.1f}% to {anchor:.4g}"


def _indicator_reason(row: dict, library: IndicatorLibrary) -> tuple[bool, str]:
    """(fixed, reason) for one indicator row of the indicator table."""
    ind = library[row["indicator"]]
    if not row["available"]:
        return True, f"{ind.id}: not available ({row['reason']})"
    b1, _, b3, floor = ind.anchors()
    v = float(row["value"])
    if row.get("mu_below", 0.0) >= 1.0 - 1e-12:
        kind = "floor" if ind.floor is not None else "floor (extrapolated III + (III - II))"
        return True, (
            f"{ind.id} = {v:.4g} {ind.unit} is beyond the {kind} {floor:.4g} (III {b3:.4g}): "
            f"membership stays 'below III' until it would {_release(v, floor, ind.direction)}"
        )
    if row.get("mu_I", 0.0) >= 1.0 - 1e-12:
        return (
            True,
            f"{ind.id} = {v:.4g} {ind.unit} meets level I ({b1:.4g}): already the top grade",
        )
    return False, ""


def area_fixed_reason(indicators: pd.DataFrame | list[dict], library: IndicatorLibrary) -> str:
    """Why an area's score cannot respond to a change of plan ("" when it can).

    Parameters
    ----------
    indicators : pandas.DataFrame or list of dict
        The indicator rows of one area and case (columns of the pipeline's indicator
        table: ``indicator, value, available, reason, mu_I .. mu_below``).
    library : IndicatorLibrary

    Returns
    -------
    str
        Empty when at least one available indicator lies between two anchors.
    """
    rows = indicators.to_dict("records") if isinstance(indicators, pd.DataFrame) else indicators
    reasons = []
    for row in rows:
        fixed, why = _indicator_reason(row, library)
        if not fixed:
            return ""
        reasons.append(why)
    if not reasons:
        return ""
    n_avail = sum(bool(r["available"]) for r in rows)
    head = (
        "no indicator available"
        if n_avail == 0
        else "every available indicator is at an end of its scale"
    )
    return f"score fixed: {head}; " + "; ".join(reasons)
