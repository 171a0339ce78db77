"""Marginal abatement cost (MAC) of measures against a reference.

For a measure run (the park with the measure) against its reference run:

    Δcost       = cost_case - cost_reference          (annualised, CNY/a; carbon price excluded)
    CO2 avoided = co2_reference - co2_case            (t/a)
    MAC         = Δcost / CO2 avoided                 (CNY/t CO2)

The curve orders measures that avoid CO2 by MAC; each bar is as wide as its CO2 avoided and as
high as its MAC. Measures that avoid no CO2 have no MAC and are listed but left off the curve.
Every other quantity present in the runs (energy, water, each pollutant) is reported as
``delta_<quantity> = case - reference``; pollutants are also weighed into pollution equivalents
avoided (:mod:`symbio.pathways.equivalents`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from symbio.pathways.equivalents import PollutionEquivalents

__all__ = ["macc_table"]


def macc_table(
    reference: Mapping[str, float],
    cases: Mapping[str, Mapping[str, float]],
    *,
    cost: str = "cost",
    co2: str = "co2",
    equivalents: PollutionEquivalents | None = None,
    names: Mapping[str, str] | None = None,
    sign: int = 1,
) -> pd.DataFrame:
    """Tabulate the marginal abatement cost of each measure.

    Parameters
    ----------
    reference
        Quantities of the reference run (``cost``, ``co2`` and any others: ``energy``, ``water``,
        pollutants in tonnes).
    cases
        Quantities of each measure's run, keyed by measure id.
    cost, co2
        Keys of annualised cost (CNY/a) and CO2 (t/a).
    equivalents
        Pollution-equivalent values to weigh pollutants with (none: no ``pe_avoided`` column).
    names
        Display name of each measure.
    sign
        ``1``: the case adds the measure to the reference (reference = baseline);
        ``-1``: the case removes it from the reference (reference = optimum), so the measure's
        effect is reference - case.

    Returns
    -------
    pandas.DataFrame
        One row per measure, sorted along the curve (by MAC, then measures off the curve), with
        ``measure, name, delta_cost, co2_avoided, mac_cny_per_t, on_curve, start_t, end_t``,
        ``delta_<q>`` for every other quantity, and ``pe_avoided`` when ``equivalents`` is given.
        ``start_t``/``end_t`` are the bar's span on the cumulative-abatement axis (NaN off the
        curve).

    Examples
    --------
    >>> t = macc_table({"cost": 100.0, "co2": 50.0}, {"a": {"cost": 160.0, "co2": 30.0}})
    >>> float(t.loc[0, "mac_cny_per_t"])
    3.0
    """
    # Long: the docstring documents parameters and columns (35 lines); the code is 39.
    rows = []
    for mid, case in cases.items():
        effect = {
            k: sign * (float(case.get(k, 0.0)) - float(v)) + 0.0 for k, v in reference.items()
        }
        d_cost = effect.get(cost, math.nan)
        avoided = -effect.get(co2, math.nan)
        on_curve = avoided > 1e-9 * max(1.0, abs(float(reference.get(co2, 0.0))))
        row: dict[str, object] = {
            "measure": mid,
            "name": (names or {}).get(mid, mid),
            "delta_cost": d_cost,
            "co2_avoided": avoided,
            "mac_cny_per_t": d_cost / avoided if on_curve else math.nan,
            "on_curve": bool(on_curve),
        }
        for k, d in effect.items():
            if k not in (cost, co2):
                row[f"delta_{k}"] = d
        if equivalents is not None:
            row["pe_avoided"] = 0.0 - equivalents.equivalents(
                {s: effect.get(s, 0.0) for s in equivalents.species}
            )
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(
            columns=["measure", "name", "delta_cost", "co2_avoided", "mac_cny_per_t", "on_curve"]
        )
    table["_off"] = ~table["on_curve"]
    table = table.sort_values(["_off", "mac_cny_per_t", "measure"], kind="stable").drop(
        columns="_off"
    )
    table = table.reset_index(drop=True)
    width = table["co2_avoided"].where(table["on_curve"], 0.0)
    end = width.cumsum()
    table["start_t"] = (end - width).where(table["on_curve"])
    table["end_t"] = end.where(table["on_curve"])
    return table
