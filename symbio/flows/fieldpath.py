"""Read the value at a field path (``sites[lianheng].supplies[h2].amount``) of a loaded scenario.

The path form is the one of error messages, ``--set`` overrides, sweep samples and the
scenario's ``estimates`` table: mapping keys and fields joined by dots, list records named by
their key in brackets. Fields may be named by their YAML alias (``from``).
"""

from __future__ import annotations

import functools
import re

from pydantic import BaseModel

from symbio.errors import InputError
from symbio.flows.yamlsource import record_key


class FieldPathError(ValueError):
    """The path names no value of the scenario; the message says where it stops."""


_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]+\])*)")


def parse_path(path: str) -> list[str]:
    """Split ``a.b[c].d`` into ``["a", "b", "[c]", "d"]``.

    Raises
    ------
    InputError
        When the path is malformed.
    """
    out: list[str] = []
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if not m:
            raise InputError("--set", path, f"malformed field path near {part!r}")
        out.append(m.group(1))
        out += re.findall(r"\[[^\]]+\]", m.group(2))
    return out


@functools.lru_cache(maxsize=4096)
def path_segments(path: str) -> tuple[str, ...]:
    """:func:`parse_path` as a tuple, once per path and process (a sweep's samples and
    checks read the same paths again and again; a malformed path raises every time)."""
    return tuple(parse_path(path))


def resolve(root: object, path: str, memo: dict | None = None) -> object:
    """Return the value at ``path`` in ``root`` (a scenario model or plain data).

    ``memo``: a dict kept by a caller that resolves many paths of one unchanged ``root``
    (the record keys of each list are then collected once, not once per path).

    Raises
    ------
    FieldPathError
        When the path is malformed or a segment names nothing.
    """
    try:
        segments = path_segments(path)
    except InputError as exc:
        raise FieldPathError(exc.message) from None
    node, name = root, ""
    for seg in segments:
        if seg.startswith("["):
            node = _record(node, name, seg[1:-1], memo)
        else:
            node = _field(node, seg)
            name = seg
    return node


@functools.cache
def _attributes(cls: type[BaseModel]) -> dict[str, str]:
    """Field name of each name and alias of a model class."""
    out = {}
    for field, info in cls.model_fields.items():
        out[field] = field
        if info.alias:
            out.setdefault(info.alias, field)
    return out


def _field(node: object, key: str) -> object:
    if isinstance(node, BaseModel):
        field = _attributes(type(node)).get(key)
        if field is None:
            raise FieldPathError(f"no field {key!r} in {type(node).__name__}")
        return getattr(node, field)
    if isinstance(node, dict):
        if key in node:
            return node[key]
        raise FieldPathError(f"no key {key!r}; known: {', '.join(map(str, node)) or 'none'}")
    raise FieldPathError(f"cannot read {key!r}: its parent is not a mapping")


def _record(node: object, name: str, key: str, memo: dict | None = None) -> object:
    if not isinstance(node, list | tuple):
        raise FieldPathError(f"{name!r} is not a list of records")
    if key.isdigit() and all(is_number(item) for item in node):  # a list of numbers: xy_km[0]
        if int(key) < len(node):
            return node[int(key)]
        raise FieldPathError(f"index {key} beyond the {len(node)} items of {name!r}")
    positions = memo.get(id(node)) if memo is not None else None
    if positions is None:
        positions = _positions(node, record_key(name))
        if memo is not None:
            memo[id(node)] = positions
    if key in positions:
        return node[positions[key]]
    known = ", ".join(positions)
    raise FieldPathError(f"no record {key!r} in {name!r}; known: {known or 'none'}")


def _positions(node: list | tuple, field: str) -> dict[str, int]:
    """Position of the first record with each key (records without the key field left out)."""
    out: dict[str, int] = {}
    for i, item in enumerate(node):
        if _has(item, field):
            out.setdefault(str(_field(item, field)), i)
    return out


def _has(item: object, field: str) -> bool:
    try:
        _field(item, field)
    except FieldPathError:
        return False
    return True


def is_number(value: object) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)
