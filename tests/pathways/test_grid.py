"""Sweeps of one scenario: CO2 never rises with the carbon price; entry prices."""

import pytest

from symbio.errors import ScenarioError
from symbio.pathways.grid import entry_values, run_grid, write_grid

PRICE = "policy.carbon_price_cny_t"


def test_electrolyser_enters_at_its_mac(data, tmp_path):
    # MAC of the electrolyser against the optimum: (40,740,883.5 - 4,000,000) / 18,000 = 2,041.16
    table = run_grid(data / "macc-toy.yaml", [f"{PRICE}=0,1000,2000,2050,3000"])
    assert list(table[PRICE]) == [0, 1000, 2000, 2050, 3000]
    assert list(table["co2_t"].round(6)) == [18_000, 18_000, 18_000, 0, 0]
    assert list(table["measure:electrolyser"]) == [0, 0, 0, 1, 1]
    entries = entry_values(table, PRICE).set_index(["kind", "item"])
    assert entries.loc[("measure", "electrolyser"), "enters_at"] == 2050
    assert entries.loc[("measure", "h2_pipeline"), "enters_at"] == 0
    files = write_grid(table, tmp_path)
    assert {"table", "entries", "figure"} <= set(files)
    assert files["figure"].stat().st_size > 0


def test_co2_never_rises_with_the_carbon_price(examples):
    prices = [0, 50, 100, 200, 400, 800, 1600]
    table = run_grid(examples / "small-park.yaml", [f"{PRICE}={','.join(map(str, prices))}"])
    assert (table["status"] == "optimal").all()
    co2 = table.sort_values(PRICE)["co2_t"].to_numpy()
    assert all(b <= a * (1 + 1e-9) + 1e-6 for a, b in zip(co2, co2[1:], strict=False))
    # baseline columns carry the same price
    assert (table["total_cost_cny__baseline"].diff().dropna() > 0).all()


def test_grid_of_two_paths(data):
    table = run_grid(
        data / "macc-toy.yaml",
        [f"{PRICE}=0,3000", "markets[grey].buy_cny=10000,5000"],
    )
    assert len(table) == 4
    assert list(table.columns[:2]) == [PRICE, "markets[grey].buy_cny"]
    entries = entry_values(table, PRICE)
    assert set(entries["markets[grey].buy_cny"]) == {10000, 5000}


def test_bad_value_names_the_path(data):
    with pytest.raises(ScenarioError, match="carbon_price_cny_t"):
        run_grid(data / "macc-toy.yaml", [f"{PRICE}=-5"])


def test_the_grid_runs_with_older_objects_frozen_and_unfreezes_them(examples):
    """run_grid freezes what was alive before it (gc.freeze) and unfreezes it, also on error."""
    import gc

    from symbio.errors import SolverError

    assert gc.get_freeze_count() == 0
    seen = []

    def solve(scenario: object) -> object:
        seen.append(gc.get_freeze_count())  # the objects frozen while a point runs
        raise SolverError("no solve in this test")

    table = run_grid(examples / "small-park.yaml", [f"{PRICE}=0,100"], solve=solve)
    assert list(table["status"]) == ["error", "error"]
    assert len(seen) == 2 and min(seen) > 0
    assert gc.get_freeze_count() == 0

    def fails(scenario: object) -> object:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_grid(examples / "small-park.yaml", [f"{PRICE}=0"], solve=fails)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's own frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        run_grid(examples / "small-park.yaml", [f"{PRICE}=0"], solve=solve)
        assert gc.get_freeze_count() > 0 and frozen > 0  # not unfrozen by the grid
    finally:
        gc.unfreeze()
