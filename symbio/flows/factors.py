"""Factor sets: standard-coal and emission factors named by a scenario's ``policy.factor_set``.

A factor set is ``<name>.yaml`` in ``factors/`` beside the scenario file (a user's own set) or
in the bundled ``data/factors`` (see :func:`factor_set_dirs`); ``policy.factor_set`` may also be
a ``.yaml`` path relative to the scenario::

    id: shanghai-2022
    factors:
      grid_electricity_co2: {value: 0.42, unit: tCO2/MWh, source: "...", confidence: confirmed}

A scenario refers to one with ``{factor: grid_electricity_co2}`` wherever a
``tce_per_unit`` or an emission coefficient is expected; the loader replaces the reference
by the number converted to the unit of the resource (or process activity) it applies to.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import yaml

from symbio.errors import Problem
from symbio.flows.units import UNITS, per_unit_factor
from symbio.flows.yamlsource import Located, format_path, item_segment
from symbio.paths import data_dir


@cache
def _read_factor_file(file: str) -> dict[str, dict]:
    with open(file, encoding="utf-8") as fh:
        content = yaml.safe_load(fh) or {}
    return dict(content.get("factors", {}))


def factor_set_dirs(scenario_file: str | None = None) -> list[Path]:
    """Folders searched for ``<name>.yaml``, first match wins: ``factors/`` beside the scenario
    file (a user's own set), then the bundled ``data/factors``.
    """
    dirs = [Path(scenario_file).resolve().parent / "factors"] if scenario_file else []
    return [*dirs, data_dir() / "factors"]


def find_factor_set(name: str, scenario_file: str | None = None) -> Path | None:
    """Return the file of factor set ``name`` (None if there is none).

    ``name`` is a set name (``shanghai-2022``, looked up in :func:`factor_set_dirs`) or a
    ``.yaml`` path relative to the scenario file (``my-factors.yaml``).
    """
    if name.endswith((".yaml", ".yml")):
        base = Path(scenario_file).resolve().parent if scenario_file else Path.cwd()
        file = base / name
        return file if file.is_file() else None
    for folder in factor_set_dirs(scenario_file):
        if (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    return None


def load_factor_set(name: str, scenario_file: str | None = None) -> dict[str, dict]:
    """Return ``{key: {value, unit, source, ...}}`` of factor set ``name``.

    Raises
    ------
    FileNotFoundError
        When no folder of :func:`factor_set_dirs` holds the set.
    """
    file = find_factor_set(name, scenario_file)
    if file is None:
        raise FileNotFoundError(name)
    return _read_factor_file(str(file))


def available_factor_sets(scenario_file: str | None = None) -> list[str]:
    """Names of the factor sets a scenario can use (its own ``factors/`` and the bundled ones)."""
    return sorted({p.stem for d in factor_set_dirs(scenario_file) for p in d.glob("*.yaml")})


def _targets(data: dict):  # noqa: ANN202
    """Yield (path, container, key, unit, kind) for every place a FactorRef may stand."""
    units = {
        r["id"]: r.get("unit")
        for _, r in _records(data, "resources")
        if isinstance(r.get("id"), str)
    }

    def resource_unit(rec: dict) -> object:
        rid = rec.get("resource")
        return units.get(rid) if isinstance(rid, str) else None

    for i, r in _records(data, "resources"):
        if "tce_per_unit" in r:
            seg = item_segment("resources", r, i)
            yield ("resources", seg, "tce_per_unit"), r, "tce_per_unit", r.get("unit"), "tce"
    for family, unit_of in (
        ("markets", resource_unit),
        ("disposal", resource_unit),
        ("processes", lambda rec: rec.get("activity_unit", "unit")),
    ):
        for i, rec in _records(data, family):
            if isinstance(rec.get("emissions"), dict):
                for species in list(rec["emissions"]):
                    path = (family, item_segment(family, rec, i), "emissions", str(species))
                    yield path, rec["emissions"], species, unit_of(rec), "emission"


def _records(data: dict, family: str) -> list[tuple[int, dict]]:
    """The mapping records of list ``family`` with their positions (none if malformed)."""
    items = data.get(family)
    if not isinstance(items, list):
        return []
    return [(i, r) for i, r in enumerate(items) if isinstance(r, dict)]


def resolve_factors(
    data: dict, file: str, located: Located
) -> tuple[dict, list[Problem], list[dict]]:
    """Replace every ``{factor: key}`` in ``data`` by its number.

    Returns the new data, the problems found and a record of each factor used.
    """
    data = copy.deepcopy(data)
    problems: list[Problem] = []
    uses: list[dict] = []
    policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
    set_name = policy.get("factor_set", "shanghai-2022")
    factors: dict | None = None
    for path, container, key, unit, kind in list(_targets(data)):
        ref = container.get(key)
        if not (
            isinstance(ref, dict) and set(ref) == {"factor"} and isinstance(ref["factor"], str)
        ):
            continue  # a number, or a malformed reference pydantic will report
        line = located.where.get(path, (file, None))
        if factors is None:
            try:
                factors = load_factor_set(str(set_name), file)
            except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError):
                problems.append(
                    Problem(
                        file,
                        "policy.factor_set",
                        f"factor set {set_name!r} not found in "
                        f"{' or '.join(str(d) for d in factor_set_dirs(file))}; "
                        f"available: {', '.join(available_factor_sets(file)) or 'none'}",
                        located.where.get(("policy", "factor_set"), (file, None))[1],
                    )
                )
                return data, problems, uses
        entry = factors.get(ref["factor"])
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    line[0],
                    format_path(path),
                    f"factor {ref['factor']!r} is not in "
                    f"factor set {set_name!r}; known: {', '.join(sorted(factors))}",
                    line[1],
                )
            )
            continue
        numerator = str(entry.get("unit", "")).split("/")[0]
        if kind == "tce" and numerator != "tce":
            problems.append(
                Problem(
                    line[0],
                    format_path(path),
                    f"factor {ref['factor']!r} is in {entry.get('unit')}, not tce per unit",
                    line[1],
                )
            )
            continue
        if not isinstance(unit, str) or unit not in UNITS:
            problems.append(
                Problem(
                    line[0],
                    format_path(path),
                    f"cannot apply factor {ref['factor']!r}: unit {unit!r} is not a known unit",
                    line[1],
                )
            )
            continue
        try:
            value = per_unit_factor(float(entry["value"]), str(entry["unit"]), unit)
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(
                Problem(line[0], format_path(path), f"factor {ref['factor']!r}: {exc}", line[1])
            )
            continue
        container[key] = value
        uses.append(
            {
                "path": format_path(path),
                "factor": ref["factor"],
                "factor_set": set_name,
                "value": value,
                "per": unit,
                "source": entry.get("source"),
                "confidence": entry.get("confidence"),
            }
        )
    return data, problems, uses


#: Path of a factor use as :func:`resolve_factors` records it, e.g. ``processes[boiler].emissions.co2``.
_USE_PATH = re.compile(r"^(\w+)\[([^\]]+)\]\.(tce_per_unit|emissions\.(\w+))$")


def factor_use_target(path: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Split a factor use's path into (family, record id, keys), e.g.
    ``("processes", "boiler", ("emissions", "co2"))``; None for any other path.
    """
    m = _USE_PATH.match(path)
    if m is None:
        return None
    keys = ("tce_per_unit",) if m.group(3) == "tce_per_unit" else ("emissions", m.group(4))
    return m.group(1), m.group(2), keys


def restore_factor_refs(data: dict, uses: list[dict]) -> dict:
    """Put ``{factor: KEY}`` back where :func:`resolve_factors` put a number (a copy of ``data``).

    Writing a loaded scenario out again (``symbio import-xlsx``) then keeps its references,
    so a later change of ``policy.factor_set`` still takes effect.
    """
    data = copy.deepcopy(data)
    for use in uses:
        target = factor_use_target(str(use.get("path", "")))
        if target is None or not use.get("factor"):
            continue
        family, rid, keys = target
        for _, rec in _records(data, family):
            if str(rec.get("id")) != rid:
                continue
            container = rec
            for key in keys[:-1]:
                container = container.get(key) if isinstance(container.get(key), dict) else {}
            if keys[-1] in container:
                container[keys[-1]] = {"factor": use["factor"]}
    return data
