"""The SCIP pilot plan's own figures (``data/scip/plan-2022-figures.yaml``) and their checks.

The plan reports what the enterprises' cleaner-production audits saved in 2016-2020 (water,
electricity, gas, steam, coal, diesel) and the CO2 that corresponds: 33,104.7 t/a.
:func:`audit_co2_check` recomputes that CO2 from the savings with a factor set, which tells
which factor vintage the plan used (the Shanghai defaults before 2022, not the 2022 ones).
"""

from __future__ import annotations

from functools import cache

import yaml

from symbio.flows.factors import load_factor_set
from symbio.paths import data_dir

PLAN_FILE = ("scip", "plan-2022-figures.yaml")
#: Steam grade of the audited steam savings (not stated by the plan): factor key per grade.
STEAM_FACTORS = {"hp": "steam_hp_co2", "mp": "steam_mp_co2", "lp": "steam_lp_co2"}


@cache
def plan_figures() -> dict:
    """The plan's figures as plain data (audit results, 2021 environment, enterprise cases)."""
    with data_dir().joinpath(*PLAN_FILE).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def audit_co2_check(factor_set: str, steam_grade: str = "mp") -> dict:
    """Recompute the CO2 of the 2016-2020 audit savings with ``factor_set``.

    Parameters
    ----------
    factor_set
        Name of a factor set in ``data/factors/`` (e.g. ``shanghai-pre2022``).
    steam_grade
        ``hp``, ``mp`` or ``lp``: the grade the saved steam is valued at (the plan does not say).

    Returns
    -------
    dict
        ``by_carrier`` ({carrier: t CO2}), ``total_t``, ``plan_t`` (33,104.7) and ``ratio``
        (total / plan).
    """
    figures = plan_figures()
    saved = figures["audit_results_2016_2020"]["savings"]
    factors = load_factor_set(factor_set)
    extra = figures["check_factors"]
    by_carrier = {
        "electricity": saved["electricity_mwh"] * factors["grid_electricity_co2"]["value"],
        "steam": saved["steam_t"] * factors[STEAM_FACTORS[steam_grade]]["value"],
        "natural_gas": saved["natural_gas_km3"] * factors["natural_gas_co2"]["value"],
        "raw_coal": saved["raw_coal_t"] * extra["raw_coal_co2_t_per_t"]["value"],
        "diesel": saved["diesel_t"] * extra["diesel_co2_t_per_t"]["value"],
    }
    total = sum(by_carrier.values())
    plan = float(figures["audit_results_2016_2020"]["co2_t"])
    return {"by_carrier": by_carrier, "total_t": total, "plan_t": plan, "ratio": total / plan}
