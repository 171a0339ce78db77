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
from symbio.flows.magnitudes import json_dump
from symbio.flows.merge import deep_merge
from symbio.flows.pydantic_errors import problems_from_validation
from symbio.flows.refs import allowed_roots, file_kind, resolve_reference
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located, format_path, read_yaml, record_key

MAX_EXTENDS_DEPTH = 32


def load_raw(path: str | Path) -> Located:
    """Read ``path`` and its ``extends`` chain into one merged plain-data tree.

    Raises
    ------
    ScenarioError
        On YAML errors, missing base files, an ``extends`` cycle or a ``remove: true``
        that names no record of the base. Problems that do not stop reading (duplicate
        keys) are kept in ``Located.problems`` for :func:`scenario_from_data` instead.
    """
    problems: list[Problem] = []
    merged = _load_chain(Path(path), [], problems)
    if problems or merged is None:
        if merged is not None:
            problems = [*merged.problems, *problems]
        raise ScenarioError(problems or [Problem(str(path), "", "could not be read")])
    return merged


#: Top-level keys of a scenario file (field names and their aliases).
SCENARIO_KEYS = {
    *Scenario.model_fields,
    *(f.alias for f in Scenario.model_fields.values() if f.alias),
}


def _refuse(
    file: Path, resolved: Path, chain: list[tuple[Path, Path, int | None]]
) -> Problem | None:
    """Why ``file`` cannot be the next file of ``chain``: a cycle, too deep, or not a file."""
    child, child_line = (chain[-1][1], chain[-1][2]) if chain else (file, None)
    if any(resolved == c[0] for c in chain):
        cycle = " -> ".join(c[1].name for c in chain) + f" -> {file.name}"
        return Problem(
            str(child),
            "extends",
            f"extends cycle: {cycle}; a file cannot extend itself, directly or through others",
            child_line,
        )
    if len(chain) >= MAX_EXTENDS_DEPTH:
        return Problem(
            str(child),
            "extends",
            f"extends chain is deeper than {MAX_EXTENDS_DEPTH} files",
            child_line,
        )
    kind = file_kind(file)
    if kind != "file":
        what = {
            "directory": "is a directory, not a file",
            "special": "is not a regular file (a device, pipe or socket)",
        }
        if chain:
            msg = f"base file {what.get(kind, 'not found')}: {file}"
            return Problem(str(child), "extends", msg, child_line)
        msg = {"directory": "is a directory, not a scenario file"}.get(
            kind, what.get(kind, "file not found")
        )
        return Problem(str(file), "", msg)
    return None


def _load_chain(
    file: Path, chain: list[tuple[Path, Path, int | None]], problems: list[Problem]
) -> Located | None:
    """Load ``file``; ``chain`` holds (resolved, as given, line of ``extends``) of the files above."""
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        problems.append(Problem(str(file), "", f"cannot read file: {exc}"))
        return None
    refused = _refuse(file, resolved, chain)
    if refused is not None:
        problems.append(refused)
        return None
    read_problems: list[Problem] = []
    own = read_yaml(file, read_problems)
    if own is None:
        problems += read_problems
        return None
    # Other problems of reading (duplicate keys, ...) travel in own.problems and are
    # reported with the validation, so the planner sees them all at once.
    if not isinstance(own.data, dict):
        problems.append(Problem(str(file), "", "a scenario file must be a mapping of fields"))
        return None
    child, child_line = (chain[-1][1], chain[-1][2]) if chain else (file, None)
    if chain and own.data and not set(map(str, own.data)) & SCENARIO_KEYS:
        # Not a scenario at all: say so without quoting any of its content back.
        problems.append(
            Problem(str(child), "extends", f"base file is not a scenario file: {file}", child_line)
        )
        return None
    base_name = own.data.get("extends")
    if base_name is None:
        return own
    line = own.where.get(("extends",), (str(file), None))[1]
    top = chain[0][0] if chain else resolved
    base_file, why = resolve_reference(base_name, file.parent, allowed_roots(top))
    if base_file is None:
        problems.append(Problem(str(file), "extends", why, line))
        return None
    base = _load_chain(base_file, [*chain, (resolved, file, line)], problems)
    if base is None:
        return None
    unmatched: list[tuple[str, ...]] = []
    data = deep_merge(base.data, own.data, unmatched=unmatched)
    if not isinstance(data, dict):  # two mappings always merge to a mapping
        return None
    for path in unmatched:
        where = own.where.get(path, (str(file), None))
        problems.append(
            Problem(
                where[0],
                format_path(path),
                f"remove: true, but {base_name} has no such record to remove (check the id)",
                where[1],
            )
        )
    data["extends"] = base_name
    _drop_entries_of_removed(data, own.data)
    return Located(data, {**base.where, **own.where}, [*base.problems, *own.problems])


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
        return _load_workbook(path)
    located = load_raw(path)
    return scenario_from_data(located.data, located, str(path))


def _load_workbook(path: Path) -> Scenario:
    """Read and validate a scenario workbook; each problem names sheet, row and column."""
    from symbio.flows.xlsx.read import read_workbook, with_column

    data, located, cells = read_workbook(path)
    try:
        return scenario_from_data(data, located, str(path))
    except ScenarioError as exc:
        raise ScenarioError([with_column(p, cells) for p in exc.problems]) from None


def scenario_from_data(
    data: object, located: Located | None, file: str, *, owned: bool = False
) -> Scenario:
    """Validate plain data as a Scenario and run every cross-reference check.

    ``data`` is not changed unless the caller ``owned`` it (a copy nothing else refers
    to, as :func:`symbio.flows.overrides.apply_overrides` makes): it is then resolved in
    place instead of copied first.

    Raises
    ------
    ScenarioError
        Listing every problem found. When some records are malformed, the checks still
        run on the well-formed rest, so one call reports everything it can.
    """
    from symbio.flows.checks import run_checks
    from symbio.flows.factors import resolve_factors
    from symbio.flows.partial import validate_partial
    from symbio.flows.quantities import resolve_quantities

    located = located or Located(data)
    problems: list[Problem] = list(located.problems)
    if isinstance(data, dict):
        data, factor_problems, factor_uses = resolve_factors(data, file, located, owned=owned)
        # resolve_factors' data is a copy of its own (or owned): converted in place
        data, quantity_problems = resolve_quantities(data, file, located, owned=True)
        problems += factor_problems + quantity_problems
    else:
        factor_uses, quantity_problems = [], []
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        said = {p.path for p in quantity_problems}  # a quantity that did not convert: once
        problems += [
            p for p in problems_from_validation(exc, data, located, file) if p.path not in said
        ]
        partial = validate_partial(data, exc)
        if partial is not None:
            rest, known = partial
            problems += run_checks(rest, file, located, known=known)
        raise ScenarioError(_unique(problems)) from None
    problems += run_checks(scenario, file, located)
    if problems:
        raise ScenarioError(_unique(problems))
    set_origin(scenario, file, factor_uses)
    return scenario


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def scenario_sha256(scenario: Scenario) -> str:
    """Return the sha256 of the scenario's canonical JSON (same content, same hash).

    ``extends`` is left out: a variant and its written-out equivalent hash alike.
    """
    # the dump the magnitude checks made (shared, not changed) without ``extends``: the
    # same as ``model_dump(mode="json", by_alias=True, exclude={"extends"})``
    content = {k: v for k, v in json_dump(scenario).items() if k != "extends"}
    text = json.dumps(content, sort_keys=True)
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


def _drop_entries_of_removed(data: dict, own: dict) -> None:
    """Drop the ``estimates``/``sources`` entries of records the variant removes (in place).

    A variant that removes a record (``remove: true``) removes its numbers, so the base's
    field-level provenance of them no longer names anything.
    """
    gone = tuple(
        f"{section}[{item[record_key(section)]}]"
        for section, items in own.items()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and item.get("remove") is True and record_key(section) in item
    )
    for table in ("estimates", "sources"):
        entries = data.get(table)
        if gone and isinstance(entries, dict):
            data[table] = {k: v for k, v in entries.items() if not k.startswith(gone)}
