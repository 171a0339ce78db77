"""The uncertainty model (groups, Latin hypercube, distributions) and the SRC ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from symbio.flows.provenance import UncertainNumber
from symbio.sweep.sensitivity import src_table
from symbio.sweep.uncertainty import design, factors, overrides


def number(path: str, value: float, low: float, high: float, dist: str = "triangular",
           group: str | None = None) -> UncertainNumber:  # fmt: skip
    return UncertainNumber(path, value, low, high, dist, group, "test")  # type: ignore[arg-type]


def test_grouped_numbers_share_a_quantile_and_others_are_independent() -> None:
    nums = [
        number("a.x", 0.5, 0.0, 1.0, "uniform", group="g"),
        number("a.y", 15.0, 10.0, 20.0, "uniform", group="g"),
        number("a.z", 5.0, 0.0, 10.0, "uniform"),
    ]
    fs = factors(nums)
    assert [f.id for f in fs] == ["g", "a.z"]
    q = design(fs, 50, seed=3)
    rows = overrides(fs, q)
    x = np.array([r["a.x"] for r in rows])
    y = np.array([r["a.y"] for r in rows])
    z = np.array([r["a.z"] for r in rows])
    assert y == pytest.approx(10 + 10 * x)  # fully correlated: the same quantile
    assert abs(np.corrcoef(x, z)[0, 1]) < 0.4  # independent factors
    # Latin hypercube: exactly one sample in each fiftieth of the range
    assert sorted(np.floor(z / 10 * 50).astype(int)) == list(range(50))
    pd.testing.assert_frame_equal(q, design(fs, 50, seed=3))  # same seed, same design


def test_triangular_takes_the_file_value_as_mode() -> None:
    fs = factors([number("p", 30.0, 0.0, 100.0)])
    q = pd.DataFrame({"p": [0.3, 0.0, 1.0, 0.5]})
    values = [r["p"] for r in overrides(fs, q)]
    # F(mode) = (c - a) / (b - a) = 0.3; median: b - sqrt(0.5 (b - a)(b - c)) = 100 - sqrt(3500)
    assert values == pytest.approx([30.0, 0.0, 100.0, 100 - 3500**0.5])


def test_src_ranks_a_dominant_factor_first() -> None:
    rng = np.random.default_rng(0)
    u = pd.DataFrame(rng.random((60, 3)), columns=["weak", "dominant", "none"])
    y = pd.DataFrame({"saving": 1.0 * u["weak"] + 10.0 * u["dominant"]})
    table = src_table(u, y).set_index("factor")
    assert table.loc["dominant", "rank"] == 1
    assert table.loc["weak", "rank"] == 2
    assert table.loc["dominant", "slope"] == pytest.approx(10.0)
    assert table.loc["none", "slope"] == pytest.approx(0.0, abs=1e-9)
    assert table.loc["dominant", "r2"] == pytest.approx(1.0)
    assert (table.loc["dominant", "low"], table.loc["dominant", "high"]) == pytest.approx(
        (-4.5, 4.5)
    )


def test_src_falls_back_to_correlation_with_few_samples() -> None:
    rng = np.random.default_rng(1)
    u = pd.DataFrame(rng.random((8, 6)), columns=[f"f{i}" for i in range(6)])
    y = pd.DataFrame({"saving": 10.0 * u["f4"] + 0.1 * u["f0"]})
    table = src_table(u, y)
    assert set(table["method"]) == {"correlation"}
    assert table.iloc[0]["factor"] == "f4"


def test_an_output_that_never_varies_is_not_ranked() -> None:
    u = pd.DataFrame({"a": [0.1, 0.5, 0.9, 0.3]})
    assert src_table(u, pd.DataFrame({"saving": [1.0] * 4})).empty


def test_the_estimate_that_breaks_the_status_quo_is_named() -> None:
    from symbio.sweep.robust_stats import infeasibility_factors

    rng = np.random.default_rng(2)
    u = pd.DataFrame(rng.random((200, 3)), columns=["capacity", "price", "capex"])
    infeasible = u["capacity"] > 0.7  # high capacities cannot be supplied by the status quo
    table = infeasibility_factors(u, infeasible)
    assert table.iloc[0]["factor"] == "capacity"
    # mean quantile 0.85 among the infeasible samples, 0.35 among the others
    assert table.iloc[0]["difference"] == pytest.approx(0.5, abs=0.05)
