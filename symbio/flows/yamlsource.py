"""Read YAML keeping, for every value, the file and line it was written on.

A *path* is a tuple of segments: a mapping key (``"sites"``) or a list item named by its
record key (``"[secco]"``) or, for plain lists, by position (``"[0]"``). ``format_path``
turns ``("sites", "[secco]", "supplies", "[h2]", "amount")`` into
``sites[secco].supplies[h2].amount``, the form every error message uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from symbio.errors import Problem
from symbio.flows.schema import RECORD_KEYS

Path_ = tuple[str, ...]


class _Loader(yaml.SafeLoader):
    """Safe loader that also reads ``1e6`` and ``2.4e4`` as floats (YAML 1.2 style)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\d[\d_]*)?(?:\.\d*)?[eE][-+]?\d+$"),
    list("-+0123456789."),
)
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class Located:
    """Plain YAML data plus the (file, line) of every path in it."""

    data: object
    where: dict[Path_, tuple[str, int]] = field(default_factory=dict)
    #: Problems that do not stop reading (a duplicate key, a bad scalar tag): the loader
    #: reports them together with the validation of the data.
    problems: list[Problem] = field(default_factory=list)


def record_key(list_name: str) -> str:
    """Return the field that names the records of list ``list_name`` (default ``id``)."""
    return RECORD_KEYS.get(list_name, "id")


def item_segment(list_name: str, item: object, index: int) -> str:
    """Return the path segment of one list item: ``[<key value>]`` or ``[<index>]``."""
    if isinstance(item, dict):
        key = item.get(record_key(list_name))
        if isinstance(key, str | int) and not isinstance(key, bool):
            return f"[{key}]"
    return f"[{index}]"


def format_path(path: Path_) -> str:
    """Join path segments into ``a.b[c].d``."""
    out = ""
    for seg in path:
        out += seg if seg.startswith("[") or not out else f".{seg}"
    return out


def read_yaml(file: Path, problems: list[Problem]) -> Located | None:
    """Parse ``file``; on failure append a Problem and return None.

    Problems that do not stop reading (a duplicate key, a bad scalar tag) are appended to
    ``problems`` too and also kept in the returned ``Located.problems``.
    """
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(file), "", f"not a UTF-8 text file ({exc.reason})"))
        return None
    except OSError as exc:
        problems.append(Problem(str(file), "", f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problems.append(_yaml_problem(str(file), exc))
        return None
    except yaml.YAMLError as exc:  # e.g. a control character the reader rejects
        problems.append(Problem(str(file), "", f"YAML syntax error: {exc}"))
        return None
    if node is None:
        problems.append(Problem(str(file), "", "the file is empty"))
        return None
    loc = Located(None)
    converter = _Converter(str(file), loc.where)
    try:
        loc.data = converter.convert(node, (), "")
    except RecursionError:
        problems.append(Problem(str(file), "", "YAML nesting is too deep (a recursive alias?)"))
        return None
    loc.problems = [
        Problem(str(file), format_path(p), msg, line) for p, msg, line in converter.pending
    ]
    problems += loc.problems
    return loc


def _yaml_problem(file: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = exc.problem or exc.context or str(exc)
    return Problem(file, "", f"YAML syntax error: {what}", line)


class _Converter:
    """Turn a composed YAML node tree into plain data, recording each path's line.

    Problems are kept as (path, message, line) in ``pending``: inside a list item the
    path is provisional (``#``) until the item's record key is known.
    """

    def __init__(self, file: str, where: dict[Path_, tuple[str, int]]) -> None:
        self.file, self.where = file, where
        self.pending: list[tuple[Path_, str, int]] = []
        # One constructor per file: it caches every node it builds.
        self.constructor = _Loader("")

    def convert(self, node: yaml.Node, path: Path_, list_name: str) -> object:
        self.where[path] = (self.file, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path, list_name)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, ArithmeticError) as exc:
            # e.g. ``!!python/object`` (not allowed) or ``!!int abc`` (PyYAML's ValueError)
            what = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else exc
            msg = f"bad YAML value: {what}"
            self.pending.append((path, msg, node.start_mark.line + 1))
            return None

    def _sequence(self, node: yaml.SequenceNode, path: Path_, list_name: str) -> list:
        items = []
        for i, child in enumerate(node.value):
            # Convert once with a provisional path, then re-key by the record key.
            sub = _Converter(self.file, {})
            sub.constructor = self.constructor
            value = sub.convert(child, ("#",), "")
            seg = item_segment(list_name, value, i)
            for p, w in sub.where.items():
                self.where[(*path, seg, *p[1:])] = w
            self.pending += [((*path, seg, *p[1:]), msg, line) for p, msg, line in sub.pending]
            items.append(value)
        return items

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        out: dict = {}
        lines: dict[str, int] = {}
        merged: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:  # ``<<: *defaults``: keys given here win
                for src in _merge_sources(value_node):
                    value = self.convert(src, path, "")
                    if isinstance(value, dict):
                        merged = {**value, **merged}
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.pending.append(
                    (path, "a key must be a plain name, not a list or mapping", line)
                )
                continue
            key = str(key_node.value)
            if key in out:
                msg = f"duplicate key {key!r} (first given on line {lines[key]}); give it once"
                self.pending.append(((*path, key), msg, line))
            out[key] = self.convert(value_node, (*path, key), key)
            lines.setdefault(key, line)
            self.where[(*path, key)] = (self.file, line)
        self.where[path] = (self.file, node.start_mark.line + 1)
        return {**merged, **out}


def _merge_sources(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return [node]
