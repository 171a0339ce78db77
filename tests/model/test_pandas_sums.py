"""pandas_sums repeats pandas' groupby and row sums bit for bit.

The expected values are pandas' own results on the same data: the functions exist to
give exactly what the KPIs got from pandas, so pandas is the oracle here. The data are
chosen to make orders of summation differ: values spread over 30 orders of magnitude with
both signs, exact cancellations, signed zeros, NaN, infinities and keys that pandas drops.
"""

from __future__ import annotations

import math
import struct

import numpy as np
import pandas as pd
import pytest

from symbio.model.pandas_sums import group_sum, row_sum


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def _values(rng: np.random.Generator, n: int) -> list[float]:
    mag = 10.0 ** rng.integers(-15, 16, n)
    vals = rng.standard_normal(n) * mag
    vals[rng.random(n) < 0.05] = 0.0
    vals[rng.random(n) < 0.03] = -0.0
    vals[rng.random(n) < 0.03] = np.nan
    return vals.tolist()


def _same_as_pandas(keys: list, values: list[float]) -> None:
    want = pd.Series(values).groupby(keys).sum()
    got = group_sum(keys, values)
    assert [k for k, _ in got] == list(want.index)
    assert [_bits(v) for _, v in got] == [_bits(v) for v in want.tolist()]


@pytest.mark.parametrize("seed", range(4))
def test_group_sum_equals_pandas_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 20_000
    keys = [f"s{k:04d}" for k in rng.integers(0, 3000, n)]
    values = _values(rng, n)
    _same_as_pandas(keys, values)
    # the test can fail: a plain sum differs in some groups
    want = pd.Series(values).groupby(keys).sum().tolist()
    plain = pd.Series(values).fillna(0.0).groupby(keys).agg(lambda s: sum(s.tolist()))
    assert any(_bits(a) != _bits(b) for a, b in zip(plain.tolist(), want, strict=True))


@pytest.mark.parametrize("seed", range(6))
def test_group_sum_of_rows_in_group_order_equals_pandas(seed: int) -> None:
    # rows already sorted by key: pandas >= 3.1 sums them with np.add.reduceat unless a
    # value is NaN; both branches, with missing keys (first in sorted order) or not
    rng = np.random.default_rng(seed)
    n = 3000
    keys = sorted(f"s{k:04d}" for k in rng.integers(0, 300, n))
    values = _values(rng, n)
    if seed % 2:
        values = [0.0 if math.isnan(v) else v for v in values]
    if seed >= 4:
        keys[:5] = [None] * 5
    _same_as_pandas(keys, values)


def test_group_sum_branches_differ_where_pandas_does() -> None:
    # a Kahan sum of these four is 40610402.3165052; np.add.reduceat gives ...519
    vals = [10244071.232876712, 10471717.260273973, 9536719.576779172, 10357894.246575342]
    _same_as_pandas(["a"] * 4, vals)
    _same_as_pandas(["a", "b", "a", "a", "a"], [vals[0], 1.0, *vals[1:]])
    _same_as_pandas(["a"] * 5, [*vals, math.nan])
    _same_as_pandas(["a", "a"], [-0.0, -0.0])
    _same_as_pandas(["b", "a"], [-0.0, -0.0])


def test_group_sum_tuple_keys_missing_keys_and_infinities() -> None:
    rng = np.random.default_rng(7)
    n = 5000
    sites = [None if k == 0 else f"s{k}" for k in rng.integers(0, 40, n)]
    species = [["co2", "so2", "nox"][k] for k in rng.integers(0, 3, n)]
    values = _values(rng, n)
    values[10] = math.inf
    values[11] = -math.inf
    values[12] = math.inf
    df = pd.DataFrame({"site": sites, "species": species, "v": values})
    want = df.groupby(["site", "species"])["v"].sum()
    got = group_sum(zip(sites, species, strict=True), values)
    assert [k for k, _ in got] == list(want.index)
    assert [_bits(v) for _, v in got] == [_bits(v) for v in want.tolist()]


def test_group_sum_of_only_nan_is_zero_like_pandas() -> None:
    want = pd.Series([math.nan, math.nan, 1.0]).groupby(["a", "a", "b"]).sum()
    assert group_sum(["a", "a", "b"], [math.nan, math.nan, 1.0]) == list(want.items())
    assert group_sum([], []) == []


def test_row_sum_equals_pandas_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    for k, n in ((1, 20_000), (2, 20_000), (3, 20_000), (3, 7), (3, 1), (4, 50)):
        cols = [f"c{j}" for j in range(k)]
        df = pd.DataFrame({"site": ["x"] * n, **{c: _values(rng, n) for c in cols}})
        want = df[cols].sum(axis=1).tolist()
        got = [row_sum(row) for row in zip(*(df[c].tolist() for c in cols), strict=True)]
        assert [_bits(v) for v in got] == [_bits(v) for v in want]
    zeros = pd.DataFrame({"a": [-0.0], "b": [-0.0]}).sum(axis=1)[0]
    assert _bits(row_sum([-0.0, -0.0])) == _bits(zeros)
    assert row_sum([1e16, 1.0, 1.0]) == 1e16  # left to right, not 1e16 + (1 + 1)
