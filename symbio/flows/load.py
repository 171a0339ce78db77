"""Load a scenario: YAML (with ``extends`` chains) → validated, factor-resolved Scenario.

Every problem of a file is collected and raised together as one
:class:`~symbio.errors.ScenarioError`, each naming the file, the line and the field path.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from symbio.errors import Problem, ScenarioError
from symbio.flows.merge import deep_merge
from symbio.flows.pydantic_errors import problems_from_validation
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located, read_yaml

MAX_EXTENDS_DEPTH = 32


def load_raw(path: str | Path) -> Located:
    """Read ``path`` and its ``extends`` chain into one merged plain-data tree.

    Raises
    ------
    ScenarioError
        On YAML errors, missing base files or an ``extends`` cycle.
    """
    problems: list[Problem] = []
    merged = _load_chain(Path(path), [], problems)
    if problems or merged is None:
        raise ScenarioError(problems or [Problem(str(path), "", "could not be read")])
    return merged


def _load_chain(file: Path, chain: list[Path], problems: list[Problem]) -> Located | None:
    resolved = file.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in [*chain, resolved])
        problems.append(Problem(str(chain[-1]), "extends", f"extends cycle: {cycle}"))
        return None
    if len(chain) >= MAX_EXTENDS_DEPTH:
        problems.append(Problem(str(file), "extends", "extends chain is too deep"))
        return None
    if not file.exists():
        if chain:
            where = read_yaml(chain[-1], [])
            line = where.where.get(("extends",), (None, None))[1] if where else None
            problems.append(
                Problem(str(chain[-1]), "extends", f"base file not found: {file}", line)
            )
        else:
            problems.append(Problem(str(file), "", "file not found"))
        return None
    own = read_yaml(file, problems)
    if own is None:
        return None
    if not isinstance(own.data, dict):
        problems.append(Problem(str(file), "", "a scenario file must be a mapping of fields"))
        return None
    base_name = own.data.get("extends")
    if base_name is None:
        return own
    if not isinstance(base_name, str):
        line = own.where.get(("extends",), (None, None))[1]
        problems.append(Problem(str(file), "extends", "must be a file name", line))
        return None
    base = _load_chain(file.parent / base_name, [*chain, resolved], problems)
    if base is None:
        return None
    data = deep_merge(base.data, own.data)
    data["extends"] = base_name
    return Located(data, {**base.where, **own.where})


def load_scenario(path: str | Path) -> Scenario:
    """Load, merge, validate and resolve a scenario file.

    Parameters
    ----------
    path
        A scenario YAML file, possibly ``extends``-ing others (or an ``.xlsx`` workbook).

    Returns
    -------
    Scenario
        Frozen and checked; factor references resolved to numbers. ``scenario_origin``
        gives its file and sha256.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, line and field path.
    """
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from symbio.report.workbook import read_scenario_workbook  # optional path

        return read_scenario_workbook(path)
    located = load_raw(path)
    return scenario_from_data(located.data, located, str(path))


def scenario_from_data(data: object, located: Located | None, file: str) -> Scenario:
    """Validate plain data as a Scenario and run every cross-reference check."""
    from symbio.flows.checks import run_checks
    from symbio.flows.factors import resolve_factors

    located = located or Located(data)
    problems: list[Problem] = []
    if isinstance(data, dict):
        data, factor_problems, factor_uses = resolve_factors(data, file, located)
        problems += factor_problems
    else:
        factor_uses = []
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems + problems_from_validation(exc, data, located, file)) from None
    problems += run_checks(scenario, file, located)
    if problems:
        raise ScenarioError(problems)
    set_origin(scenario, file, factor_uses)
    return scenario


def scenario_sha256(scenario: Scenario) -> str:
    """Return the sha256 of the scenario's canonical JSON (same content, same hash)."""
    text = json.dumps(scenario.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def set_origin(scenario: Scenario, file: str, factor_uses: list[dict]) -> None:
    """Record where a scenario came from and which factors it used."""
    scenario._origin = {"file": file, "sha256": scenario_sha256(scenario), "factors": factor_uses}


def scenario_origin(scenario: Scenario) -> dict:
    """Return ``{"file", "sha256", "factors"}`` for a loaded scenario."""
    origin = scenario._origin
    if origin is None:
        return {"file": None, "sha256": scenario_sha256(scenario), "factors": []}
    return origin
