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
_CONSTRUCTOR = _Loader("")


@dataclass
class Located:
    """Plain YAML data plus the (file, line) of every path in it."""

    data: object
    where: dict[Path_, tuple[str, int]] = field(default_factory=dict)


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
    """Parse ``file``; on failure append a Problem and return None."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(Problem(str(file), "", f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        msg = f"YAML syntax error: {exc.problem or exc}"
        problems.append(Problem(str(file), "", msg, line))
        return None
    if node is None:
        problems.append(Problem(str(file), "", "the file is empty"))
        return None
    loc = Located(None)
    loc.data = _convert(node, (), "", str(file), loc.where, problems)
    return loc


def _convert(node, path, list_name, file, where, problems):  # noqa: ANN001, ANN202
    where[path] = (file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                problems.append(
                    Problem(
                        file,
                        format_path((*path, key)),
                        "duplicate key",
                        key_node.start_mark.line + 1,
                    )
                )
            out[key] = _convert(value_node, (*path, key), key, file, where, problems)
            where[(*path, key)] = (file, key_node.start_mark.line + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, child in enumerate(node.value):
            # Convert once with a provisional path, then re-key by the record key.
            tmp: dict = {}
            value = _convert(child, ("#",), "", file, tmp, problems)
            seg = item_segment(list_name, value, i)
            for p, w in tmp.items():
                where[(*path, seg, *p[1:])] = w
            items.append(value)
        return items
    return _CONSTRUCTOR.construct_object(node, deep=True)
