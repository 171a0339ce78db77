"""Write the pathway analyses to a directory: CSV tables and PNG figures.

``symbio pareto`` writes::

    pareto.csv      one row per efficient point: point, eps, every criterion, status, gap,
                    build:<id> (0/1) per candidate
    payoff.csv      the payoff table (row: criterion optimised first; columns: criteria)
    grid.csv        every ε grid point: k, eps, status (solved / bypassed / infeasible)
    pareto.png      the front

``symbio measures`` writes::

    measure_runs.csv   baseline, optimum, added:<id>, removed:<id> runs with their quantities
    macc.csv           MAC of each measure added alone to the baseline (the curve)
    macc_removed.csv   MAC of each measure removed from the optimum
    cocontrol.csv      co-control table (rates, Els, class) per measure and pollutant
    macc.png, cocontrol.png
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from symbio.outdir import replace_dir
from symbio.pathways.figures import cocontrol_figure, macc_figure, pareto_figure, save_figure
from symbio.pathways.measures import MeasureAnalysis
from symbio.pathways.modes import ParetoFront

__all__ = ["write_measures", "write_pareto"]


def write_pareto(front: ParetoFront, out: str | Path, *, force: bool = False) -> dict[str, Path]:
    """Write a Pareto front's tables and figure into ``out``, replaced atomically.

    Returns the files (paths inside ``out``). A non-empty directory symbio did not write
    is refused unless ``force`` (:func:`symbio.outdir.replace_dir`).
    """
    grid = pd.DataFrame([{"k": p.k, "eps": p.eps, "status": p.status} for p in front.walk.points])

    def fill(d: Path) -> None:
        front.points.to_csv(d / "pareto.csv", index=False)
        front.payoff.table.to_csv(d / "payoff.csv", index=True)
        grid.to_csv(d / "grid.csv", index=False)
        fig = pareto_figure(front.points, front.x, front.y, payoff=front.payoff.table)
        save_figure(fig, d / "pareto.png")

    d = replace_dir(out, fill, kind="pareto", force=force)
    names = {"points": "pareto.csv", "payoff": "payoff.csv", "grid": "grid.csv"}
    return {k: d / v for k, v in {**names, "figure": "pareto.png"}.items()}


def write_measures(
    analysis: MeasureAnalysis,
    out: str | Path,
    *,
    carbon_price: float | None = None,
    force: bool = False,
) -> dict[str, Path]:
    """Write a measure analysis's tables and figures into ``out``, replaced atomically."""
    cc = analysis.cocontrol.copy()
    tables = {
        "runs": (analysis.runs, "measure_runs.csv"),
        "macc": (analysis.macc, "macc.csv"),
        "macc_removed": (analysis.macc_removed, "macc_removed.csv"),
        "cocontrol": (cc, "cocontrol.csv"),
    }

    def fill(d: Path) -> None:
        for frame, name in tables.values():
            frame.to_csv(d / name, index=False)
        save_figure(macc_figure(analysis.macc, carbon_price=carbon_price), d / "macc.png")
        save_figure(cocontrol_figure(cc), d / "cocontrol.png")

    d = replace_dir(out, fill, kind="measures", force=force)
    files = {k: d / name for k, (_, name) in tables.items()}
    return {**files, "macc_figure": d / "macc.png", "cocontrol_figure": d / "cocontrol.png"}
