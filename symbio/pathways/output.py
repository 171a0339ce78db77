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

from symbio.pathways.figures import cocontrol_figure, macc_figure, pareto_figure, save_figure
from symbio.pathways.measures import MeasureAnalysis
from symbio.pathways.modes import ParetoFront

__all__ = ["write_measures", "write_pareto"]


def _csv(df: pd.DataFrame, path: Path, *, index: bool = False) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_csv(tmp, index=index)
    tmp.replace(path)
    return path


def write_pareto(front: ParetoFront, out: str | Path) -> dict[str, Path]:
    """Write a Pareto front's tables and figure into ``out`` (created); return the files."""
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    grid = pd.DataFrame([{"k": p.k, "eps": p.eps, "status": p.status} for p in front.walk.points])
    files = {
        "points": _csv(front.points, d / "pareto.csv"),
        "payoff": _csv(front.payoff.table, d / "payoff.csv", index=True),
        "grid": _csv(grid, d / "grid.csv"),
    }
    fig = pareto_figure(front.points, front.x, front.y, payoff=front.payoff.table)
    files["figure"] = d / "pareto.png"
    save_figure(fig, files["figure"])
    return files


def write_measures(
    analysis: MeasureAnalysis, out: str | Path, *, carbon_price: float | None = None
) -> dict[str, Path]:
    """Write a measure analysis's tables and figures into ``out`` (created); return the files."""
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    cc = analysis.cocontrol.copy()
    files = {
        "runs": _csv(analysis.runs, d / "measure_runs.csv"),
        "macc": _csv(analysis.macc, d / "macc.csv"),
        "macc_removed": _csv(analysis.macc_removed, d / "macc_removed.csv"),
        "cocontrol": _csv(cc, d / "cocontrol.csv"),
    }
    files["macc_figure"] = d / "macc.png"
    save_figure(macc_figure(analysis.macc, carbon_price=carbon_price), files["macc_figure"])
    files["cocontrol_figure"] = d / "cocontrol.png"
    save_figure(cocontrol_figure(cc), files["cocontrol_figure"])
    return files
