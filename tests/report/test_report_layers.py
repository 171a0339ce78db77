"""The report package sits below cli/pilot/pathways/sweep/allocation and above run/results/flows.

Scenario Excel I/O lives with the scenario format (``symbio.flows.xlsx``), so the loader never
imports the report package (the cycle flows.load → report.workbook → flows.load is gone).
"""

from __future__ import annotations

import ast
from pathlib import Path

import symbio

ROOT = Path(symbio.__file__).parent
ABOVE_REPORT = (
    "symbio.cli",
    "symbio.pilot",
    "symbio.pathways",
    "symbio.sweep",
    "symbio.allocation",
)
BELOW_REPORT = ("flows", "model", "solvers", "scoring", "results.py", "run.py", "errors.py")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (at any depth: lazy imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def offenders(files: list[Path], banned: tuple[str, ...]) -> list[str]:
    """``file -> module`` for each import of a banned package."""
    return [
        f"{f.name} -> {m}"
        for f in files
        for m in sorted(imported_modules(f))
        if any(m == b or m.startswith(b + ".") for b in banned)
    ]


def test_report_imports_nothing_above_it():
    files = sorted((ROOT / "report").rglob("*.py"))
    assert files
    assert offenders(files, ABOVE_REPORT) == []


def test_layers_below_report_never_import_it():
    files = [
        f
        for name in BELOW_REPORT
        for f in ([ROOT / name] if name.endswith(".py") else sorted((ROOT / name).rglob("*.py")))
        if f.exists()
    ]
    assert len(files) > 20
    assert offenders(files, ("symbio.report",)) == []


def test_the_layer_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from symbio.report.labels import t\n", encoding="utf-8")
    assert offenders([bad], ("symbio.report",)) != []
