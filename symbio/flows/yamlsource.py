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
from yaml.composer import Composer

from symbio.errors import Problem
from symbio.flows.schema import RECORD_KEYS
from symbio.flows.yamldump import dump_yaml, dump_yaml_parts

Path_ = tuple[str, ...]
__all__ = ["dump_yaml", "dump_yaml_parts"]  # written by symbio.flows.yamldump, kept here


#: Largest scenario file read, bytes (the 1,000-site benchmark park is 1.2 MB).
MAX_BYTES = 8 * 1024 * 1024
#: Deepest nesting of lists and mappings (a scenario needs about 6).
MAX_DEPTH = 64
#: Most values a file may hold once aliases and merge keys are expanded (1,000 sites: 121,000).
MAX_VALUES = 500_000


class LimitError(Exception):
    """A YAML file is larger, deeper or expands to more values than symbio reads."""


class _Loader(yaml.SafeLoader):
    """Safe loader that also reads ``1e6`` and ``2.4e4`` as floats (YAML 1.2 style).

    Composing stops at :data:`MAX_DEPTH` levels of nesting and :data:`MAX_VALUES` nodes,
    so a hostile file cannot exhaust the stack or the memory.
    """

    _depth = 0
    _nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        return _bounded_compose(self, yaml.SafeLoader.compose_node, parent, index)


try:  # libyaml's C scanner and parser; PyYAML's Python composer on top keeps the bounds
    from yaml._yaml import CParser as _Events
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Events = None


if _Events is not None:

    class _CLoader(Composer, _Events, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """:class:`_Loader` with libyaml scanning and parsing (about 10× faster).

        libyaml turns the text into events (with line marks); the Python composer builds
        the node tree from them, so the depth and value bounds of :class:`_Loader` apply
        unchanged (libyaml's own composer would recurse in C without a bound).
        """

        _depth = 0
        _nodes = 0

        def __init__(self, stream: str) -> None:
            _Events.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
            return _bounded_compose(self, Composer.compose_node, parent, index)


def _bounded_compose(loader, compose, parent, index):  # noqa: ANN001, ANN202
    """Compose one node with ``compose``, refusing too deep or too many nodes."""
    loader._depth += 1
    loader._nodes += 1
    try:
        if loader._depth > MAX_DEPTH:
            line = loader.peek_event().start_mark.line + 1
            raise LimitError(f"is nested deeper than {MAX_DEPTH} levels (line {line})")
        if loader._nodes > MAX_VALUES:
            raise LimitError(f"holds more than {MAX_VALUES:,} values")
        return compose(loader, parent, index)
    finally:
        loader._depth -= 1


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\d[\d_]*)?(?:\.\d*)?[eE][-+]?\d+$"),
    list("-+0123456789."),
)
if _Events is not None:
    # The same resolvers (the YAML 1.2 float above included) for the libyaml loader.
    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
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
        size = file.stat().st_size
        if size > MAX_BYTES:
            msg = f"the file is {size / 2**20:.1f} MB; symbio reads scenario files up to {MAX_BYTES // 2**20} MB"
            problems.append(Problem(str(file), "", msg))
            return None
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(file), "", f"not a UTF-8 text file ({exc.reason})"))
        return None
    except OSError as exc:
        problems.append(Problem(str(file), "", f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        node = _compose_once(text)
    except LimitError as exc:
        problems.append(Problem(str(file), "", f"refused: the YAML {exc}"))
        return None
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


#: Node trees of texts already composed (scenario variants re-read the file they extend),
#: keyed by the text and the bounds it was checked against.
_COMPOSED: dict[tuple[str, int, int], yaml.Node | None] = {}
#: Texts kept; the memo is cleared beyond this many.
_COMPOSED_MAX = 32


def _compose_once(text: str) -> yaml.Node | None:
    """:func:`_compose`, memoised on the text itself (node trees are only read, never changed)."""
    key = (text, MAX_DEPTH, MAX_VALUES)
    if key not in _COMPOSED:
        node = _compose(text)  # raises before anything is kept
        if len(_COMPOSED) >= _COMPOSED_MAX:
            _COMPOSED.clear()
        _COMPOSED[key] = node
    return _COMPOSED[key]


def _compose(text: str) -> yaml.Node | None:
    """Compose one YAML document, bounded in depth and in values after alias expansion.

    Raises
    ------
    LimitError
        Too deep, too many nodes, aliases that expand beyond :data:`MAX_VALUES` values
        (a "billion laughs" bomb, plain or through merge keys) or an alias to itself.
    """
    loader = (_CLoader if _Events is not None else _Loader)(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in str(exc.problem):
            raise
        # libyaml refuses beyond its own bound (1,000 levels) before the composer sees it.
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise LimitError(f"is nested deeper than {MAX_DEPTH} levels (line {line})") from None
    finally:
        loader.dispose()
    if node is not None:
        expanded_size(node, {}, set())
    return node


def expanded_size(node: yaml.Node, sizes: dict[int, int], open_: set[int]) -> int:
    """Number of values ``node`` stands for once every alias is expanded (memoised per node).

    Raises
    ------
    LimitError
        Beyond :data:`MAX_VALUES`, or when a node contains itself (a recursive alias).
    """
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_:
        raise LimitError("has an alias that contains itself")
    open_.add(key)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(expanded_size(child, sizes, open_) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += expanded_size(k, sizes, open_) + expanded_size(v, sizes, open_)
            if total > MAX_VALUES:
                break
    open_.discard(key)
    if total > MAX_VALUES:
        raise LimitError(f"expands to more than {MAX_VALUES:,} values (aliases repeated)")
    sizes[key] = total
    return total


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
