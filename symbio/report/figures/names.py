"""Display names of what a scenario defines (sites, resources, measures), in Chinese or English.

Chinese falls back to English, then to the id, so a figure never shows an empty label.
"""

from __future__ import annotations

import pandas as pd

from symbio.flows.schema import Scenario
from symbio.report.labels import Lang, t


def site_name(scenario: Scenario, sid: str, lang: Lang) -> str:
    """Display name of a site (Chinese falls back to English, then the id)."""
    try:
        n = scenario.site(sid).name
    except (KeyError, StopIteration):  # StopIteration: older Scenario look-ups
        return sid
    return (n.zh or n.en) if lang == "zh" else n.en


def measure_name(scenario: Scenario | None, mid: str, lang: Lang, default: str = "") -> str:
    """Display name of a measure (``optimum`` is the optimized network as a whole); ``default``
    (else the id) for a measure the scenario does not define.
    """
    if mid == "optimum":
        return t("optimum", lang)
    for m in scenario.measures if scenario is not None else ():
        if m.id == mid:
            return (m.name.zh or m.name.en) if lang == "zh" else m.name.en
    return default or mid


def localise_measures(table: pd.DataFrame | None, scenario: Scenario | None, lang: Lang):  # noqa: ANN201
    """A copy of a MACC or co-control table whose ``name`` column is the measure's name in
    ``lang`` (the tables carry English names from the run; ids stay in ``measure``).
    """
    if table is None or "measure" not in table.columns:
        return table
    out = table.copy()
    given = out["name"] if "name" in out.columns else out["measure"]
    out["name"] = [
        measure_name(scenario, str(m), lang, "" if pd.isna(g) else str(g))
        for m, g in zip(out["measure"], given, strict=True)
    ]
    return out


def resource_name(scenario: Scenario | None, rid: str, lang: Lang) -> str:
    """Display name of a resource."""
    if scenario is None:
        return rid
    try:
        n = scenario.resource(rid).name
    except (KeyError, StopIteration):  # StopIteration: older Scenario look-ups
        return rid
    return (n.zh or n.en) if lang == "zh" else n.en
