"""Sums computed exactly as pandas computes them, without building a DataFrame.

The KPIs were first written with ``DataFrame.groupby(...).sum()`` and
``DataFrame.sum(axis=1)``; on tables of a few hundred rows pandas' overhead is most of their
cost. These functions repeat pandas' arithmetic operation for operation, so they give the
same floats bit for bit (``tests/model/test_pandas_sums.py`` compares them with the
installed pandas on random and adversarial data; a plain ``sum`` or ``math.fsum`` differs
in the last bit in about 1 group of 3000):

* :func:`group_sum` is ``Series.groupby(keys).sum()``: groups in sorted key order, missing
  keys dropped, NaN values skipped. pandas sums a group in one of two ways: when the rows
  are already in group order and hold no NaN (pandas >= 3.1), with ``np.add.reduceat``
  over each group's run of rows; otherwise with Kahan's compensated summation in row order
  (its ``group_sum`` kernel). :func:`group_sum` takes the same branch.
* :func:`row_sum` is ``DataFrame.sum(axis=1)`` of one row: NaN skipped, the values added
  left to right onto ``0.0``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd


def _missing(key: Hashable) -> bool:
    """A key pandas' groupby drops (None or NaN, alone or in a tuple)."""
    parts = key if isinstance(key, tuple) else (key,)
    return any(p is None or (isinstance(p, float) and math.isnan(p)) for p in parts)


@functools.cache
def _reduceat_when_sorted() -> bool:
    """Whether the installed pandas sums groups in sorted rows with ``np.add.reduceat``.

    Four values whose Kahan sum and ``reduceat`` differ in the last bit tell the two apart.
    """
    vals = [10244071.232876712, 10471717.260273973, 9536719.576779172, 10357894.246575342]
    got = float(pd.Series(vals).groupby([0, 0, 0, 0]).sum().iloc[0])
    return got == float(np.add.reduceat(np.asarray(vals), [0])[0])


def _kahan(ids: list[int], values: list[float], groups: int) -> list[float]:
    """pandas' Cython ``group_sum``: compensated summation per group, in row order."""
    sums, comp = [0.0] * groups, [0.0] * groups
    for g, v in zip(ids, values, strict=True):
        if g < 0 or v != v:  # missing key or NaN value: skipped
            continue
        y = v - comp[g]
        t = sums[g] + y
        c = t - sums[g] - y
        comp[g] = 0.0 if c != c else c  # an infinite value leaves no compensation
        sums[g] = t
    return sums


def _reduceat(ids: list[int], values: list[float]) -> list[float]:
    """pandas' sorted-groups branch: ``np.add.reduceat`` over each group's run of rows."""
    first = sum(1 for g in ids if g < 0)  # rows of missing keys come first in sorted order
    starts = [n for n in range(first, len(ids)) if n == first or ids[n] != ids[n - 1]]
    run = np.asarray(values[first:], dtype=np.float64)
    return np.add.reduceat(run, [n - first for n in starts]).tolist()


def group_sum(keys: Iterable[Hashable], values: Iterable[float]) -> list[tuple[Hashable, float]]:
    """``[(key, sum)]`` as ``pd.Series(values).groupby(keys).sum().items()`` gives them.

    Keys are single values or tuples (a groupby on several columns).
    """
    keys, values = list(keys), [float(v) for v in values]
    if len(keys) != len(values):
        raise ValueError(f"{len(keys)} keys for {len(values)} values")
    groups = sorted(k for k in set(keys) if not _missing(k))
    code = {k: n for n, k in enumerate(groups)}
    ids = [code.get(k, -1) for k in keys]
    in_order = all(a <= b for a, b in zip(ids, ids[1:], strict=False))
    if groups and in_order and _reduceat_when_sorted() and not any(v != v for v in values):
        sums = _reduceat(ids, values)
    else:
        sums = _kahan(ids, values, len(groups))
    return list(zip(groups, sums, strict=True))


def row_sum(values: Iterable[float]) -> float:
    """One row's ``DataFrame.sum(axis=1)``: NaN skipped, added left to right onto 0.0."""
    total = 0.0
    for v in values:
        total += 0.0 if v != v else v
    return total
