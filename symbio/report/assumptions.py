"""The assumptions that matter most: the scenario's ranged estimates as a table for the briefing.

Each ranged estimate (the scenario's ``estimates`` table, see
:func:`symbio.flows.provenance.uncertain_numbers`) becomes one row; numbers of one ``group`` move
together, so a group is one row. Rows are ranked by how far they move a headline saving when
measured swings are given (:func:`one_at_a_time_swings`, one solve per end of each range), else
by the width of the range relative to the value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from symbio.flows.overrides import apply_overrides
from symbio.flows.provenance import UncertainNumber, uncertain_numbers
from symbio.flows.schema import Scenario
from symbio.report.labels import Lang, fmt_num, fmt_pct, t

#: Columns of :func:`top_assumptions`.
COLUMNS = ("key", "paths", "value", "low", "high", "relative_range", "swing", "method")


def assumption_units(scenario: Scenario) -> dict[str, list[UncertainNumber]]:
    """The ranged estimates by unit of variation: ``{group or path: [numbers]}``."""
    out: dict[str, list[UncertainNumber]] = {}
    for u in uncertain_numbers(scenario):
        out.setdefault(u.group or u.path, []).append(u)
    return out


def top_assumptions(
    scenario: Scenario, n: int | None = 10, swings: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The scenario's ranged estimates, one row per group (or ungrouped number), most telling first.

    Parameters
    ----------
    scenario
        A loaded scenario with an ``estimates`` table.
    n
        Rows to keep (None: all).
    swings
        Optional ``{key: swing}`` (key: group or path) measured by :func:`one_at_a_time_swings`;
        rows are then ranked by it, otherwise by ``relative_range`` = (high - low) / |value|.

    Returns
    -------
    DataFrame
        Columns ``key, paths, value, low, high, relative_range, swing, method`` (value, low and
        high of the group's first non-zero number; ``paths`` lists all its numbers).
    """
    rows = []
    for key, members in assumption_units(scenario).items():
        u = next((m for m in members if m.value), members[0])  # a zero says little of a group
        rel = (u.high - u.low) / abs(u.value) if u.value else math.inf
        swing = float(swings[key]) if swings and key in swings else math.nan
        method = max((m.method for m in members), key=len)  # not the "as ..." of a member
        rows.append((key, [m.path for m in members], u.value, u.low, u.high, rel, swing, method))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    by = "swing" if swings else "relative_range"
    df = df.sort_values(by, ascending=False, kind="stable", na_position="last")
    return (df if n is None else df.head(n)).reset_index(drop=True)


def assumption_rows(
    scenario: Scenario | None,
    lang: Lang,
    n: int = 8,
    swings: Mapping[str, float] | None = None,
    top: pd.DataFrame | None = None,
) -> list[dict]:
    """Formatted rows of :func:`top_assumptions` for the briefing's data section (``top``: that
    table, when it is already made with the same ``n`` and ``swings``)."""
    if scenario is None or not scenario.estimates:
        return []
    out = []
    top = top_assumptions(scenario, n, swings) if top is None else top
    for r in top.itertuples():
        more = f" (+{len(r.paths) - 1})" if len(r.paths) > 1 else ""
        out.append(
            {
                "what": f"{r.key}{more}",
                "value": fmt_num(r.value),
                "range": f"{fmt_num(r.low)} – {fmt_num(r.high)}",
                "relative": fmt_pct(r.relative_range * 100, signed=False),
                "swing": "" if math.isnan(r.swing) else fmt_num(r.swing),
                "method": r.method,
            }
        )
    return out


def assumption_labels(lang: Lang) -> dict[str, str]:
    """Column headers of the assumptions table."""
    keys = ("top_assumptions", "assumption", "value", "range", "relative_range", "method")
    return {k: t(k, lang) for k in keys}


def one_at_a_time_swings(
    file: str | Path, kpis: Sequence[str] = ("total_cost_cny", "energy_tce", "co2_t", "co2e_t")
) -> pd.DataFrame:
    """Savings (baseline - optimized) of each KPI with each assumption at its low and its high end.

    Every other number stays at its central value; a group's numbers go to their ends together.
    Two solves (each with its baseline) per row: meant for a closing note or a report, not for
    every briefing.

    Returns
    -------
    DataFrame
        One row per group or ungrouped path: ``key``, then ``<kpi>_low``, ``<kpi>_high`` and
        ``<kpi>_swing`` (= |high - low|) for every KPI.
    """
    from symbio.run import solve  # the solver layer, only when measuring

    def savings(overrides: dict[str, float]) -> dict[str, float]:
        k = solve(apply_overrides(file, overrides)).kpis.set_index("kpi")
        return {x: float(k.loc[x, "baseline"] - k.loc[x, "optimized"]) for x in kpis}

    base = apply_overrides(file, {})
    rows = []
    for key, members in assumption_units(base).items():
        lo = savings({m.path: m.low for m in members})
        hi = savings({m.path: m.high for m in members})
        row: dict[str, object] = {"key": key}
        for x in kpis:
            row |= {f"{x}_low": lo[x], f"{x}_high": hi[x], f"{x}_swing": abs(hi[x] - lo[x])}
        rows.append(row)
    return pd.DataFrame(rows)
