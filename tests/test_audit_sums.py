"""The audit's per-KPI sums over sites are pandas' ``groupby(...).sum()`` bit for bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from symbio.audit import _site_sums


def _pandas(sites: pd.DataFrame) -> dict[str, float]:
    return {k: float(x) for k, x in sites.groupby("kpi")["value"].sum().items()}


@pytest.mark.parametrize("seed", range(6))
def test_site_sums_equal_pandas_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 300
    kpis = [f"k{int(i)}" for i in rng.integers(0, 12, n)]
    if seed % 2:
        kpis.sort()  # rows already in group order: pandas' other branch
    values = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-8, 12, n)
    if seed == 4:
        values[::17] = np.nan
    sites = pd.DataFrame({"site": ["s"] * n, "kpi": kpis, "value": values})
    assert repr(_site_sums(sites)) == repr(_pandas(sites))


def test_site_sums_of_other_columns_and_empty() -> None:
    sites = pd.DataFrame({"kpi": ["a", "b", "a"], "value": [1, None, 2]}, dtype=object)
    assert _site_sums(sites) == _pandas(sites)
    assert _site_sums(pd.DataFrame(columns=["kpi", "value"])) == {}
