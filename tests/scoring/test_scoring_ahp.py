"""AHP weights and consistency, pinned to Saaty (1990) and checked on properties.

Published example: Saaty, T.L. (1990) "How to make a decision: The Analytic Hierarchy
Process", European Journal of Operational Research 48:9-26, Table 2 (criteria of buying a
house: lambda_max 9.669, CI 0.238, CR 0.169; priorities .173 .054 .188 .018 .031 .036 .167
.333), Table 3 (houses A, B, C compared per criterion) and Table 4 (composite priorities
A .396, B .341, C .263).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbio.scoring import (
    RI_TABLES,
    JudgmentError,
    ahp_weights,
    check_pairwise,
    compose_hierarchy,
    priority_vector,
    random_index,
)

HOUSE_WEIGHTS = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]


def test_saaty_1990_house_criteria(house, criteria):
    r = ahp_weights(house, criteria)
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.weights.to_numpy() == pytest.approx(HOUSE_WEIGHTS, abs=6e-4)
    assert not r.consistent  # Saaty's point: CR > 0.1, judgments to be revisited


@pytest.mark.parametrize(
    ("matrix", "weights", "lam", "cr"),
    [
        # Table 3, transportation: published .233 .055 .713, lambda_max 3.247, CR .213
        ([[1, 7, 1 / 5], [1 / 7, 1, 1 / 8], [5, 8, 1]], [0.233, 0.055, 0.713], 3.247, 0.213),
        # Table 3, financing: published .072 .650 .278, lambda_max 3.065, CR .056
        ([[1, 1 / 7, 1 / 5], [7, 1, 3], [5, 1 / 3, 1]], [0.072, 0.650, 0.278], 3.065, 0.056),
        # Table 3, general condition: consistent, .2 .4 .4
        ([[1, 1 / 2, 1 / 2], [2, 1, 1], [2, 1, 1]], [0.2, 0.4, 0.4], 3.0, 0.0),
    ],
)
def test_saaty_1990_houses_per_criterion(matrix, weights, lam, cr):
    r = ahp_weights(matrix, ["A", "B", "C"])
    assert r.weights.to_numpy() == pytest.approx(weights, abs=1.5e-3)
    assert r.lambda_max == pytest.approx(lam, abs=5e-4)
    assert r.cr == pytest.approx(cr, abs=5e-4)


def test_saaty_1990_composite_priorities(criteria):
    local = {  # Table 4, columns = criteria, rows = houses A, B, C
        "size": [0.754, 0.181, 0.065],
        "transport": [0.233, 0.055, 0.713],
        "neighbourhood": [0.754, 0.065, 0.181],
        "age": [0.333, 0.333, 0.333],
        "yard": [0.674, 0.101, 0.226],
        "modern": [0.747, 0.060, 0.193],
        "condition": [0.200, 0.400, 0.400],
        "financing": [0.072, 0.650, 0.278],
    }
    top = dict(zip(criteria, HOUSE_WEIGHTS, strict=True))
    table = compose_hierarchy(top, {c: dict(zip("ABC", v, strict=True)) for c, v in local.items()})
    totals = table.groupby("element")["global_weight"].sum()
    assert totals.to_dict() == pytest.approx({"A": 0.396, "B": 0.341, "C": 0.263}, abs=1e-3)


def test_weight_methods_differ_on_inconsistent_matrix(house):
    # reference notes: neighbourhood weight EM .188, RGMM .149, column normalisation .170
    em, gm, cn = (
        priority_vector(house, m)[2]
        for m in ("eigenvector", "geometric_mean", "column_normalisation")
    )
    assert (round(em, 3), round(gm, 3), round(cn, 3)) == (0.188, 0.149, 0.170)


@pytest.mark.parametrize(
    ("table", "cr"),
    [
        ("saaty1980", 0.169),
        ("saaty2005", 0.170),
        ("donegan_dodd1991", 0.181),
        ("chinese_common", 0.169),
    ],
)
def test_ri_tables_change_cr(table, cr, house):
    assert ahp_weights(house, ri_table=table).cr == pytest.approx(cr, abs=5e-4)


def test_ri_table_values():
    assert random_index(3, "saaty1980") == 0.58
    assert random_index(9, "saaty2005") == 1.45
    assert random_index(5, "chinese_common") == 1.12
    assert all(v[0] == v[1] == 0 for v in RI_TABLES.values())
    with pytest.raises(ValueError, match="unknown RI table"):
        random_index(3, "nope")


def _consistent(w):
    w = np.asarray(w)
    return w[:, None] / w[None, :]


@given(st.lists(st.floats(0.05, 20.0), min_size=1, max_size=12), st.sampled_from(list(RI_TABLES)))
def test_consistent_matrix_has_cr_zero_and_recovers_weights(raw, table):
    w = np.asarray(raw) / np.sum(raw)
    for method in ("eigenvector", "geometric_mean", "column_normalisation"):
        r = ahp_weights(_consistent(w), method=method, ri_table=table, scale=None)
        assert r.cr == pytest.approx(0.0, abs=1e-9)
        assert r.weights.to_numpy() == pytest.approx(w, rel=1e-7)


@given(st.integers(2, 9), st.data())
def test_weights_sum_to_one_and_positive(n, data):
    m = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            k = data.draw(st.integers(1, 9))
            m[i, j] = k if data.draw(st.booleans()) else 1 / k
            m[j, i] = 1 / m[i, j]
    for method in ("eigenvector", "geometric_mean", "column_normalisation"):
        w = priority_vector(m, method)
        assert w.sum() == pytest.approx(1.0)
        assert (w > 0).all()
    assert ahp_weights(m).lambda_max >= n - 1e-9


def test_reciprocity_violation_names_the_cell():
    m = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 2, 1]]
    with pytest.raises(JudgmentError) as err:
        check_pairwise(m, ["energy", "water", "land"], source="panel.yaml", name="goal")
    msg = str(err.value)
    assert "panel.yaml" in msg
    assert "goal[water,land]" in msg
    assert "a[water,land]=2" in msg and "a[land,water]=2" in msg
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("matrix", "fragment"),
    [
        ([[2, 1], [1, 1]], "diagonal must be 1"),
        ([[1, 12], [1 / 12, 1]], "outside the scale"),
        ([[1, -1], [-1, 1]], "positive"),
        ([[1, 2, 3], [0.5, 1, 1]], "square"),
    ],
)
def test_invalid_matrices_rejected(matrix, fragment):
    with pytest.raises(JudgmentError, match=fragment):
        check_pairwise(matrix)
