"""Field-path overrides of a scenario: ``--set policy.carbon_price_cny_t=0,100,200``.

A field path uses the same form as error messages: mapping keys joined by dots and list
records named by their key in brackets, e.g. ``sites[secco].supplies[h2].amount`` or
``markets[grid_power].buy_cny``. Several ``--set`` options make a grid (Cartesian product).
Overrides are applied to the merged scenario data and the result is validated again, so a
bad value gets the usual located error. An overridden number is the user's choice, no longer
an estimate: its entry in the scenario's ``estimates`` table is dropped (so a sweep may go
beyond the estimated range).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from symbio.errors import InputError, Problem, ScenarioError
from symbio.flows.fieldpath import parse_path, path_segments
from symbio.flows.load import load_raw, scenario_from_data
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located, record_key


def set_value(
    data: dict, path: str, value: object, *, in_place: bool = False, memo: dict | None = None
) -> dict:
    """Return a copy of ``data`` with the field at ``path`` set to ``value``.

    Missing mapping keys are created; list records must exist (named by their key).
    ``in_place``: change ``data`` itself and return it (no copy of the whole tree: for a
    caller that owns ``data`` and sets many values). ``memo``: a dict the caller keeps
    while it sets many values of one tree (each list's records are then looked up by key
    once, not scanned per path).
    """
    if not in_place:
        data = copy.deepcopy(data)
    segments = path_segments(path)
    node: object = data
    name, field = "", ""
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg.startswith("["):
            key = seg[1:-1]
            if isinstance(node, list) and key.isdigit() and not _has_records(node):
                node = _set_item(node, int(key), value, path) if last else node[int(key)]
                continue
            if not isinstance(node, list):
                raise InputError("--set", path, f"{name!r} is not a list of records")
            field = record_key(name)
            record = _record(node, field, key, memo)
            if record is None:
                known = ", ".join(str(r.get(field)) for r in node if isinstance(r, dict))
                raise InputError("--set", path, f"no record {key!r} in {name!r}; known: {known}")
            if last:
                node[node.index(record)] = value
                _forget(memo)
            else:
                node = record
        else:
            if not isinstance(node, dict):
                raise InputError("--set", path, f"cannot set {seg!r}: parent is not a mapping")
            if last:
                node[seg] = value
                if seg == field:  # a record's key changed: its list's look-up is stale
                    _forget(memo)
            else:
                node = node.setdefault(seg, {} if not segments[i + 1].startswith("[") else [])
            name = seg
    return data


def _record(node: list, field: str, key: str, memo: dict | None) -> dict | None:
    """The first record of ``node`` whose ``field`` reads ``key`` (None: there is none)."""
    if memo is None:
        return next((r for r in node if isinstance(r, dict) and str(r.get(field)) == key), None)
    kept = memo.get((id(node), field))
    if kept is None or kept[0] is not node:  # the list itself is kept: its id is not reused
        index: dict[str, dict] = {}
        for r in node:
            if isinstance(r, dict):
                index.setdefault(str(r.get(field)), r)
        kept = memo[id(node), field] = (node, index)
    return kept[1].get(key)


def _forget(memo: dict | None) -> None:
    if memo is not None:
        memo.clear()


def _has_records(node: list) -> bool:
    """True for a list of records (mappings), False for a list of plain values (``xy_km``)."""
    return any(isinstance(item, dict) for item in node)


def _set_item(node: list, index: int, value: object, path: str) -> list:
    """Set item ``index`` of a list of plain values in place (e.g. ``xy_km[0]``)."""
    if index >= len(node):
        raise InputError("--set", path, f"index {index} beyond the list's {len(node)} items")
    node[index] = value
    return node


def parse_assignment(text: str) -> tuple[str, list[object]]:
    """Parse ``path=v1,v2,...`` into the path and its values (each read as YAML)."""
    if "=" not in text:
        raise InputError("--set", text, "expected PATH=VALUE[,VALUE...]")
    path, raw = text.split("=", 1)
    parse_path(path.strip())
    values = [yaml.safe_load(v) if v.strip() else None for v in _split_values(raw)]
    if not values:
        raise InputError("--set", path, "no value given")
    return path.strip(), values


def _split_values(raw: str) -> list[str]:
    # Commas split values except inside brackets/braces (a list or mapping value).
    out, depth, cur = [], 0, ""
    for ch in raw:
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [v.strip() for v in out]


def grid(assignments: Sequence[str]) -> list[dict[str, object]]:
    """Cartesian product of ``--set`` assignments: a list of {path: value} dicts."""
    parsed = [parse_assignment(a) for a in assignments]
    if not parsed:
        return [{}]
    paths = [p for p, _ in parsed]
    return [
        dict(zip(paths, combo, strict=True)) for combo in itertools.product(*(v for _, v in parsed))
    ]


def apply_overrides(file: str | Path, overrides: Mapping[str, object]) -> Scenario:
    """Load ``file`` (with its ``extends`` chain), apply ``overrides`` and validate.

    Raises
    ------
    ScenarioError
        When the overridden scenario is invalid; the path names the overridden field.
    """
    located = read_base(file)
    # one copy per variant, not per value: the base tree is kept for the next variant
    data = pickle.loads(_tree_bytes(located))
    memo: dict = {}
    for path, value in overrides.items():
        set_value(data, path, value, in_place=True, memo=memo)
    data = _drop_overridden_estimates(data, overrides)
    try:
        return scenario_from_data(data, located, str(file), owned=True)  # data: our copy
    except ScenarioError as exc:
        note = ", ".join(f"{k}={v!r}" for k, v in overrides.items())
        raise ScenarioError(
            [*exc.problems, Problem(str(file), "", f"(with overrides {note})")]
        ) from None


#: Base scenarios read by this process: resolved path -> (digests of its files, tree).
_BASES: dict[str, tuple[tuple[tuple[str, str], ...], Located]] = {}
#: Bases kept; the memo is cleared beyond this many.
_BASES_MAX = 8


def read_base(file: str | Path) -> Located:
    """``load_raw(file)``, read once per process while its files are unchanged.

    A sweep applies hundreds of variants to one base file; reading and converting its YAML
    (and the files it extends) is most of a variant's loading. The kept tree is reused as
    long as every file it was read from has the same content (sha1 of the bytes, read
    again each time: cheap, and safe against an edit within the clock's resolution).
    Callers must not change the returned tree (:func:`apply_overrides` copies it).
    """
    key = str(Path(file).resolve())
    kept = _BASES.get(key)
    if kept is not None and _digests(f for f, _ in kept[0]) == kept[0]:
        return kept[1]
    located = load_raw(file)
    if len(_BASES) >= _BASES_MAX:
        _BASES.clear()
    files = {key, *(where[0] for where in located.where.values())}
    _BASES[key] = (_digests(files), located)
    return located


def _digests(files: object) -> tuple[tuple[str, str], ...]:
    out = []
    for f in sorted(files):  # type: ignore[call-overload]
        try:
            out.append((f, hashlib.sha1(Path(f).read_bytes(), usedforsecurity=False).hexdigest()))
        except OSError:
            out.append((f, ""))
    return tuple(out)


#: The pickle of the last base tree copied (:func:`_tree_bytes`): (its Located, bytes).
_PICKLED: list[tuple[Located, bytes]] = []


def _tree_bytes(located: Located) -> bytes:
    """The pickle of ``located.data``, made once per base (``pickle.loads`` of it is a deep
    copy: several times faster than ``deepcopy``). Every variant is a copy of the
    same unchanged tree (:func:`read_base`'s callers never change it), so its bytes are
    too; a base read again is another ``Located`` and is pickled afresh."""
    if _PICKLED and _PICKLED[0][0] is located:
        return _PICKLED[0][1]
    data = pickle.dumps(located.data, protocol=pickle.HIGHEST_PROTOCOL)
    _PICKLED[:] = [(located, data)]
    return data


def _drop_overridden_estimates(data: dict, overrides: Mapping[str, object]) -> dict:
    """Remove the ``estimates`` and ``sources`` entries of overridden paths (now a choice)."""
    for name in ("estimates", "sources"):
        table = data.get(name)
        if isinstance(table, dict) and any(p in table for p in overrides):
            data = {**data, name: {k: v for k, v in table.items() if k not in overrides}}
    return data
