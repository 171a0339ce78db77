"""Co-control of CO2 and local pollutants: classification and cross-elasticity.

For a measure that moves the park from a baseline to a case, with ``Q`` the baseline emission
and ``ER = Q_baseline - Q_case`` the reduction (negative: an increase), the reduction rates are
``r_p = ER_p / Q_p`` for a pollutant and ``r_co2 = ER_co2 / Q_co2`` for CO2. The co-control
cross-elasticity of pollutant ``p`` is

    Els_p = r_p / r_co2 = (ΔP/P) / (ΔCO2/CO2)

(the signs of the two changes cancel, so increases or reductions give the same Els). On the
co-control effect coordinate system (x: CO2 reduction rate, y: pollutant reduction rate) a
measure in quadrant I reduces both (co-control, Els > 0); II reduces the pollutant while CO2
rises; III raises both; IV reduces CO2 while the pollutant rises (Els < 0 in II and IV).
Els > 1: the pollutant falls by a larger share than CO2; 0 < Els < 1: CO2 falls by a larger share.

References: Mao Xianqiang et al., co-control effect coordinate system and cross-elasticity
(毛显强 等, 协同控制效应坐标系与交叉弹性); classification table of Els_{j/k} in PMC11666946, Table 2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = ["QUADRANTS", "classify", "cocontrol_table", "measure_classes"]

#: Quadrant of the co-control coordinate system -> (en, zh) classification.
QUADRANTS: dict[str, tuple[str, str]] = {
    "co-control": ("reduces CO2 and the pollutant together", "协同减排"),
    "co2-only": ("reduces CO2, the pollutant rises", "降碳增污"),
    "pollutant-only": ("reduces the pollutant, CO2 rises", "减污增碳"),
    "both-rise": ("raises CO2 and the pollutant", "增污增碳"),
    "co2-neutral-pollutant": ("reduces CO2, pollutant unchanged", "仅降碳"),
    "pollutant-neutral-co2": ("reduces the pollutant, CO2 unchanged", "仅减污"),
    "no-effect": ("changes neither", "无影响"),
    "other": ("raises one, the other unchanged", "单项增排"),
}

#: Relative changes smaller than this count as no change.
ZERO_TOL = 1e-9


def _sign(x: float, scale: float) -> int:
    if math.isnan(x):
        return 0
    return 0 if abs(x) <= ZERO_TOL * max(1.0, abs(scale)) else (1 if x > 0 else -1)


def classify(co2_reduction: float, pollutant_reduction: float, scale: float = 1.0) -> str:
    """Classify a measure by the signs of its CO2 and pollutant reductions.

    Parameters
    ----------
    co2_reduction, pollutant_reduction
        Reductions (positive = less emitted), absolute or relative.
    scale
        Magnitude below which ``ZERO_TOL * scale`` counts as zero.

    Returns
    -------
    str
        A key of :data:`QUADRANTS`.

    Examples
    --------
    >>> classify(0.2, 0.1), classify(0.2, -0.1), classify(-0.2, 0.1), classify(0.0, 0.0)
    ('co-control', 'co2-only', 'pollutant-only', 'no-effect')
    """
    c, p = _sign(co2_reduction, scale), _sign(pollutant_reduction, scale)
    return {
        (1, 1): "co-control",
        (1, -1): "co2-only",
        (-1, 1): "pollutant-only",
        (-1, -1): "both-rise",
        (1, 0): "co2-neutral-pollutant",
        (0, 1): "pollutant-neutral-co2",
        (0, 0): "no-effect",
    }.get((c, p), "other")


def _rate(base: float, case: float) -> float:
    if base > 0:
        return (base - case) / base
    return math.nan


def cocontrol_table(
    baseline: Mapping[str, float],
    cases: Mapping[str, Mapping[str, float]],
    pollutants: Sequence[str],
) -> pd.DataFrame:
    """Co-control effect of each case against the baseline, one row per (case, pollutant).

    Parameters
    ----------
    baseline
        Baseline emissions in tonnes per species; must include ``co2``.
    cases
        Emissions of each case (measure), same keys.
    pollutants
        Species to assess (e.g. ``so2``, ``nox``, ``cod``).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, species, baseline_t, case_t, reduction_t, reduction_rate,
        co2_reduction_t, co2_reduction_rate, els, classification, classification_zh``.
        ``reduction_rate`` is NaN when the baseline emission is zero; ``els`` is NaN when either
        rate is NaN or the CO2 rate is zero.

    Examples
    --------
    >>> t = cocontrol_table({"co2": 100, "so2": 10}, {"m": {"co2": 80, "so2": 9}}, ["so2"])
    >>> float(t.loc[0, "els"])
    0.5
    """
    # Long: the docstring documents parameters and columns (25 lines); the code is 44.
    rows = []
    co2_base = float(baseline.get("co2", 0.0))
    for name, case in cases.items():
        co2_case = float(case.get("co2", 0.0))
        co2_red = co2_base - co2_case
        r_co2 = _rate(co2_base, co2_case)
        for p in pollutants:
            b, c = float(baseline.get(p, 0.0)), float(case.get(p, 0.0))
            r_p = _rate(b, c)
            els = (
                r_p / r_co2
                if not (math.isnan(r_p) or math.isnan(r_co2) or r_co2 == 0)
                else math.nan
            )
            cls = classify(co2_red, b - c, scale=max(co2_base, b, 1.0))
            rows.append(
                {
                    "measure": name,
                    "species": p,
                    "baseline_t": b,
                    "case_t": c,
                    "reduction_t": b - c,
                    "reduction_rate": r_p,
                    "co2_reduction_t": co2_red,
                    "co2_reduction_rate": r_co2,
                    "els": els,
                    "classification": cls,
                    "classification_zh": QUADRANTS[cls][1],
                }
            )
    cols = [
        "measure",
        "species",
        "baseline_t",
        "case_t",
        "reduction_t",
        "reduction_rate",
        "co2_reduction_t",
        "co2_reduction_rate",
        "els",
        "classification",
        "classification_zh",
    ]
    return pd.DataFrame(rows, columns=cols)


def measure_classes(table: pd.DataFrame) -> pd.Series:
    """One co-control class per measure from a :func:`cocontrol_table`, over all its pollutants.

    ``co-control`` when the measure reduces CO2 and at least one pollutant while no pollutant
    rises; ``co2-only`` when it reduces CO2 but some pollutant rises; ``pollutant-only`` when CO2
    rises but some pollutant falls; ``both-rise`` when CO2 and some pollutant rise with none
    falling; the ``*-neutral-*`` and ``no-effect`` classes when one side does not move.
    """
    out = {}
    for name, grp in table.groupby("measure", sort=False):
        scale = max(float(grp["baseline_t"].max()), 1.0)
        c = _sign(float(grp["co2_reduction_t"].iloc[0]), max(scale, 1.0))
        signs = {_sign(float(x), scale) for x in grp["reduction_t"]}
        down, up = 1 in signs, -1 in signs
        if c > 0:
            cls = "co2-only" if up else ("co-control" if down else "co2-neutral-pollutant")
        elif c < 0:
            cls = "pollutant-only" if down else ("both-rise" if up else "other")
        else:
            cls = "other" if up else ("pollutant-neutral-co2" if down else "no-effect")
        out[name] = cls
    return pd.Series(out, name="classification", dtype=object)
