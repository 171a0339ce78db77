"""Fuzzy comprehensive evaluation: a published example, operators, memberships.

Published example: the clothing evaluation (服装评判) of the MATLAB textbook example 8.4 as
reproduced at https://e-com-net.com/article/1276296104417181696.htm -- factors 花色, 式样,
耐穿程度, 价格; grades 很欢迎, 较欢迎, 不太欢迎, 不欢迎; weights A1 = (.1, .2, .3, .4) and
A2 = (.4, .35, .15, .1). With M(∧,∨) the published results are B1 = (.2, .3, .4, .1) ->
"不太欢迎" and B2 = (.35, .4, .2, .1) -> "比较欢迎" by maximum membership.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbio.scoring import OPERATORS, compose, fuzzy_evaluate, grade_from_score, membership
from symbio.scoring.fuzzy import resolve_operator

R = [[0.2, 0.5, 0.2, 0.1], [0.7, 0.2, 0.1, 0.0], [0.0, 0.4, 0.5, 0.1], [0.2, 0.3, 0.5, 0.0]]
A1 = [0.1, 0.2, 0.3, 0.4]
A2 = [0.4, 0.35, 0.15, 0.1]


def test_published_clothing_example_min_max():
    b1, b2 = compose(A1, R, "M(∧,∨)"), compose(A2, R, "M(∧,∨)")
    assert b1 == pytest.approx([0.2, 0.3, 0.4, 0.1])
    assert b2 == pytest.approx([0.35, 0.4, 0.2, 0.1])
    assert int(np.argmax(b1)) == 2  # 不太欢迎
    assert int(np.argmax(b2)) == 1  # 比较欢迎


@pytest.mark.parametrize(
    ("operator", "expected"),
    [  # the other operators on A1, worked by hand
        ("M(·,∨)", [0.14, 0.12, 0.20, 0.03]),
        ("M(∧,⊕)", [0.5, 0.9, 0.9, 0.2]),
        ("M(·,⊕)", [0.24, 0.33, 0.39, 0.04]),
    ],
)
def test_clothing_example_other_operators(operator, expected):
    assert compose(A1, R, operator) == pytest.approx(expected)


def test_weighted_average_example():
    # A = (.5, .3, .2) over 花色式样, 耐穿程度, 价格费用 (m.777doc.com/doc-2305902.html); by hand
    r = [[0.7, 0.2, 0.1, 0.0], [0.2, 0.3, 0.4, 0.1], [0.3, 0.4, 0.2, 0.1]]
    assert compose([0.5, 0.3, 0.2], r, "weighted_average") == pytest.approx(
        [0.47, 0.27, 0.21, 0.05]
    )


def test_bounded_sum_caps_at_one():
    assert compose([0.8, 0.8], [[1, 0, 0, 0], [1, 0, 0, 0]], "M(∧,⊕)")[0] == 1.0


def test_operator_aliases():
    assert [
        resolve_operator(a)
        for a in ("min_max", "product_max", "min_bounded_sum", "weighted_average")
    ] == list(OPERATORS)
    assert resolve_operator("M(*,+)") == "M(·,⊕)"
    with pytest.raises(ValueError, match="unknown operator"):
        resolve_operator("M(+,+)")


def test_score_and_grades():
    r = fuzzy_evaluate([0.5, 0.5], [[1, 0, 0, 0], [0, 0, 1, 0]])
    assert r.score == pytest.approx((95 + 70) / 2)
    assert r.grade_by_score == "II"  # 82.5 >= 77.5
    assert r.grade_max_membership == "I"  # tie -> first (better) grade
    custom = fuzzy_evaluate([1.0], [[0, 1, 0, 0]], grade_scores=(100, 80, 60, 40))
    assert custom.score == 80.0
    assert [grade_from_score(s) for s in (90, 89.9, 77.5, 60, 59.9)] == [
        "I",
        "II",
        "II",
        "III",
        "below",
    ]


ANCHORS = (95.0, 85.0, 75.0, 65.0)


@pytest.mark.parametrize(
    ("x", "mu"),
    [
        (100, [1, 0, 0, 0]),
        (95, [1, 0, 0, 0]),
        (90, [0.5, 0.5, 0, 0]),
        (85, [0, 1, 0, 0]),
        (77.5, [0, 0.25, 0.75, 0]),
        (75, [0, 0, 1, 0]),
        (65, [0, 0, 0, 1]),
        (10, [0, 0, 0, 1]),
    ],
)
def test_linear_membership_values(x, mu):
    assert membership(x, ANCHORS) == pytest.approx(mu)
    # the same indicator written lower-is-better gives the same memberships
    assert membership(-x, tuple(-a for a in ANCHORS), "lower_better") == pytest.approx(mu)


def test_step_membership_and_ties():
    assert membership(84.9, ANCHORS, shape="step").tolist() == [0, 0, 1, 0]
    assert membership(85, ANCHORS, shape="step").tolist() == [0, 1, 0, 0]
    equal = (100.0, 100.0, 100.0, 80.0)  # I = II = III (a 100 % requirement)
    assert membership(100, equal).tolist() == [1, 0, 0, 0]
    assert membership(90, equal) == pytest.approx([0, 0, 0.5, 0.5])


anchor_sets = st.lists(st.floats(-1e3, 1e3), min_size=4, max_size=4).map(
    lambda v: sorted(v, reverse=True)
)


@given(
    anchor_sets,
    st.floats(-2e3, 2e3),
    st.sampled_from(["higher_better", "lower_better"]),
    st.sampled_from(["linear", "step"]),
)
def test_membership_rows_sum_to_one(anchors, x, direction, shape):
    a = anchors if direction == "higher_better" else anchors[::-1]
    mu = membership(x, a, direction, shape)
    assert mu.sum() == pytest.approx(1.0)
    assert (mu >= 0).all() and (mu <= 1).all()


@given(anchor_sets, st.floats(-2e3, 2e3), st.floats(0, 500))
def test_membership_monotone(anchors, x, dx):
    lo, hi = membership(x, anchors), membership(x + dx, anchors)
    # mass only moves towards better grades: "at least grade g" never decreases
    assert (np.cumsum(hi) >= np.cumsum(lo) - 1e-9).all()
    s = np.array([95, 85, 70, 50])
    assert hi @ s >= lo @ s - 1e-9
