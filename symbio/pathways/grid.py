"""Parameter grids of one scenario: ``symbio run FILE --set PATH=v1,v2,...``.

Not to be confused with :mod:`symbio.sweep` (many independent runs of a sweep file, grid or
Monte Carlo, on a process pool or Dask): a *grid* here varies fields of one scenario in one
process, for the ``--set`` option of ``symbio run``.

Each ``--set`` names a scenario field path and its values
(:mod:`symbio.flows.overrides`); several make a grid (Cartesian product). Every grid point is
the scenario with those values, validated again and solved like ``symbio run`` (baseline and
optimized); points that change only the carbon price or the values of caps re-solve the first
point's model with new coefficients (:mod:`symbio.pathways.warm`). The table has one row per
point:

* one column per swept path (its value), ``status`` (of the optimized case) and ``gap``;
* ``<kpi>`` the optimized value of every KPI, ``<kpi>__baseline`` and ``<kpi>__saving``;
* ``build:<id>`` 1 when candidate ``id`` is built in the optimized case;
* ``measure:<id>`` the share of the measure's candidates built (0..1).

:func:`entry_values` reads, along one swept path, where each measure or candidate enters
(the first value at which it is built) and leaves again.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from symbio.errors import InfeasibleError, SolverError
from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.overrides import apply_overrides, grid, parse_assignment
from symbio.flows.schema import Scenario
from symbio.pathways.figures import grid_figure, save_figure
from symbio.solvers.options import SolverOptions

__all__ = [
    "entry_values",
    "run_grid",
    "summary_columns",
    "grid_row",
    "swept_paths",
    "write_grid",
]

#: KPIs a console summary of a sweep shows, when present.
SUMMARY_KPIS = ("total_cost_cny", "co2_t", "energy_tce")

#: ``solve(scenario) -> Result``; default :func:`symbio.run.solve`.
SolveFn = Callable[[Scenario], object]


def swept_paths(assignments: Sequence[str]) -> list[str]:
    """Return the field paths of ``--set`` assignments, in order."""
    return [parse_assignment(a)[0] for a in assignments]


def _builds(result: object) -> dict[str, int]:
    builds = result.tables.get("builds")  # type: ignore[attr-defined]
    if builds is None or builds.empty:
        return {}
    b = builds[(builds["case"] == "optimized") & builds["candidate"].astype(bool)]
    return {
        str(i): int(bool(x)) for i, x in zip(b["id"].tolist(), b["built"].tolist(), strict=True)
    }


def grid_row(
    point: Mapping[str, object],
    scenario: Scenario,
    result: object,
    graph: ParkGraph | None = None,
) -> dict[str, object]:
    """One row of the sweep table from a grid point, its scenario and its Result.

    ``graph``: the scenario's park graph when at hand (it names the members of measures;
    default: built from ``scenario`` when it has measures).
    """
    row: dict[str, object] = dict(point)
    row["status"] = result.status  # type: ignore[attr-defined]
    out = result.outcomes.get("optimized")  # type: ignore[attr-defined]
    row["gap"] = out.gap if out is not None and out.gap is not None else math.nan
    kpis = result.kpis  # type: ignore[attr-defined]
    cols = [kpis[c].tolist() for c in ("kpi", "optimized", "baseline", "saving")]
    for k, opt, base, saving in zip(*cols, strict=True):
        row[k] = opt
        row[f"{k}__baseline"] = base
        row[f"{k}__saving"] = saving
    builds = _builds(result)
    row.update({f"build:{k}": v for k, v in sorted(builds.items())})
    if scenario.measures and graph is None:
        graph = build_graph(scenario)
    for ms in scenario.measures:
        ids = [x for member in ms.members for x in graph.members(member)]
        known = [x for x in ids if x in builds]
        row[f"measure:{ms.id}"] = sum(builds[x] for x in known) / len(known) if known else math.nan
    return row


def run_grid(
    file: str | Path,
    assignments: Sequence[str],
    *,
    objective: str | None = None,
    options: SolverOptions | None = None,
    solve: SolveFn | None = None,
    progress: Callable[[int, int, Mapping[str, object]], None] | None = None,
) -> pd.DataFrame:
    """Solve the scenario at every point of the ``--set`` grid; one table row per point.

    Parameters
    ----------
    file
        Scenario file (its ``extends`` chain is followed).
    assignments
        ``PATH=v1,v2,...`` strings, as given to ``--set``; several make a grid.
    objective
        Objective of every run (default: the scenario's).
    options
        Solver options (default: each scenario's ``solver:`` settings).
    solve
        ``solve(scenario) -> Result`` to use instead of the default,
        :class:`symbio.pathways.warm.WarmRuns`: :func:`symbio.run.solve` on one kept model
        for points that change only the carbon price or cap values (without the audit step,
        whose outcome no row holds).
    progress
        Called as ``progress(i, n, point)`` before each point.

    Returns
    -------
    pandas.DataFrame
        See the module docstring. A point whose optimized case is infeasible or fails keeps
        its row with ``status`` ``infeasible`` / ``error`` and NaN KPIs.

    Raises
    ------
    ScenarioError
        When an overridden scenario is invalid (the field path is named).

    Examples
    --------
    >>> t = run_grid("scenarios/examples/hydrogen-pair.yaml",
    ...               ["policy.carbon_price_cny_t=0,100"])  # doctest: +SKIP
    >>> t[["policy.carbon_price_cny_t", "co2_t"]]  # doctest: +SKIP
    """
    if solve is None:
        from symbio.pathways.warm import WarmRuns

        solve = WarmRuns(objective, options, audit=False)  # a row holds no audit

    points = grid(list(assignments))
    mine = gc.get_freeze_count() == 0  # a caller who froze objects keeps them as they are
    if mine:
        gc.freeze()  # see _point_rows
    try:
        rows = _point_rows(file, points, solve, progress)
    finally:
        if mine:
            gc.unfreeze()
    table = pd.DataFrame(rows)
    first = [*swept_paths(assignments), "status", "gap"]
    return table[first + [c for c in table.columns if c not in first]]


def _point_rows(
    file: str | Path,
    points: list[dict[str, object]],
    solve: SolveFn,
    progress: Callable[[int, int, Mapping[str, object]], None] | None,
) -> list[dict[str, object]]:
    """The grid's rows, point by point.

    Runs while what was alive before the grid (the imports, the caller's objects) is frozen
    (:func:`gc.freeze`): the collector's full passes during the grid walk only the grid's
    own objects: on a 15-point SCIP carbon-price grid such a pass took 260-330 ms unfrozen,
    30-50 ms frozen, and ``symbio run --set`` of 10 prices used 3 % less CPU (load 7-8).
    Everything is unfrozen when the grid ends, so nothing stays out of the collector's reach
    (unless the caller had frozen objects itself: those are left to it).
    """
    rows = []
    for i, point in enumerate(points):
        if progress is not None:
            progress(i, len(points), point)
        scenario = apply_overrides(file, point)
        try:
            result = solve(scenario)
        except InfeasibleError:
            rows.append({**point, "status": "infeasible", "gap": math.nan})
            continue
        except SolverError as exc:
            rows.append({**point, "status": "error", "gap": math.nan, "message": str(exc)})
            continue
        rows.append(grid_row(point, scenario, result, getattr(solve, "graph", None)))
    return rows


def summary_columns(table: pd.DataFrame) -> list[str]:
    """Return the columns of a sweep table worth printing: paths, status, headline KPIs, measures."""
    cols = list(table.columns)
    paths = cols[: cols.index("status")] if "status" in cols else []
    kpis = [k for k in SUMMARY_KPIS if k in table]
    measures = [c for c in cols if c.startswith("measure:")]
    return [*paths, "status", *kpis, *measures]


def entry_values(table: pd.DataFrame, x: str, *, by: Sequence[str] | None = None) -> pd.DataFrame:
    """Where along the swept path ``x`` each measure and candidate enters and leaves.

    Parameters
    ----------
    table
        A :func:`run_grid` table.
    x
        The swept path read as the axis (its values must be numbers).
    by
        Other swept paths to group by (default: every other column before ``status``).

    Returns
    -------
    pandas.DataFrame
        ``[by...], item, kind (measure/build), enters_at, leaves_at, built_at_max``:
        ``enters_at`` the first ``x`` at which the item is built (any member, for a measure),
        ``leaves_at`` the first larger ``x`` at which it is no longer built (NaN if never),
        ``built_at_max`` whether it is built at the largest ``x``.
    """
    cols = list(table.columns)
    if by is None:
        by = [c for c in cols[: cols.index("status")] if c != x] if "status" in cols else []
    items = [c for c in cols if c.startswith(("measure:", "build:"))]
    groups = table.groupby(list(by), sort=False, dropna=False) if by else [((), table)]
    rows = []
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        g = grp[grp["status"].isin(["optimal", "feasible"])].sort_values(x)
        for item in items:
            built = (g[item].fillna(0) > 1e-9).to_numpy()
            xs = g[x].to_numpy(dtype=float)
            enters = leaves = math.nan
            if built.any():
                k = int(built.argmax())
                enters = float(xs[k])
                after = (~built[k:]).nonzero()[0]
                leaves = float(xs[k + after[0]]) if len(after) else math.nan
            kind, name = item.split(":", 1)
            rows.append(
                {
                    **dict(zip(by, key, strict=False)),
                    "item": name,
                    "kind": kind,
                    "enters_at": enters,
                    "leaves_at": leaves,
                    "built_at_max": bool(built[-1]) if len(built) else False,
                }
            )
    return pd.DataFrame(
        rows, columns=[*by, "item", "kind", "enters_at", "leaves_at", "built_at_max"]
    )


def write_grid(
    table: pd.DataFrame,
    out: str | Path,
    *,
    x: str | None = None,
    y: str | Sequence[str] = "co2_t",
) -> dict[str, Path]:
    """Write ``grid.csv`` and, when one numeric path is swept, ``entries.csv`` and ``grid.png``.

    Parameters
    ----------
    table
        A :func:`run_grid` table.
    out
        Output directory (created).
    x
        Swept path for the axis (default: the first column, when it is numeric).
    y
        KPI column(s) to plot.

    Returns
    -------
    dict[str, Path]
        The files written, by kind (``table``, ``entries``, ``figure``).
    """
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    files = {"table": d / "grid.csv"}
    _atomic_csv(table, files["table"])
    x = x or table.columns[0]
    if x in table and pd.api.types.is_numeric_dtype(table[x]):
        entries = entry_values(table, x)
        files["entries"] = d / "entries.csv"
        _atomic_csv(entries, files["entries"])
        ys = [y] if isinstance(y, str) else list(y)
        ys = [c for c in ys if c in table]
        if ys:
            fig = grid_figure(table, x, ys, entries=entries[entries["kind"] == "measure"])
            files["figure"] = d / "grid.png"
            save_figure(fig, files["figure"])
    return files


def _atomic_csv(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_csv(tmp, index=False)
    tmp.replace(path)
