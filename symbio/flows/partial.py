"""Validate what is well-formed in a scenario that pydantic rejected, to report all at once.

When some records of a file are malformed, pydantic stops before the cross-reference
checks. So that a planner still sees every problem in one run, :func:`validate_partial`
sets the malformed parts aside (an invalid optional field is dropped, a record with an
invalid required field is dropped whole) and validates the rest. The ids of dropped
records stay *known*, so the checks do not also report references to them as undefined.
"""

from __future__ import annotations

import copy

from pydantic import ValidationError

from symbio.flows.checks import ANY_ID
from symbio.flows.pydantic_errors import drop_union_tags, model_at
from symbio.flows.schema import RECORD_FAMILIES, Scenario

#: Top-level lists whose records other records refer to by id.
REFERENCED = RECORD_FAMILIES
MAX_PASSES = 4


def validate_partial(
    data: object, exc: ValidationError
) -> tuple[Scenario, dict[str, set[str]]] | None:
    """Return the well-formed part of ``data`` as a Scenario, and the ids set aside.

    Parameters
    ----------
    data
        The plain scenario data that failed validation with ``exc``.
    exc
        Its validation error.

    Returns
    -------
    tuple or None
        ``(scenario, known)`` where ``known`` maps a top-level list name to the ids of
        the records dropped from it; None when too little is left to check.
    """
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    known: dict[str, set[str]] = {name: set() for name in REFERENCED}
    for _ in range(MAX_PASSES):
        if not _set_aside(data, exc.errors(), known):
            return None
        try:
            return Scenario.model_validate(data), known
        except ValidationError as again:
            exc = again
        except (TypeError, ValueError):
            return None
    return None


def _set_aside(data: dict, errors: list, known: dict[str, set[str]]) -> bool:
    """Remove the malformed parts named by ``errors`` from ``data`` (in place)."""
    drops: dict[tuple, set[int]] = {}
    fields: set[tuple] = set()
    for err in errors:
        loc = drop_union_tags(err["loc"])
        target = _target(data, loc, err["type"])
        if target is None:
            return False
        kind, where = target
        if kind == "item":
            drops.setdefault(where[:-1], set()).add(where[-1])
        else:
            fields.add(where)
    for where in sorted(fields, key=len, reverse=True):
        parent = _get(data, where[:-1])
        if isinstance(parent, dict):
            parent.pop(where[-1], None)
    for where, indices in sorted(drops.items(), key=lambda kv: len(kv[0]), reverse=True):
        items = _get(data, where)
        if not isinstance(items, list):
            continue
        for i in sorted(indices, reverse=True):
            if i < len(items):
                item = items.pop(i)
                if len(where) == 1 and where[0] in known:
                    rid = item.get("id") if isinstance(item, dict) else None
                    known[where[0]].add(rid if isinstance(rid, str) else ANY_ID)
    if "name" not in data or not isinstance(data.get("name"), dict):
        data["name"] = {"en": "?"}
    return True


def _target(data: dict, loc: tuple, kind: str) -> tuple[str, tuple] | None:
    """Decide what to set aside for one error: ``("field", loc)`` or ``("item", loc)``."""
    if not loc or loc[0] in ("resources", "sites") and len(loc) == 1:
        return None  # nothing (left) to check references against
    # Positions in loc that index a list of records (resources[3], sites[0].supplies[1], ...).
    items = [
        i
        for i, part in enumerate(loc)
        if isinstance(part, int) and model_at(loc[: i + 1]) is not None
    ]
    if not items:
        return "field", loc[:1]
    r = items[-1]
    if r == len(loc) - 1:  # the record itself is wrong (not a mapping, or a model check)
        return "item", loc
    model = model_at(loc[: r + 1])
    name = loc[r + 1]
    fields = _fields_by_alias(model) if model is not None else {}
    optional = isinstance(name, str) and name in fields and not fields[name].is_required()
    if kind == "extra_forbidden" or optional:
        return "field", loc[: r + 2]
    return "item", loc[: r + 1]


def _fields_by_alias(model: type) -> dict:
    return {(f.alias or n): f for n, f in model.model_fields.items()}


def _get(data: object, loc: tuple) -> object:
    node = data
    for part in loc:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node
