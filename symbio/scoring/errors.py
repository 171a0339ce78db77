"""The scoring modules' own error and the input conversions every method shares.

:class:`ScoringError` is an :class:`symbio.errors.InputError` (the CLI exits 2 without a
traceback) and a ``ValueError`` (callers catching that keep working). Its message names
the input (matrix, file), the place (row, cell) and the value found.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from symbio.errors import InputError

__all__ = ["ScoringError", "as_matrix", "as_vector", "labels_or_default"]


class ScoringError(InputError, ValueError):
    """Invalid input to a scoring method (input, place and value named)."""


def _number(value: object, name: str, where: str) -> float:
    if isinstance(value, bool):
        raise ScoringError(name, where, f"expected a number, got {value!r}")
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("nan", ""):
            return float("nan")
        try:
            return float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            pass
    raise ScoringError(name, where, f"expected a number or a fraction like '1/3', got {value!r}")


def as_matrix(data: object, name: str = "matrix", *, square: bool = False) -> np.ndarray:
    """Convert nested rows to a float matrix; fraction text such as ``"1/3"`` is read.

    Raises
    ------
    ScoringError
        For ragged rows (the row and its length named), a value that is not a number, or
        a non-square matrix when ``square``.
    """
    if isinstance(data, np.ndarray) and data.dtype.kind in "fiu":
        a = data.astype(float, copy=True)
    else:
        rows = list(data.to_numpy() if hasattr(data, "to_numpy") else data)  # type: ignore[union-attr]
        if not rows:
            raise ScoringError(name, "", "empty matrix")
        width = None
        out = []
        for i, row in enumerate(rows):
            if isinstance(row, str) or not isinstance(row, Sequence | np.ndarray):
                raise ScoringError(name, f"row {i + 1}", f"expected a row of numbers, got {row!r}")
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise ScoringError(
                    name, f"row {i + 1}", f"has {len(row)} values, row 1 has {width} (ragged rows)"
                )
            out.append([_number(v, name, f"[{i + 1},{j + 1}]") for j, v in enumerate(row)])
        a = np.array(out, dtype=float)
    if a.ndim != 2 or a.size == 0:
        raise ScoringError(name, "", f"expected a non-empty 2-D matrix, got shape {a.shape}")
    if square and a.shape[0] != a.shape[1]:
        raise ScoringError(name, "", f"expected a square matrix, got shape {a.shape}")
    return a


def as_vector(
    data: object, name: str, *, nonnegative: bool = True, length: int | None = None
) -> np.ndarray:
    """Convert weights to a finite float vector (nonnegative with a positive sum by default).

    Raises
    ------
    ScoringError
        Naming the first bad element and its value, or a wrong length.
    """
    raw = (
        list(data.values())
        if isinstance(data, dict)
        else list(np.ravel(np.asarray(data, dtype=object)))
    )
    v = np.array([_number(x, name, f"[{k + 1}]") for k, x in enumerate(raw)], dtype=float)
    if length is not None and len(v) != length:
        raise ScoringError(name, "", f"expected {length} values, got {len(v)}")
    for k, x in enumerate(v):
        if not math.isfinite(x) or (nonnegative and x < 0):
            kind = "nonnegative finite" if nonnegative else "finite"
            raise ScoringError(name, f"[{k + 1}]", f"must be {kind}, got {x:g}")
    if nonnegative and v.size and v.sum() <= 0:
        raise ScoringError(name, "", "weights sum to zero")
    return v


def labels_or_default(labels: Sequence[str] | None, n: int) -> list[str]:
    """Return ``labels`` as a list, or ``"1".."n"``."""
    return list(labels) if labels is not None else [str(i + 1) for i in range(n)]
