"""Write scenario data as YAML: :func:`dump_yaml`, and :func:`dump_yaml_parts` from memos.

A sweep writes hundreds of resolved scenarios that differ from each other in some numbers
(``scenario.resolved.yaml`` of every run), so :func:`dump_yaml_parts` writes a scenario part
by part (each top-level entry, each record of a top-level list) and keeps two memos:

- the text of each part, by its pickle (the C pickler: ~4x faster than its JSON text, and
  exact: the bytes give back the part, types and shared containers included, so two parts
  with the same key are the same data and have the same dump; equal parts pickled with a
  different sharing of their strings only miss the memo): a record no sample changed is
  looked up;
- the text of each part's *shape* (the part with every number replaced by a mark), split at
  the marks: a record that differs from one written before only in its numbers is written
  by putting its numbers' text between the pieces.

The second gives the text a dump gives because a number is always written as a plain
scalar where it stands: PyYAML represents an ``int`` as ``str(x)`` and a ``float`` as
:meth:`~yaml.representer.SafeRepresenter.represent_float` does (used here), both resolve
back to their tag, so the emitter writes them unquoted; in block style (the dump's, no
flow collections but empty ones) every scalar ends its line, and no other scalar's text or
position depends on a number's length. A part is written in full instead when its shape
could be read two ways (a mapping key that is not a string, the mark in a string, a
container held twice, which the dump writes with an anchor, a type other than plain JSON
data) or when its template does not show each mark alone at the end of a line
(``tests/flows/test_yaml_parts.py`` compares both ways on every SCIP sample and on
awkward numbers).
"""

from __future__ import annotations

import pickle
import re

import yaml
from yaml.representer import SafeRepresenter

#: libyaml's C emitter when PyYAML was built with it (same text as the Python one, ~5x faster).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: object, **options: object) -> str:
    """``yaml.safe_dump(data, allow_unicode=True, sort_keys=False, **options)``, in C if possible."""
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, **options)


#: YAML text of scenario parts already written by this process (pickle of the part -> YAML).
_DUMPED: dict[bytes, str] = {}
#: Templates of part shapes (pickle of the shape -> the text's pieces between the
#: numbers, or None when the shape is written in full).
_SHAPES: dict[bytes, tuple[str, ...] | None] = {}
#: Parts (and shapes) kept; a memo is cleared beyond this many.
_DUMPED_MAX = 4096
_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*\Z")
#: Stands for a number in a shape: a plain string the dump writes as it is.
_MARK = "zQ7symbioNumberMark9Xq"
#: The text of an int or float as PyYAML writes it unquoted (a subset of its resolvers').
_NUMBER_TEXT = re.compile(
    r"-?(?:0|[1-9][0-9]*)|-?[0-9]+\.[0-9]*(?:e[-+][0-9]+)?|-?\.inf|\.nan", re.ASCII
)
_REPRESENTER = SafeRepresenter()


def dump_yaml_parts(data: dict) -> str:
    """``dump_yaml(data)`` for a mapping, with the text of each part kept for the next call.

    The same text as :func:`dump_yaml`: a top-level block mapping is the concatenation of
    its entries, and a list of records under a plain key is ``key:`` followed by each
    record as a one-item list (PyYAML does not indent a list under a mapping key). Many
    runs of one process write scenarios that differ in a few numbers (a sweep's variants),
    so most records are written once and looked up afterwards (module docstring).
    """
    if not isinstance(data, dict) or not data:
        return dump_yaml(data)
    parts = []
    for key, value in data.items():
        if isinstance(key, str) and _PLAIN_KEY.match(key) and _records(value):
            parts.append(f"{key}:\n")
            parts += [_dump_part([item]) for item in value]
        else:
            parts.append(_dump_part({key: value}))
    return "".join(parts)


def _records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) for x in value)


def _key(part: object) -> bytes:
    """The memo key of a part or shape: its pickle (module docstring)."""
    return pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)


def _dump_part(part: object) -> str:
    key = _key(part)
    text = _DUMPED.get(key)
    if text is None:
        if len(_DUMPED) >= _DUMPED_MAX:
            _DUMPED.clear()
        text = _DUMPED[key] = _from_shape(part) or dump_yaml(part)
    return text


class _NoShape(Exception):
    """The part is written in full (see the module docstring)."""


def _from_shape(part: object) -> str | None:
    """The part's text from the template of its shape, or None to write it in full."""
    numbers: list[object] = []
    try:
        shape = _shape(part, numbers, set())
    except _NoShape:
        return None
    if not numbers:
        return None
    key = _key(shape)
    if key not in _SHAPES:
        if len(_SHAPES) >= _DUMPED_MAX:
            _SHAPES.clear()
        _SHAPES[key] = _template(shape, len(numbers))
    pieces = _SHAPES[key]
    if pieces is None:
        return None
    texts = [_number_text(x) for x in numbers]
    if not all(_NUMBER_TEXT.fullmatch(t) for t in texts):
        return None
    out = [pieces[0]]
    for text, piece in zip(texts, pieces[1:], strict=True):
        out += (text, piece)
    return "".join(out)


def _shape(node: object, numbers: list[object], seen: set[int]) -> object:
    """``node`` with each int and float replaced by :data:`_MARK` (appended to ``numbers``)."""
    kind = type(node)
    if kind is dict or kind is list:
        return _container_shape(node, kind, numbers, seen)
    return _leaf_shape(node, kind, numbers)


def _leaf_shape(node: object, kind: type, numbers: list[object]) -> object:
    """The shape of a value that is not a dict or list (raises :class:`_NoShape` when it has
    none: a type other than plain JSON data, or a string holding the mark)."""
    if kind is int or kind is float:
        numbers.append(node)
        return _MARK
    if node is None or kind is bool:
        return node
    if kind is str:
        if _MARK in node:  # type: ignore[operator]
            raise _NoShape
        return node
    raise _NoShape


def _container_shape(node: object, kind: type, numbers: list[object], seen: set[int]) -> object:
    """The shape of a dict or list; its plain values are handled here, without a call each."""
    if id(node) in seen:  # the dump would write an anchor and an alias
        raise _NoShape
    seen.add(id(node))
    if kind is list:
        items: list[object] = []
        for x in node:  # type: ignore[attr-defined]
            t = type(x)
            if t is dict or t is list:
                items.append(_container_shape(x, t, numbers, seen))
            elif t is str and _MARK not in x:  # type: ignore[operator]
                items.append(x)
            else:
                items.append(_leaf_shape(x, t, numbers))
        return items
    out = {}
    for k, v in node.items():  # type: ignore[attr-defined]
        if type(k) is not str or _MARK in k:
            raise _NoShape
        t = type(v)
        if t is dict or t is list:
            out[k] = _container_shape(v, t, numbers, seen)
        elif t is str and _MARK not in v:  # type: ignore[operator]
            out[k] = v
        else:
            out[k] = _leaf_shape(v, t, numbers)
    return out


def _template(shape: object, count: int) -> tuple[str, ...] | None:
    """The dump of ``shape`` split at its marks, or None unless each mark ends a line alone."""
    pieces = tuple(dump_yaml(shape).split(_MARK))
    if len(pieces) != count + 1:
        return None
    if not all(p.endswith(" ") for p in pieces[:-1]):
        return None
    if not all(p.startswith("\n") for p in pieces[1:]):
        return None
    return pieces


def _number_text(x: object) -> str:
    """The scalar text PyYAML's safe representer gives an int or a float."""
    if type(x) is int:
        return str(x)
    return _REPRESENTER.represent_float(x).value
