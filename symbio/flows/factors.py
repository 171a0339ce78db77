"""Factor sets: standard-coal and emission factors named by a scenario's ``policy.factor_set``.

A factor set is ``<name>.yaml`` in a ``factors/`` folder beside the scenario file (a user's own
set, found first) or in the bundled ``data/factors`` (see :func:`factor_set_dirs`)::

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
from symbio.flows.refs import factor_set_file
from symbio.flows.units import UNITS, per_unit_factor
from symbio.flows.yamlsource import Located, format_path, item_segment, read_yaml
from symbio.paths import data_dir


@cache
def load_factor_set(name: str, directory: str | None = None) -> dict[str, dict]:
    """Return ``{key: {value, unit, source, ...}}`` of factor set ``name``.

    Raises
    ------
    FileNotFoundError
        When ``data/factors/<name>.yaml`` does not exist.
    ValueError
        When ``name`` is a path rather than a name (see :func:`symbio.flows.refs.factor_set_file`).
    """
    file, why = factor_set_file(name, Path(directory) if directory else data_dir() / "factors")
    if file is None:
        raise ValueError(why)
    return _read_set(str(file))


@cache
def _read_set(file: str) -> dict[str, dict]:
    problems: list[Problem] = []
    located = read_yaml(Path(file), problems)
    if located is None or not isinstance(located.data, dict):
        raise ValueError(f"not a readable factor set: {file}")
    content = located.data.get("factors", {})
    return dict(content) if isinstance(content, dict) else {}


def factor_set_dirs(scenario_file: str | None = None) -> list[Path]:
    """Folders searched for ``<name>.yaml``, first match wins: ``factors/`` beside the scenario
    file (a user's own set), then the bundled ``data/factors``.
    """
    dirs = [Path(scenario_file).resolve().parent / "factors"] if scenario_file else []
    return [*dirs, data_dir() / "factors"]


def find_factor_set(name: str, scenario_file: str | None = None) -> Path | None:
    """Return the file of factor set ``name`` in :func:`factor_set_dirs` (None if none has it)."""
    for folder in factor_set_dirs(scenario_file):
        file, _ = factor_set_file(name, folder)
        if file is not None and file.is_file():
            return file
    return None


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


def _factor_set(name: object, scenario_file: str | None = None) -> tuple[dict | None, str]:
    """The factors of set ``name``, or None and why (quoting nothing of any file)."""
    dirs = factor_set_dirs(scenario_file)
    file, why = factor_set_file(name, dirs[-1])
    if file is None:
        return None, why
    if isinstance(name, str) and file == dirs[-1] / f"{name}.yaml":  # a name: search every folder
        file = find_factor_set(name, scenario_file) or file
    try:
        return _read_set(str(file)), ""
    except (OSError, ValueError, TypeError, AttributeError):
        shown = name if isinstance(name, str) and len(name) <= 60 else "given"
        return None, (
            f"factor set {shown!r} not found in {' or '.join(str(d) for d in dirs)}; "
            f"available: {', '.join(available_factor_sets(scenario_file)) or 'none'}"
        )


def resolve_factors(
    data: dict, file: str, located: Located, *, owned: bool = False
) -> tuple[dict, list[Problem], list[dict]]:
    """Replace every ``{factor: key}`` in ``data`` by its number.

    Returns the new data (a deep copy of ``data``; ``data`` itself, changed, when the
    caller ``owned`` it and nothing else refers to it), the problems found and a record of
    each factor used.
    """
    # Long: one pass over the factor targets, each outcome (unknown set, unknown key, unit mismatch) reported where it is found.
    data = data if owned else copy.deepcopy(data)
    problems: list[Problem] = []
    uses: list[dict] = []
    policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
    set_name = policy.get("factor_set", "shanghai-2022")
    named, why = factor_set_file(set_name, data_dir() / "factors")
    if named is None:  # refused even when no factor is used: a path is never loaded
        line = located.where.get(("policy", "factor_set"), (file, None))[1]
        return data, [Problem(file, "policy.factor_set", why, line)], uses
    factors: dict | None = None
    for path, container, key, unit, kind in list(_targets(data)):
        ref = container.get(key)
        if not (
            isinstance(ref, dict) and set(ref) == {"factor"} and isinstance(ref["factor"], str)
        ):
            continue  # a number, or a malformed reference pydantic will report
        line = located.where.get(path, (file, None))
        if factors is None:
            factors, why = _factor_set(set_name, file)
            if factors is None:
                line = located.where.get(("policy", "factor_set"), (file, None))[1]
                problems.append(Problem(file, "policy.factor_set", why, line))
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


#: GWP set used when neither the policy nor the factor set names one (China's reporting set).
DEFAULT_GWP_SET = "SAR"


@cache
def gwp_sets() -> dict[str, dict[str, float]]:
    """Return ``{set: {species: GWP}}`` from ``data/gwp.yaml`` (SAR, AR4, AR5, AR6)."""
    with (data_dir() / "gwp.yaml").open(encoding="utf-8") as fh:
        content = yaml.safe_load(fh) or {}
    return {
        name: {sp: float(v) for sp, v in entry.items() if sp != "source"}
        for name, entry in content.get("sets", {}).items()
    }


@cache
def factor_set_gwp(name: str) -> str:
    """Name of the GWP set factor set ``name`` uses (its ``gwp:`` key; default SAR)."""
    file = data_dir() / "factors" / f"{name}.yaml"
    if not file.is_file():
        return DEFAULT_GWP_SET
    with file.open(encoding="utf-8") as fh:
        content = yaml.safe_load(fh) or {}
    return str(content.get("gwp", DEFAULT_GWP_SET))


def gwp_weights(factor_set: str, override: str | None = None) -> dict[str, float]:
    """CO2e weight of each greenhouse gas: ``{"co2": 1, "ch4": ..., "n2o": ...}``.

    Parameters
    ----------
    factor_set
        The scenario's ``policy.factor_set``; its ``gwp:`` key names the GWP set.
    override
        ``policy.gwp_set``, which wins when given.
    """
    name = override or factor_set_gwp(factor_set)
    return {"co2": 1.0, **gwp_sets()[name]}


def scenario_gwp(scenario: object) -> dict[str, float]:
    """CO2e weights of a loaded scenario (its policy's GWP set or its factor set's)."""
    policy = scenario.policy  # type: ignore[attr-defined]
    return gwp_weights(policy.factor_set, policy.gwp_set)


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
