"""Measures on the MACC toy: cost per tonne, co-control and pollution equivalents by hand."""

import math

import pytest

from symbio import load_scenario
from symbio.errors import InputError
from symbio.pathways.measures import analyse_measures

CRF_8_20 = 0.08 / (1 - 1.08**-20)
PIPE = 9.0e6 * CRF_8_20  # 916,669.9 CNY/a
ELECTROLYSER = 4.0e8 * CRF_8_20  # 40,740,883.5 CNY/a


@pytest.fixture(scope="module")
def analysis():
    from pathlib import Path

    return analyse_measures(load_scenario(Path(__file__).parent / "data" / "macc-toy.yaml"))


def test_mac_of_each_measure_added_alone(analysis):
    macc = analysis.macc.set_index("measure")
    # pipeline: 916,669.9 + 20 M against 60 M, 36,000 t avoided
    assert macc.loc["h2_pipeline", "delta_cost"] == pytest.approx(PIPE - 40e6, rel=1e-7)
    assert macc.loc["h2_pipeline", "co2_avoided"] == pytest.approx(36_000, rel=1e-9)
    assert macc.loc["h2_pipeline", "mac_cny_per_t"] == pytest.approx(
        (PIPE - 40e6) / 36_000, rel=1e-7
    )
    assert macc.loc["h2_pipeline", "mac_cny_per_t"] == pytest.approx(-1085.65, abs=0.01)
    # electrolyser: 40,740,883.5 - 2,000 x (10,000 - 8,000), 18,000 t avoided
    assert macc.loc["electrolyser", "mac_cny_per_t"] == pytest.approx(
        (ELECTROLYSER - 4e6) / 18_000, rel=1e-7
    )
    assert macc.loc["electrolyser", "mac_cny_per_t"] == pytest.approx(2041.16, abs=0.01)
    # the curve: cheapest first, bars side by side
    assert list(analysis.macc["measure"]) == ["h2_pipeline", "electrolyser"]
    assert list(analysis.macc["end_t"]) == pytest.approx([36_000, 54_000])
    assert macc.loc["electrolyser", "delta_so2"] == pytest.approx(1.0)
    assert macc.loc["h2_pipeline", "delta_nox"] == pytest.approx(-4.0)


def test_removed_from_the_optimum(analysis):
    rem = analysis.macc_removed.set_index("measure")
    assert rem.loc["h2_pipeline", "mac_cny_per_t"] == pytest.approx(
        (PIPE - 40e6) / 36_000, rel=1e-7
    )
    # the optimum does not build the electrolyser: removing it changes nothing
    assert rem.loc["electrolyser", "co2_avoided"] == pytest.approx(0, abs=1e-6)
    assert math.isnan(rem.loc["electrolyser", "mac_cny_per_t"])


def test_cocontrol_and_pollution_equivalents(analysis):
    cc = analysis.cocontrol.set_index(["measure", "species"])
    # NOx falls by the same share as CO2 for both measures: Els = 1
    assert cc.loc[("h2_pipeline", "nox"), "els"] == pytest.approx(1.0)
    assert cc.loc[("electrolyser", "nox"), "els"] == pytest.approx(1.0)
    assert cc.loc[("electrolyser", "so2"), "classification"] == "co2-only"
    assert analysis.classes["h2_pipeline"] == "co-control"
    assert analysis.classes["electrolyser"] == "co2-only"
    pe = analysis.macc.set_index("measure")["pe_avoided"]
    assert pe["h2_pipeline"] == pytest.approx(4 * 1000 / 0.95)  # 4 t NOx at 0.95 kg
    assert pe["electrolyser"] == pytest.approx(2 * 1000 / 0.95 - 1 * 1000 / 0.95)


def test_runs_table(analysis):
    runs = analysis.runs.set_index("run")
    assert list(runs.index) == [
        "baseline",
        "optimum",
        "added:h2_pipeline",
        "removed:h2_pipeline",
        "added:electrolyser",
        "removed:electrolyser",
    ]
    assert (runs["status"] == "optimal").all()
    assert runs.loc["baseline", "builds"] == ""
    assert runs.loc["added:electrolyser", "builds"] == "electrolyser"
    assert runs.loc["baseline", "cost"] == pytest.approx(60e6)


def test_scenario_without_measures_is_refused(data):
    with pytest.raises(InputError, match="measures"):
        analyse_measures(load_scenario(data / "h2-front.yaml"))
