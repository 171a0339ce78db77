"""Tapio decoupling: the eight states, boundaries, degenerate cases, time-series KPIs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from symbio.errors import InputError
from symbio.scoring import (
    TAPIO_STATES,
    decoupling_series,
    load_timeseries,
    tapio_state,
    timeseries_kpis,
)


@pytest.mark.parametrize(
    ("g1", "c1", "e", "state"),
    [
        (110, 95, -0.5, "strong_decoupling"),
        (110, 102, 0.2, "weak_decoupling"),
        (110, 110, 1.0, "expansive_coupling"),
        (110, 120, 2.0, "expansive_negative_decoupling"),
        (90, 105, -0.5, "strong_negative_decoupling"),
        (90, 98, 0.2, "weak_negative_decoupling"),
        (90, 90, 1.0, "recessive_coupling"),
        (90, 80, 2.0, "recessive_decoupling"),
    ],
)
def test_eight_tapio_states(g1, c1, e, state):
    got_e, got = tapio_state(100, g1, 100, c1)
    assert got == state
    assert got_e == pytest.approx(e)
    assert state in TAPIO_STATES


@pytest.mark.parametrize(
    ("c1", "closed", "state"),
    [
        (108, "coupling", "expansive_coupling"),  # e = 0.8 exactly
        (108, "outer", "weak_decoupling"),
        (112, "coupling", "expansive_coupling"),  # e = 1.2 exactly
        (112, "outer", "expansive_negative_decoupling"),
    ],
)
def test_boundary_closure_is_a_parameter(c1, closed, state):
    e, got = tapio_state(100, 110, 100, c1, closed=closed)
    assert got == state


def test_custom_boundaries():
    assert tapio_state(100, 110, 100, 107, boundaries=(0.6, 1.4))[1] == "expansive_coupling"


@pytest.mark.parametrize(
    ("g", "c", "e", "state"),
    [
        ((100, 110), (50, 50), 0.0, "weak_decoupling"),  # pressure flat while growing
        ((100, 90), (50, 50), 0.0, "weak_negative_decoupling"),
        ((100, 100), (50, 45), math.nan, "zero_growth_pressure_down"),
        ((100, 100), (50, 55), math.nan, "zero_growth_pressure_up"),
        ((100, 100), (50, 50), math.nan, "no_change"),
        ((0, 10), (50, 55), math.nan, "undefined"),
        ((100, 110), (0, 5), math.nan, "undefined"),
    ],
)
def test_degenerate_cases(g, c, e, state):
    got_e, got = tapio_state(g[0], g[1], c[0], c[1])
    assert got == state
    assert (math.isnan(got_e) and math.isnan(e)) or got_e == e


def test_series_and_kpis(tmp_path):
    p = tmp_path / "ts.csv"
    p.write_text(
        "# test series\nyear,value_added,energy_tce,co2_t\n2019,100,50,200\n2020,110,51,190\n2021,121,52,199.5\n",
        encoding="utf-8",
    )
    df = load_timeseries(p)
    t = decoupling_series(df, "co2_t")
    assert list(t["state"]) == ["strong_decoupling", "weak_decoupling"]
    assert t.loc[1, "elasticity"] == pytest.approx((199.5 / 190 - 1) / 0.1)
    full = decoupling_series(df, "energy_tce", window="full")
    assert len(full) == 1 and full.loc[0, "elasticity"] == pytest.approx(0.04 / 0.21)
    kpis, table = timeseries_kpis(df)
    assert kpis["ts_energy_elasticity"] == pytest.approx(0.04 / 0.21)
    assert kpis["ts_co2_elasticity"] == pytest.approx(-0.0025 / 0.21)
    intensity_ratio = (199.5 / 121) / (200 / 100)
    assert kpis["ts_co2_intensity_reduction_pct"] == pytest.approx(100 * (1 - intensity_ratio**0.5))
    assert set(table["pressure"]) == {"energy_tce", "co2_t"}


def test_elasticity_kpi_omitted_when_value_added_falls():
    df = pd.DataFrame({"year": [2020, 2021], "value_added": [100, 90], "energy_tce": [50, 48]})
    kpis, _ = timeseries_kpis(df)
    assert "ts_energy_elasticity" not in kpis


def test_timeseries_errors(tmp_path):
    p = tmp_path / "ts.csv"
    p.write_text("year,value_added\n2020,1\n2021,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="energy_tce"):
        load_timeseries(p)
    p.write_text("year,value_added,co2_t\n2020,1,x\n2021,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1\.co2_t: expected a number"):
        load_timeseries(p)
    with pytest.raises(InputError, match="not found"):
        load_timeseries(tmp_path / "missing.csv")


def test_long_format_with_output_basis(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text(
        "year,indicator,value,unit,source,note\n"
        '2020,industrial_output,1000,1e8CNY,"a, b",x\n'
        "2021,industrial_output,1380,1e8CNY,s,#not a comment\n"
        "2020,energy_per_output,0.9,tce/1e4CNY,s,\n"
        "2021,energy_per_output,0.6822,tce/1e4CNY,s,\n"
        "2006,energy_per_output,0.2,tce/1e4CNY,s,no output that year\n",
        encoding="utf-8",
    )
    df = load_timeseries(p)
    assert list(df["year"]) == [2020, 2021]
    assert df["energy_tce"].tolist() == pytest.approx([9.0e6, 0.6822 * 1380 * 1e4])
    assert "industrial output" in df.attrs["basis"]
    kpis, _ = timeseries_kpis(df)
    assert kpis["ts_energy_elasticity"] == pytest.approx((0.6822 * 1.38 / 0.9 - 1) / 0.38)


def test_bundled_scip_series_loads():
    from symbio.paths import data_dir

    path = data_dir() / "timeseries" / "scip-park-statistics.csv"
    if not path.is_file():
        pytest.skip("no bundled SCIP time series")
    df = load_timeseries(path)
    assert len(df) >= 2 and "energy_tce" in df.columns
