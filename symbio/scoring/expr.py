"""A small, safe expression evaluator for indicator formulas.

Formulas are arithmetic over named KPIs, e.g. ``100 * reused_water_t / water_use_t`` or
``energy_tce / value_added_1e4cny``. The grammar is deliberately tiny:

- numbers (``int`` or ``float`` literals; booleans are rejected),
- KPI names (Python identifiers, except ``min`` and ``max``),
- the binary operators ``+ - * /``, unary ``-`` and ``+``, parentheses,
- calls to ``min(a, b, ...)`` and ``max(a, b, ...)`` with two or more arguments.

The text is parsed with :func:`ast.parse` and only whitelisted node types are accepted;
nothing is ever passed to ``eval``. Evaluation raises :class:`NotAvailable` (not an error)
when a KPI is missing or not a finite number, or when a division by zero occurs: the
indicator is then "not available" and is reported and excluded by the caller.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass

from symbio.errors import SymbioError

__all__ = ["Expression", "ExpressionError", "NotAvailable", "evaluate", "parse_expression"]

_MAX_LENGTH = 1000
_MAX_DEPTH = 50
_FUNCTIONS = {"min": min, "max": max}
_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_UNARYOPS = (ast.USub, ast.UAdd)


class ExpressionError(SymbioError, ValueError):
    """A formula uses syntax outside the whitelisted grammar."""


class NotAvailable(Exception):  # noqa: N818 - a signal, not an error
    """The formula cannot be evaluated for these KPIs; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Expression:
    """A parsed, validated formula.

    Attributes
    ----------
    source : str
        The formula text as written.
    names : frozenset of str
        The KPI names the formula reads.
    """

    source: str
    names: frozenset[str]
    _tree: ast.Expression

    def __call__(self, kpis: Mapping[str, object]) -> float:
        """Evaluate the expression; see :func:`evaluate`."""
        return evaluate(self, kpis)


def parse_expression(text: str) -> Expression:
    """Parse and validate a formula.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"100 * reused_water_t / water_use_t"``.

    Returns
    -------
    Expression
        The validated expression with the set of KPI names it reads.

    Raises
    ------
    ExpressionError
        If the text is not valid Python syntax or uses anything outside the grammar
        (attributes, subscripts, comparisons, other functions, keywords, strings, ...).

    Examples
    --------
    >>> e = parse_expression("max(0, 100 * (a - b) / a)")
    >>> sorted(e.names)
    ['a', 'b']
    >>> e({"a": 4, "b": 1})
    75.0
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"formula must be a non-empty string, got {text!r}")
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"formula longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"formula {text!r} is not valid: {exc.msg}") from None
    names: set[str] = set()
    _check(tree.body, text, names, 0)
    return Expression(source=text.strip(), names=frozenset(names), _tree=tree)


def _check(node: ast.AST, text: str, names: set[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise ExpressionError(f"formula {text!r} is nested too deeply")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"formula {text!r}: only numbers are allowed as constants")
        try:
            finite = math.isfinite(float(node.value))
        except OverflowError:  # a 309-digit integer
            finite = False
        if not finite:
            raise ExpressionError(f"formula {text!r}: a constant is too large for a number")
        return
    if isinstance(node, ast.Name):
        if node.id in _FUNCTIONS:
            raise ExpressionError(f"formula {text!r}: {node.id!r} is a function, not a KPI")
        names.add(node.id)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
        _check(node.left, text, names, depth + 1)
        _check(node.right, text, names, depth + 1)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, _UNARYOPS):
        _check(node.operand, text, names, depth + 1)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise ExpressionError(f"formula {text!r}: only min() and max() may be called")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"formula {text!r}: {node.func.id}() takes plain arguments")
        if len(node.args) < 2:
            raise ExpressionError(f"formula {text!r}: {node.func.id}() needs two or more arguments")
        for arg in node.args:
            _check(arg, text, names, depth + 1)
        return
    raise ExpressionError(
        f"formula {text!r}: {type(node).__name__} is not allowed "
        "(use numbers, KPI names, + - * /, parentheses, min(), max())"
    )


def evaluate(expr: Expression | str, kpis: Mapping[str, object]) -> float:
    """Evaluate a formula over KPI values.

    Parameters
    ----------
    expr : Expression or str
        A parsed expression, or formula text (parsed first).
    kpis : mapping of str to number
        KPI values by name.

    Returns
    -------
    float
        The value of the formula (always finite).

    Raises
    ------
    NotAvailable
        If a KPI is missing, ``None``, not a number or not finite, if a division by zero
        occurs, or if the result is not finite. ``reason`` names the cause.
    ExpressionError
        If ``expr`` is text that does not parse.
    """
    if isinstance(expr, str):
        expr = parse_expression(expr)
    value = _eval(expr._tree.body, kpis)
    if not math.isfinite(value):
        raise NotAvailable(f"result of {expr.source!r} is not finite")
    return value


def _kpi(name: str, kpis: Mapping[str, object]) -> float:
    if name not in kpis:
        raise NotAvailable(f"KPI {name!r} missing")
    raw = kpis[name]
    if raw is None or isinstance(raw, bool):
        raise NotAvailable(f"KPI {name!r} has no value")
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotAvailable(f"KPI {name!r} is not a number ({raw!r})") from None
    if not math.isfinite(value):
        raise NotAvailable(f"KPI {name!r} is not finite ({raw!r})")
    return value


def _eval(node: ast.AST, kpis: Mapping[str, object]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return _kpi(node.id, kpis)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, kpis)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, kpis), _eval(node.right, kpis)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0.0:
            raise NotAvailable(f"division by zero in {ast.unparse(node)!r}")
        return left / right
    if isinstance(node, ast.Call):
        func = _FUNCTIONS[node.func.id]  # type: ignore[union-attr]
        return float(func(_eval(a, kpis) for a in node.args))
    raise ExpressionError(f"unexpected node {type(node).__name__}")  # pragma: no cover
