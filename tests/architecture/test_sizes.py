"""Small modules and short functions: the house rule of DESIGN.md, checked on every run.

A module in ``symbio/`` has at most :data:`MAX_MODULE_LINES` lines. A function body (with its
docstring) has at most :data:`MAX_FUNCTION_LINES` lines, unless a comment line starting with
``# Long:`` between the ``def`` and its first statement after the docstring says why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import symbio

PACKAGE = Path(symbio.__file__).parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

#: Files exempt from both rules, each with its reason. Keep this list short and shrinking.
ALLOWED: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).as_posix() not in ALLOWED
    )


def _body_start(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Line of the first statement after the docstring (or of the docstring if it is all)."""
    first = node.body[0]
    is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    if is_doc and isinstance(first.value.value, str) and len(node.body) > 1:
        return node.body[1].lineno
    return first.lineno


def long_functions(path: Path) -> list[str]:
    """Functions of ``path`` over the limit without a ``# Long:`` reason at their top."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.body[0].lineno + 1
        if length <= MAX_FUNCTION_LINES:
            continue
        top = lines[node.lineno - 1 : _body_start(node)]
        if not any(line.strip().startswith("# Long:") for line in top):
            found.append(f"{node.name} ({length} lines)")
    return found


def test_allow_list_names_existing_files():
    missing = [name for name in ALLOWED if not (PACKAGE / name).is_file()]
    assert not missing, f"allow-listed files that no longer exist: {missing}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_is_small(path: Path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_MODULE_LINES, f"{n} lines: split it by concept"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_functions_are_short_or_say_why(path: Path):
    found = long_functions(path)
    assert not found, f"split these or add '# Long: <reason>' at their top: {found}"


def test_rule_catches_a_long_function(tmp_path: Path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES + 1))
    src = tmp_path / "m.py"
    src.write_text(f'def f():\n    """Doc."""\n{body}\n', encoding="utf-8")
    assert long_functions(src) == [f"f ({MAX_FUNCTION_LINES + 2} lines)"]
    src.write_text(f'def f():\n    """Doc."""\n    # Long: a reason.\n{body}\n', encoding="utf-8")
    assert long_functions(src) == []
