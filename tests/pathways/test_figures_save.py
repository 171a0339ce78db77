"""save_figure's PNG is laid out once and drawn once: the same bytes as matplotlib's savefig."""

import io

import pandas as pd
import pytest

from symbio.pathways.cocontrol import cocontrol_table
from symbio.pathways.figures import (
    cocontrol_figure,
    grid_figure,
    macc_figure,
    pareto_figure,
    save_figure,
)
from symbio.pathways.macc import macc_table


def _figures():
    pts = pd.DataFrame({"point": [1, 2, 3], "cost": [1.0e9, 1.5e9, 2.0e9], "co2": [5e6, 2e6, 1e6]})
    payoff = pd.DataFrame({"cost": [1.0e9, 2.0e9], "co2": [5e6, 1e6]}, index=["cost", "co2"])
    macc = macc_table(
        {"cost": 10.0e6, "co2": 10.0e3},
        {
            "heat-recovery-long-name": {"cost": 8.0e6, "co2": 6.0e3},
            "b": {"cost": 12.0e6, "co2": 9.0e3},
        },
    )
    cc = cocontrol_table(
        {"co2": 10.0, "so2": 2.0, "nox": 3.0},
        {"a": {"co2": 6.0, "so2": 1.0, "nox": 3.5}, "b": {"co2": 11.0, "so2": 1.5, "nox": 2.0}},
        ["so2", "nox"],
    )
    sweep = pd.DataFrame({"p": [0, 100, 200], "status": ["optimal"] * 3, "co2_t": [3.0, 2.0, 2.0]})
    entries = pd.DataFrame({"item": ["a"], "kind": ["measure"], "enters_at": [100.0]})
    return {
        "pareto": lambda: pareto_figure(pts, "cost", "co2", payoff=payoff),
        "macc": lambda: macc_figure(macc, carbon_price=100.0),
        "cocontrol": lambda: cocontrol_figure(cc),
        "grid": lambda: grid_figure(sweep, "p", "co2_t", entries=entries),
    }


@pytest.mark.parametrize("name", ["pareto", "macc", "cocontrol", "grid"])
@pytest.mark.parametrize("dpi", [150, 72])
def test_png_bytes_equal_plain_savefig(tmp_path, name, dpi):
    make = _figures()[name]
    plain = io.BytesIO()
    make().savefig(plain, dpi=dpi, format="png")
    fig = make()
    own_dpi = fig.dpi
    save_figure(fig, tmp_path / "f.png", dpi=dpi)
    assert (tmp_path / "f.png").read_bytes() == plain.getvalue()
    # the figure is left as it was: its dpi and its layout engine
    assert fig.dpi == own_dpi
    assert fig.get_layout_engine() is not None


def test_png_twice_same_bytes(tmp_path):
    fig = _figures()["macc"]()
    save_figure(fig, tmp_path / "a.png")
    save_figure(fig, tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_svg_still_saved(tmp_path):
    save_figure(_figures()["pareto"](), tmp_path / "f.svg")
    assert (tmp_path / "f.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
