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


def _kahan(keys: list[Hashable], values: list[float], codes: dict) -> dict[Hashable, float]:
    """pandas' Cython ``group_sum``: compensated summation per group, in row order."""
    acc: dict[Hashable, list[float]] = {k: [0.0, 0.0] for k in codes}  # sum, compensation
    for k, v in zip(keys, values, strict=True):
        if v != v or k not in codes:  # NaN value or missing key: skipped
            continue
        s = acc[k]
        y = v - s[1]
        t = s[0] + y
        c = t - s[0] - y
        s[1] = 0.0 if c != c else c  # an infinite value leaves no compensation
        s[0] = t
    return {k: s[0] for k, s in acc.items()}


def _reduceat(keys: list[Hashable], values: list[float], codes: dict) -> dict[Hashable, float]:
    """pandas' sorted-groups branch: ``np.add.reduceat`` over each group's run of rows."""
    ids = [codes.get(k, -1) for k in keys]
    first = sum(1 for i in ids if i < 0)  # rows of missing keys come first in sorted order
    ids = ids[first:]
    starts = [0] + [n for n in range(1, len(ids)) if ids[n] != ids[n - 1]]
    sums = np.add.reduceat(np.asarray(values[first:], dtype=np.float64), starts).tolist()
    return {k: sums[n] for n, k in enumerate(codes)}


def group_sum(keys: Iterable[Hashable], values: Iterable[float]) -> list[tuple[Hashable, float]]:
    """``[(key, sum)]`` as ``pd.Series(values).groupby(keys).sum().items()`` gives them.

    Keys are single values or tuples (a groupby on several columns).
    """
    keys, values = list(keys), [float(v) for v in values]
    if len(keys) != len(values):
        raise ValueError(f"{len(keys)} keys for {len(values)} values")
    codes = {k: n for n, k in enumerate(sorted({k for k in keys if not _missing(k)}))}
    ids = [codes.get(k, -1) for k in keys]
    in_order = all(a <= b for a, b in zip(ids, ids[1:], strict=False))
    if codes and in_order and _reduceat_when_sorted() and not any(v != v for v in values):
        sums = _reduceat(keys, values, codes)
    else:
        sums = _kahan(keys, values, codes)
    return list(sums.items())


def row_sum(values: Iterable[float]) -> float:
    """One row's ``DataFrame.sum(axis=1)``: NaN skipped, added left to right onto 0.0."""
    total = 0.0
    for v in values:
        total += 0.0 if v != v else v
    return total
