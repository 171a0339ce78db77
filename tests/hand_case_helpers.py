"""Helpers shared by the hand-derived optimizer tests (tests/ is on sys.path via conftest.py).

CRF(r, n) = r / (1 - (1 + r)^-n):  CRF(0.08, 20) = 0.1018522,  CRF(0.08, 10) = 0.1490295.
"""

from __future__ import annotations

import pandas as pd
import yaml

import symbio
from symbio.flows.load import scenario_from_data

CRF_8_20 = 0.08 / (1 - 1.08**-20)
CRF_8_10 = 0.08 / (1 - 1.08**-10)

#: 4,000 t/a of hydrogen for a 6,000 t/a demand and no purchase: infeasible, 2,000 t short.
SHORTFALL = """\
name: {en: hydrogen shortfall}
resources:
  - {id: h2, unit: t, name: {en: hydrogen}, category: byproduct}
sites:
  - {id: cracker, name: {en: cracker}, supplies: [{resource: h2, amount: 4000}]}
  - {id: refinery, name: {en: refinery}, demands: [{resource: h2, amount: 6000}]}
links:
  - {id: h2_line, resource: h2, from: cracker, to: refinery, capacity: 10000}
"""


def scenario(text: str) -> symbio.Scenario:
    """A validated scenario from YAML text."""
    return scenario_from_data(yaml.safe_load(text), None, "<test>")


def table(result: symbio.Result, name: str, case: str = "optimized") -> pd.DataFrame:
    """Rows of one result table for one case."""
    df = result.tables[name]
    return df[df["case"] == case]
