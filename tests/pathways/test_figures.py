"""Figures: data in, matplotlib Figure out."""

import pandas as pd
from matplotlib.figure import Figure

from symbio.pathways.cocontrol import cocontrol_table
from symbio.pathways.figures import (
    cocontrol_figure,
    grid_figure,
    macc_figure,
    pareto_figure,
    save_figure,
)
from symbio.pathways.macc import macc_table


def test_figures_from_tables(tmp_path):
    pts = pd.DataFrame({"point": [1, 2], "cost": [1.0, 2.0], "co2": [5.0, 1.0]})
    payoff = pd.DataFrame({"cost": [1.0, 2.0], "co2": [5.0, 1.0]}, index=["cost", "co2"])
    macc = macc_table(
        {"cost": 10.0, "co2": 10.0},
        {"a": {"cost": 8.0, "co2": 6.0}, "b": {"cost": 20.0, "co2": 11.0}},
    )
    cc = cocontrol_table({"co2": 10.0, "so2": 2.0}, {"a": {"co2": 6.0, "so2": 1.0}}, ["so2"])
    sweep = pd.DataFrame({"p": [0, 1, 2], "status": ["optimal"] * 3, "co2_t": [3.0, 2.0, 2.0]})
    entries = pd.DataFrame({"item": ["a"], "kind": ["measure"], "enters_at": [1.0]})
    figs = [
        pareto_figure(pts, "cost", "co2", payoff=payoff),
        macc_figure(macc, carbon_price=1.0),
        cocontrol_figure(cc),
        grid_figure(sweep, "p", "co2_t", entries=entries),
    ]
    for i, fig in enumerate(figs):
        assert isinstance(fig, Figure) and fig.axes
        save_figure(fig, tmp_path / f"f{i}.png")
        assert (tmp_path / f"f{i}.png").stat().st_size > 1000
    # the MACC draws one bar per measure on the curve (b adds CO2: off the curve)
    assert len(figs[1].axes[0].patches) == 1
