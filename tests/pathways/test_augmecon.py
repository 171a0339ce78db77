"""AUGMECON2 grid walk and the non-dominance filter, without a solver."""

import numpy as np
import pytest

from symbio.pathways.augmecon import epsilon_grid, nondominated, walk_grid


def staircase(front):
    """A fake solver: the point with the least f1 among those with f2 <= eps."""

    def solve(eps):
        ok = sorted((p for p in front if p[1] <= eps), key=lambda p: (p[0], p[1]))
        return {"f1": ok[0][0], "f2": ok[0][1]} if ok else None

    return solve


def test_grid_runs_from_loosest_to_tightest():
    assert epsilon_grid(0.0, 18000.0, 5).tolist() == [18000.0, 13500.0, 9000.0, 4500.0, 0.0]
    assert epsilon_grid(3.0, 3.0, 7).tolist() == [3.0]


def test_bypass_skips_grid_points_the_slack_covers():
    front = [(0.0, 10.0), (5.0, 4.0), (20.0, 0.0)]
    walk = walk_grid(staircase(front), 0.0, 10.0, 11)
    assert walk.solves == 3  # one solve per distinct efficient point, not 11
    assert [(p.solution["f1"], p.solution["f2"]) for p in walk.solved] == front


def test_early_exit_when_infeasible():
    front = [(0.0, 10.0), (5.0, 4.0)]  # nothing below f2 = 4
    walk = walk_grid(staircase(front), 0.0, 10.0, 6)  # eps 10, 8, 6, 4, 2, 0
    statuses = [p.status for p in walk.points]
    assert statuses == ["solved", "solved", "bypassed", "bypassed", "infeasible", "infeasible"]
    assert walk.solves == 3


def test_nondominated():
    pts = np.array([[1.0, 9.0], [2.0, 5.0], [3.0, 5.0], [4.0, 1.0], [2.0, 5.0 + 1e-12]])
    assert nondominated(pts).tolist() == [True, True, False, True, False]


@pytest.mark.parametrize("seed", range(5))
def test_nondominated_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    pts = rng.integers(0, 6, size=(30, 2)).astype(float)
    keep = nondominated(pts)
    for i, p in enumerate(pts):
        dominated = any(np.all(q <= p) and np.any(q < p) for q in pts)
        first = not any(np.all(pts[j] == p) for j in range(i))
        assert keep[i] == (not dominated and first)
