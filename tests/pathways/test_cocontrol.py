"""Co-control classification and cross-elasticity, computed by hand."""

import math

import pytest

from symbio.pathways.cocontrol import classify, cocontrol_table, measure_classes


def test_els_and_quadrants_by_hand():
    base = {"co2": 1000.0, "so2": 10.0, "nox": 20.0, "cod": 5.0}
    cases = {
        # CO2 -10 %, SO2 -20 %, NOx +5 %, COD unchanged
        "boiler_switch": {"co2": 900.0, "so2": 8.0, "nox": 21.0, "cod": 5.0},
        # CO2 +2 %, SO2 -50 %
        "scrubber": {"co2": 1020.0, "so2": 5.0, "nox": 20.0, "cod": 5.0},
    }
    t = cocontrol_table(base, cases, ["so2", "nox", "cod"]).set_index(["measure", "species"])
    r = t.loc[("boiler_switch", "so2")]
    assert r["reduction_rate"] == pytest.approx(0.2)
    assert r["co2_reduction_rate"] == pytest.approx(0.1)
    assert r["els"] == pytest.approx(2.0)  # (ΔP/P)/(ΔCO2/CO2) = 0.2/0.1
    assert r["classification"] == "co-control"
    n = t.loc[("boiler_switch", "nox")]
    assert n["els"] == pytest.approx(-0.5)  # -0.05/0.1
    assert n["classification"] == "co2-only"
    assert t.loc[("boiler_switch", "cod"), "classification"] == "co2-neutral-pollutant"
    s = t.loc[("scrubber", "so2")]
    assert s["els"] == pytest.approx(0.5 / -0.02)
    assert s["classification"] == "pollutant-only"
    classes = measure_classes(cocontrol_table(base, cases, ["so2", "nox", "cod"]))
    assert classes.to_dict() == {"boiler_switch": "co2-only", "scrubber": "pollutant-only"}


def test_zero_baseline_gives_no_rate():
    t = cocontrol_table({"co2": 10.0, "vocs": 0.0}, {"m": {"co2": 5.0, "vocs": 1.0}}, ["vocs"])
    assert math.isnan(t.loc[0, "reduction_rate"]) and math.isnan(t.loc[0, "els"])
    assert t.loc[0, "classification"] == "co2-only"


def test_measure_that_reduces_everything_is_co_control():
    t = cocontrol_table(
        {"co2": 10.0, "so2": 1.0, "nox": 1.0},
        {"m": {"co2": 5.0, "so2": 0.5, "nox": 1.0}},
        ["so2", "nox"],
    )
    assert measure_classes(t)["m"] == "co-control"


@pytest.mark.parametrize(
    ("c", "p", "expected"),
    [
        (1, 1, "co-control"),
        (-1, -1, "both-rise"),
        (0, 0, "no-effect"),
        (0, 1, "pollutant-neutral-co2"),
    ],
)
def test_classify(c, p, expected):
    assert classify(c, p) == expected
