"""The game's allocations on games worked out by hand (no solver for the values)."""

from __future__ import annotations

import numpy as np
import pytest

from symbio.allocation.game import (
    all_coalitions,
    core_check,
    nucleolus,
    order_coalitions,
    sample_orders,
    shapley_exact,
    shapley_sampled,
)

P = ["a", "b", "c"]
#: v(ab) = 60, v(ac) = 40, v(bc) = 20, v(abc) = 90, singletons 0.
TEXTBOOK = {
    frozenset(s): x
    for s, x in [("a", 0), ("b", 0), ("c", 0), ("ab", 60), ("ac", 40), ("bc", 20), ("abc", 90)]
}


def test_shapley_by_hand() -> None:
    # a's marginal contributions over the 6 orders: 0, 0, 60, 70, 40, 70 -> 240 / 6 = 40
    # b's: 60, 50, 0, 0, 50, 20 -> 30; c = 90 - 40 - 30 = 20
    assert shapley_exact(P, TEXTBOOK) == pytest.approx({"a": 40, "b": 30, "c": 20})


def test_nucleolus_and_least_core_by_hand() -> None:
    # excesses: -x_c and x_c - 30 meet at x_c = 15 (-15, the least core); then -x_b and
    # x_b - 50 ... with x_a = 75 - x_b: 5 - x_b = x_b - 50 gives x_b = 27.5, x_a = 47.5
    n = nucleolus(P, TEXTBOOK)
    assert n.least_core == pytest.approx(-15)
    assert n.value == pytest.approx({"a": 47.5, "b": 27.5, "c": 15})
    assert n.least_core_point["c"] == pytest.approx(15)


def test_core_check_names_the_blocking_coalition() -> None:
    # (90, 0, 0): b and c get nothing but save 20 together
    check = core_check({"a": 90, "b": 0, "c": 0}, TEXTBOOK, P)
    assert not check.in_core
    assert check.max_excess == pytest.approx(20)
    assert check.blocking == ("b", "c")
    assert core_check({"a": 47.5, "b": 27.5, "c": 15}, TEXTBOOK, P).in_core


def test_empty_core_least_core_is_positive() -> None:
    # v(ij) = 1 for every pair, v(N) = 1: x = 1/3 each, every pair short by 1/3
    v = {s: (1.0 if len(s) >= 2 else 0.0) for s in all_coalitions(P)}
    n = nucleolus(P, v)
    assert n.least_core == pytest.approx(1 / 3)
    assert n.value == pytest.approx(dict.fromkeys(P, 1 / 3))


def test_sampled_shapley_of_a_weighted_majority_game() -> None:
    # v(S) = 1 when the weights in S reach 6 (weights p 4, q 3, r 1, s 1). p is pivotal
    # after {q} (2 orders), {q,r} (2), {q,s} (2), {q,r,s} (6), {r,s} (2): 14 of 24;
    # q after {p}, {p,r}, {p,s}: 6; r after {p,s}: 2; s after {p,r}: 2.
    w = {"p": 4, "q": 3, "r": 1, "s": 1}
    players = list(w)
    v = {s: float(sum(w[i] for i in s) >= 6) for s in all_coalitions(players)}
    exact = shapley_exact(players, v)
    assert exact == pytest.approx({"p": 14 / 24, "q": 6 / 24, "r": 2 / 24, "s": 2 / 24})
    orders = sample_orders(players, 400, seed=1)
    est = shapley_sampled(players, orders, {s: v[s] for s in order_coalitions(orders)})
    assert est.orders == 400
    for p in players:
        assert abs(est.value[p] - exact[p]) <= 3 * est.stderr[p] + 1e-12
        assert est.stderr[p] < 0.05


def test_rational_prices_name_the_blocking_account() -> None:
    import pandas as pd

    from symbio.allocation.prices import rational_prices

    # a sells 100 t to b; x has no exchange and its own cost rises by 50 CNY/a: no price
    # can help x, so x blocks by 50; a and b are kept whole only at p = 0.
    rows = pd.DataFrame(
        [
            {
                "resource": "h2",
                "seller": "a",
                "buyer": "b",
                "slice": "year",
                "delivered": 100.0,
                "payment_cny": 1000.0,
            }
        ]
    )
    rp = rational_prices(rows, {"a": 0.0, "b": 0.0, "x": 50.0}, {"a": 0.0, "b": 0.0, "x": 0.0})
    assert not rp.feasible
    assert rp.blocking == pytest.approx({"x": 50.0})
    assert rp.prices[("h2", "a", "b", "year")] == pytest.approx(0.0, abs=1e-4)


def test_coalitions_outside_the_fixed_span_match_the_rank_definition():
    """A vector is outside the span of the fixed rows exactly when it raises their rank."""
    from symbio.allocation.nucleolus import _outside_span

    rng = np.random.default_rng(7)
    n = 6
    vectors = np.array([[(k >> b) & 1 for b in range(n)] for k in range(1, 2**n)], dtype=float)
    for _ in range(40):
        rows = list(vectors[rng.choice(len(vectors), size=rng.integers(1, n + 1), replace=False)])
        a = np.array(rows)
        expect = [
            np.linalg.matrix_rank(np.vstack([a, v])) > np.linalg.matrix_rank(a) for v in vectors
        ]
        assert list(_outside_span(rows, vectors)) == expect
    assert _outside_span([], vectors).all()


def test_core_check_sums_members_in_sorted_order() -> None:
    # x(S) for S = {a, b, c}: in sorted order (1e16 + 1) - 1e16 = 0 (the 1 is lost to
    # rounding), in the order a, c, b it is 1. A set's own order follows the hash seed, so
    # only a fixed order makes max_excess the same from run to run.
    x = {"a": 1e16, "b": 1.0, "c": -1e16, "d": 0.0}
    v = {frozenset("abc"): 5.0, frozenset("abcd"): 1.0, frozenset("d"): 0.0}
    check = core_check(x, v, ["a", "b", "c", "d"])
    assert check.max_excess == 5.0
    assert check.blocking == ("a", "b", "c")
