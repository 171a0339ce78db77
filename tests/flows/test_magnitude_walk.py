"""The magnitude checks report what the plain walk of every number reports.

:func:`reference_magnitudes` is the check as it was before the walk spelled out a number's
path only when reporting it (kept here as the reference); the test compares both on the
SCIP scenarios and on data with out-of-range, tiny, non-finite and oddly keyed numbers.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from symbio.flows.load import load_scenario
from symbio.flows.magnitudes import (
    _SPECIES_UNIT,
    TOLERANCE,
    _family,
    _limit,
    check_magnitudes,
)
from symbio.flows.units import UNITS
from symbio.flows.yamlsource import item_segment

ROOT = Path(__file__).resolve().parents[2]


def reference_magnitudes(data: dict) -> tuple[list[tuple[tuple, str]], list[tuple[tuple, str]]]:
    """Return (errors, warnings) as (path, message) for the numbers of a scenario's data.

    ``data`` is the scenario as plain data (``Scenario.model_dump()``); paths use the
    field names and record ids of the file.
    """
    errors: list[tuple[tuple, str]] = []
    warnings: list[tuple[tuple, str]] = []
    units = {
        r["id"]: r["unit"]
        for r in data.get("resources") or []
        if isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("unit"), str)
    }
    for path, value, family, unit in _reference_numbers(data, units):
        limit, shown = _limit(family, unit)
        size = abs(value) * (UNITS[unit][1] if family == "quantity" and unit in UNITS else 1.0)
        if not math.isfinite(value) or size > limit:
            errors.append((path, f"{value:g} is out of range: {shown} (see docs/hardening.md)"))
        elif family in ("quantity", "coefficient") and 0 < abs(value) < TOLERANCE:
            warnings.append(
                (
                    path,
                    f"{value:g} is below the solver's tolerance ({TOLERANCE:g}) and will be "
                    "treated as 0; use a smaller unit (kg, kWh, ...) if it matters",
                )
            )
    return errors, warnings


def _reference_numbers(
    node: object, units: dict, path: tuple = (), unit: str | None = None
) -> Iterator:
    """Yield (path, value, family, unit) for every number under ``node``."""
    if isinstance(node, dict):
        # a malformed record may hold anything here: only a string names a unit
        own, res = node.get("activity_unit"), node.get("resource")
        rec_unit = own if isinstance(own, str) and own else None
        rec_unit = rec_unit or (units.get(res, unit) if isinstance(res, str) else unit)
        if path and path[-1] == "caps":
            rec_unit = _SPECIES_UNIT
        for key, value in node.items():
            yield from _reference_numbers(value, units, (*path, str(key)), rec_unit)
    elif isinstance(node, list | tuple):
        name = path[-1] if path else ""
        for i, item in enumerate(node):
            yield from _reference_numbers(item, units, (*path, item_segment(name, item, i)), unit)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        keys = [p for p in path if not p.startswith("[")]
        key = keys[-1] if keys else ""
        parent = keys[-2] if len(keys) > 1 else ""
        if path and path[-1].startswith("["):  # an item of a numeric list (xy_km)
            key, parent = "", key
        if key in ("seed", "threads", "round", "year", "lifetime_y", "schema_version"):
            return
        if parent == "caps" and key == "energy_tce":
            unit = "tce"
        yield path, float(node), _family(key, parent), unit


def _dump(rel: str) -> dict:
    return load_scenario(ROOT / rel).model_dump(mode="json", by_alias=True)


def _spoil(data: dict) -> dict:
    """Numbers of every kind of trouble, at places of every kind."""
    data = copy.deepcopy(data)
    site = data["sites"][0]
    for n, item in enumerate(site.get("supplies", [])):
        item["amount"] = [1e-9, 2e12, math.nan, math.inf, 0.0, -1e-7][n % 6]
    for n, proc in enumerate(data.get("processes", [])):
        for m, r in enumerate(proc.get("inputs", {})):
            proc["inputs"][r] = [1e-8, 5e6, -math.inf, 3][(n + m) % 4]
        proc["[odd]"] = {"amount": 5e-7, "x": [1e-9, {"cap": 1e20}]}
        proc["activity_unit"] = "kt" if n % 2 else 7
    data["policy"]["caps"] = {"co2": 1e-8, "energy_tce": 2e13}
    data["extra"] = [[1e16, True, None, "s"], ({"xy_km": [1e5, -2e4]},)]
    data["lifetime_y"] = 1e30
    return data


@pytest.mark.parametrize(
    "rel",
    [
        "scenarios/scip/symbiosis-2025.yaml",
        "scenarios/scip/baseline-2021.yaml",
        "scenarios/examples/hydrogen-pair.yaml",
    ],
)
def test_the_walk_reports_what_the_plain_walk_reports(rel: str) -> None:
    data = _dump(rel)
    assert check_magnitudes(data) == reference_magnitudes(data)
    spoiled = _spoil(data)
    errors, warnings = check_magnitudes(spoiled)
    assert (errors, warnings) == reference_magnitudes(spoiled)
    assert len(errors) >= 4 and len(warnings) >= 2  # the spoiled numbers were found
