"""Imports go down the layers only, and no module imports itself back through others.

The layers (DESIGN.md, "One path for the data"), from the top:

    cli → pilot → pathways / sweep / allocation → report → run → results (with the run's
    helpers ``savings``, ``audit``, ``audit_values``, ``canonical``, ``result_tables``) →
    solvers → model →
    flows / scoring → errors
    (and the small file helpers ``paths``, ``fileio``, ``outdir``, ``resultdir``)

A module may import from its own layer or any layer below. Imports inside functions count
(a deferred import is still a dependency); imports under ``if TYPE_CHECKING:`` do not.
``symbio/__init__.py`` (the public API gathering every layer) is left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import symbio

PACKAGE = Path(symbio.__file__).parent

#: Layer of each top-level part of the package; a higher number sits higher.
LAYERS = {
    "errors": 0,
    "paths": 0,
    "fileio": 0,
    "outdir": 0,
    "resultdir": 0,
    "flows": 1,
    "scoring": 1,
    "model": 2,
    "solvers": 3,
    "results": 4,
    "result_tables": 4,
    "savings": 4,
    "audit": 4,
    "audit_values": 4,
    "canonical": 4,
    "run": 5,
    "report": 6,
    "pathways": 7,
    "sweep": 7,
    "allocation": 7,
    "robust": 7,
    "pilot": 8,
    "cli": 9,
    "__main__": 10,
}


def _module_name(file: Path) -> str:
    parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(file: Path) -> set[str]:
    """Modules of symbio that ``file`` imports (resolved to the deepest existing module)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    me = _module_name(file)
    package = me if file.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("symbio"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if not base.startswith("symbio"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _exists(candidate) else base)
    return {m for m in found if m != me}


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for file in sorted(PACKAGE.rglob("*.py")):
        if file == PACKAGE / "__init__.py":
            continue
        me = _module_name(file)
        g.add_node(me)
        for target in _imports(file):
            if target != "symbio":
                g.add_edge(me, target)
    return g


def _layer(module: str) -> int:
    part = module.split(".")[1]
    if part not in LAYERS:
        pytest.fail(f"{module}: top-level part {part!r} has no layer; add it to LAYERS")
    return LAYERS[part]


def test_imports_go_down_the_layers():
    upward = [
        f"{a} (layer {_layer(a)}) imports {b} (layer {_layer(b)})"
        for a, b in _graph().edges
        if _layer(b) > _layer(a)
    ]
    assert not upward, "imports up the layers:\n" + "\n".join(sorted(upward))


def test_no_import_cycles():
    g = _graph()
    # A package's __init__ re-exporting its modules is not a cycle of dependencies.
    g.remove_edges_from([(a, b) for a, b in list(g.edges) if b.startswith(a + ".")])
    cycles = [c for c in nx.simple_cycles(g) if len(c) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join([*c, c[0]]) for c in cycles)


def test_the_check_sees_a_planted_upward_import(tmp_path, monkeypatch):
    """The layer check must be able to fail: a flows module importing the report is caught."""
    fake = tmp_path / "symbio"
    (fake / "flows").mkdir(parents=True)
    (fake / "report").mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "flows" / "__init__.py").write_text("")
    (fake / "report" / "__init__.py").write_text("")
    (fake / "report" / "html.py").write_text("X = 1\n")
    (fake / "flows" / "load.py").write_text("def f():\n    from symbio.report.html import X\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    with pytest.raises(AssertionError, match="symbio.flows.load"):
        test_imports_go_down_the_layers()
