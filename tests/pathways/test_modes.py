"""Objective modes on a real model: a Pareto front derived by hand, payoff, weighted, lexicographic."""

import itertools

import pytest

from symbio import load_scenario
from symbio.pathways.modes import lexicographic, pareto_front, payoff_table, weighted
from symbio.solvers.payoff import weighted_scales
from symbio.solvers.session import open_session

CRF_8_20 = 0.08 / (1 - 1.08**-20)  # capital recovery factor, 8 %, 20 years
PIPE = 9.0e6 * CRF_8_20  # 916,669.9 CNY/a


@pytest.fixture
def session(data):
    return open_session(load_scenario(data / "h2-front.yaml"), criteria=["cost", "co2"])


def assert_nondominated(points, x, y):
    """No point is dominated by another (checked pairwise, independent of the library)."""
    pts = list(zip(points[x], points[y], strict=True))
    for (a, b), (c, d) in itertools.permutations(pts, 2):
        assert not (c <= a and d <= b and (c < a - 1e-6 * abs(a) or d < b - 1e-6 * abs(b))), (
            a,
            b,
            c,
            d,
        )


def test_front_extremes_and_interior_point_by_hand(session):
    front = pareto_front(session, "cost", "co2", points=3)  # eps grid 18000, 9000, 0
    pts = front.points
    assert len(pts) == 3
    # min cost: pipe + 2,000 t grey
    assert pts.loc[0, "cost"] == pytest.approx(PIPE + 2000 * 10_000, rel=1e-7)
    assert pts.loc[0, "co2"] == pytest.approx(18_000, rel=1e-6)
    # CO2 <= 9,000: 9000/7 t blue, the rest grey
    x = 9000 / 7
    assert pts.loc[1, "cost"] == pytest.approx(PIPE + 10_000 * (2000 - x) + 14_000 * x, rel=1e-7)
    assert pts.loc[1, "co2"] == pytest.approx(9000, rel=1e-6)
    # min CO2: pipe + 2,000 t green
    assert pts.loc[2, "cost"] == pytest.approx(PIPE + 2000 * 30_000, rel=1e-7)
    assert pts.loc[2, "co2"] == pytest.approx(0, abs=1e-3)
    assert (pts["build:h2_pipe.cracker.refinery"] == 1).all()
    assert_nondominated(pts, "cost", "co2")


def test_every_point_is_efficient_and_the_kink_is_found(session):
    front = pareto_front(session, "cost", "co2", points=10)  # step 2,000 t: hits 4,000
    pts = front.points
    assert len(pts) == 10 and front.dropped == 0
    assert_nondominated(pts, "cost", "co2")
    kink = pts.loc[(pts["co2"] - 4000).abs() < 1e-3]
    assert kink["cost"].iloc[0] == pytest.approx(PIPE + 2000 * 14_000, rel=1e-7)
    # on the front, the cost of the next tonne avoided never falls (convex LP front)
    slopes = (pts["cost"].diff() / -pts["co2"].diff()).dropna()
    assert (slopes.diff().dropna() >= -1e-3).all()
    assert slopes.iloc[0] == pytest.approx(4000 / 7, rel=1e-6)
    assert slopes.iloc[-1] == pytest.approx(8000, rel=1e-6)


def test_repeated_solves_reuse_one_model_and_solver(session):
    pareto_front(session, "cost", "co2", points=5)
    highs = session.solve_fn.state["highs"]
    assert highs.model is session.model
    pareto_front(session, "cost", "co2", points=4)
    assert session.solve_fn.state["highs"] is highs  # no rebuild, no new hand-over
    assert session.solves == (4 + 5) + (4 + 4)


def test_payoff_and_lexicographic(session):
    pay = payoff_table(session, ["cost", "co2"])
    assert pay.table.loc["cost", "cost"] == pytest.approx(PIPE + 20e6, rel=1e-7)
    assert pay.table.loc["co2", "cost"] == pytest.approx(PIPE + 60e6, rel=1e-7)
    assert pay.utopia["co2"] == pytest.approx(0, abs=1e-6)
    assert pay.nadir["cost"] == pytest.approx(PIPE + 60e6, rel=1e-7)
    pt = lexicographic(session, ["co2", "cost"])
    assert pt.values["cost"] == pytest.approx(PIPE + 60e6, rel=1e-7)
    assert session.model.criterion_value["co2"].ub is None  # bounds removed afterwards


def test_weighted_sum_normalised_by_the_payoff_table(session):
    # cost range 40 M, CO2 range 18,000 t: equal weights pick the kink (all blue):
    # 0.2 + 0.222 against 1.0 at either end
    pt = weighted(session, {"cost": 1.0, "co2": 1.0})
    assert pt.values["co2"] == pytest.approx(4000, rel=1e-6)
    assert pt.values["cost"] == pytest.approx(PIPE + 28e6, rel=1e-7)
    assert weighted(session, {"cost": 1.0}).values["co2"] == pytest.approx(18_000, rel=1e-6)


def test_bypass_on_a_staircase_front(data):
    # MACC toy: cost-optimal (pipe, 18,000 t) and the electrolyser at full load (0 t);
    # nothing in between, so the first slack covers the whole grid.
    s = open_session(load_scenario(data / "macc-toy.yaml"), criteria=["cost", "co2"])
    front = pareto_front(s, "cost", "co2", points=10)
    assert front.walk.solves == 2
    assert [p.status for p in front.walk.points].count("bypassed") == 8
    assert list(front.points["co2"].round(3)) == [18_000, 0]
    assert_nondominated(front.points, "cost", "co2")


def test_weighted_scales_are_the_payoff_ranges(data):
    scales = weighted_scales(load_scenario(data / "h2-front.yaml"), ["cost", "co2"])
    assert scales["cost"] == pytest.approx(40e6, rel=1e-7)
    assert scales["co2"] == pytest.approx(18_000, rel=1e-7)


def test_payoff_range_is_floored_relative_to_the_criterion():
    """A range at the lexicographic tolerance is noise: floored at 1e-6 of the magnitude."""
    import pandas as pd

    from symbio.pathways.modes import PayoffTable

    table = pd.DataFrame(
        {"cost": [416_033_368.07, 416_033_368.49], "co2": [198_032.9, 198_032.9]},
        index=pd.Index(["cost", "co2"], name="optimised"),
    )
    p = PayoffTable(table, {})
    assert p.range("cost") == pytest.approx(1e-6 * 416_033_368.49, rel=1e-9)  # not 0.42
    assert p.range("co2") == pytest.approx(1e-6 * 198_032.9, rel=1e-6)  # not 1 (t)
    real = PayoffTable(
        pd.DataFrame({"cost": [1e8, 1.4e8], "co2": [5e4, 3e4]}, index=["cost", "co2"]), {}
    )
    assert real.range("cost") == pytest.approx(4e7) and real.range("co2") == pytest.approx(2e4)


def test_payoff_range_of_a_criterion_that_is_zero_everywhere_is_one():
    import pandas as pd

    from symbio.pathways.modes import PayoffTable

    p = PayoffTable(
        pd.DataFrame({"cost": [1.0, 2.0], "nox": [0.0, 0.0]}, index=["cost", "nox"]), {}
    )
    assert p.range("nox") == 1.0


def test_weighted_scales_of_criteria_without_trade_off(examples):
    """Small park: cost and CO2 have one optimum; no scale below 1e-6 of the value."""
    scales = weighted_scales(load_scenario(examples / "small-park.yaml"), ["cost", "co2"])
    # natural_gas_co2 went 2.1622 -> 1.9741 t/km3 (data corrections, issue 14) on the same
    # network's 33,880 km3 of gas: CO2 198,033 - 33,880 x 0.1881 = 191,660 t; cost
    # 416,033,368 - 100 CNY/t x 6,373 t = 415,396,087 CNY/a.
    assert scales["cost"] == pytest.approx(1e-6 * 415_396_087, rel=1e-3)
    assert scales["co2"] == pytest.approx(1e-6 * 191_660, rel=1e-3)
