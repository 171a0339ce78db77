"""How sure are we: the robustness study of a scenario's estimates (``symbio robust``).

``run_robust(scenario, out, samples=N)``:

1. solves the scenario as written (the *point* result, ``OUT/point/``); its optimum's build
   decisions are the *recommended plan*;
2. samples every ranged estimate (:mod:`symbio.sweep.uncertainty`: triangular around the
   file's value unless declared uniform, groups fully correlated, Latin hypercube);
3. runs the samples through the sweep engine (``OUT/sweep/``: process pool or Dask,
   resumable): each sample solves its baseline and its own optimum, and operates the
   recommended plan with its build decisions fixed;
4. writes ``OUT/intervals.csv`` (median and 90 % interval of every KPI, its saving and the
   plan's saving, share of samples with a positive saving), ``OUT/builds.csv`` (build
   probability of each candidate), ``OUT/sensitivity.csv`` (factors ranked by standardized
   regression coefficient, :mod:`symbio.sweep.sensitivity`), ``OUT/regret.csv`` (per
   sample: the plan against the sample's optimum), ``OUT/estimates.csv`` and
   ``OUT/quantiles.csv`` (the uncertainty model and the design), ``OUT/infeasibility.csv``
   (the estimates that make the status quo infeasible in some samples, whose savings are
   then undefined), the tornado and regret figures, and ``OUT/robust.json`` (settings,
   headline numbers, wall time).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from symbio.errors import InputError
from symbio.fileio import write_atomic
from symbio.model.kpis import criterion_kpi
from symbio.sweep import robust_stats
from symbio.sweep.adapter import built_candidates
from symbio.sweep.engine import SweepReport, run_plan
from symbio.sweep.plan import Plan, run_ids
from symbio.sweep.runspec import RunOptions, RunSpec
from symbio.sweep.sensitivity import src_table
from symbio.sweep.uncertainty import Factor, design, estimates_table, factors, overrides

if TYPE_CHECKING:
    from symbio.flows.schema import Scenario

STUDY_FILE = "robust.json"
#: Samples of ``symbio robust`` when not given.
DEFAULT_SAMPLES = 100


@dataclass
class RobustReport:
    """What a robustness study did and found."""

    out: Path
    samples: int
    factors: int
    seconds: float
    sweep: SweepReport
    tables: dict[str, pd.DataFrame]
    summary: dict


@dataclass
class RobustPlan:
    """A robustness study planned and its point solved: what :func:`sample_study` runs."""

    out: Path
    factors: list[Factor]
    point: object
    plan_builds: list[str]
    objective_name: str
    plan: Plan
    quantiles: pd.DataFrame
    settings: dict
    started: float


def run_robust(
    scenario: str | Path,
    out: str | Path,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    numbers: Sequence | None = None,
    objective: str | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: str | None = None,
    resume: bool = False,
    progress: bool = True,
) -> RobustReport:
    """Run the robustness study of a scenario file; see the module docstring.

    The three phases (:func:`plan_study`, :func:`sample_study`, :func:`finish_study`) are
    public so that a caller (the main job) can run the samples while it does other work.

    Parameters
    ----------
    scenario
        The scenario file; its ``estimates:`` table with ranges is the uncertainty model.
    out
        Output directory: new or empty (or a study to continue with ``resume``).
    samples
        Number of samples (Latin hypercube).
    seed
        Seed of the design; same seed, same samples.
    numbers
        The uncertain numbers (default: :func:`symbio.flows.provenance.uncertain_numbers`).
    objective, time_limit
        As for ``symbio run``.
    workers, scheduler, executor, resume, progress
        As for :func:`symbio.sweep.run_sweep`.

    Raises
    ------
    InputError
        No ranged estimate, a bad range, a bad ``out``, or a resume of a changed study.
    symbio.errors.ScenarioError, symbio.errors.InfeasibleError
        The scenario is invalid, or its point optimum is infeasible.
    """
    study = plan_study(scenario, out, samples=samples, seed=seed, numbers=numbers,
                       objective=objective, time_limit=time_limit, resume=resume)  # fmt: skip
    sweep = sample_study(study, workers=workers, scheduler=scheduler, executor=executor,
                         resume=resume, progress=progress)  # fmt: skip
    return finish_study(study, sweep)


def plan_study(
    scenario: str | Path,
    out: str | Path,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    numbers: Sequence | None = None,
    objective: str | None = None,
    time_limit: float | None = None,
    resume: bool = False,
    point: object | None = None,
) -> RobustPlan:
    """Phase 1: read the scenario, solve (or take) its point result, write it, plan the samples.

    ``point``: the scenario's result already solved with the same ``objective`` and
    ``time_limit`` (:func:`symbio.run.solve`), so it is neither loaded nor solved again.
    """
    from symbio.flows.load import load_scenario
    from symbio.run import solve

    started = time.perf_counter()
    path, out = Path(scenario).resolve(), Path(out)
    loaded = getattr(point, "scenario", None)
    if loaded is None:
        loaded = load_scenario(path)
    fs = _factors(loaded, path, numbers)
    _check_out(out, resume)
    if point is None:
        point = solve(loaded, objective, time_limit=time_limit)
    point.write(out / "point")  # type: ignore[attr-defined]
    plan_builds = built_candidates(point.tables.get("builds"))  # type: ignore[attr-defined]
    objective_name = point.provenance.get("objective", {}).get("name") or "cost"  # type: ignore[attr-defined]
    options = RunOptions(score=False, objective=objective, time_limit_s=time_limit,
                         plan_builds=tuple(plan_builds))  # fmt: skip
    plan, quantiles = _sample_plan(path, loaded, fs, samples, seed, options)
    settings = {"scenario": str(path), "samples": samples, "seed": seed, "objective": objective,
                "time_limit_s": time_limit, "factors": len(fs), "plan_builds": plan_builds}  # fmt: skip
    return RobustPlan(out, fs, point, plan_builds, objective_name, plan, quantiles, settings,
                      started)  # fmt: skip


def sample_study(
    study: RobustPlan,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: str | None = None,
    resume: bool = False,
    progress: bool = True,
) -> SweepReport:
    """Phase 2: run the samples through the sweep engine into ``OUT/sweep/``.

    Draws no figure and touches no model in this process (the samples run in workers
    unless ``executor="serial"``), so it may run in a thread beside other work.
    """
    description = yaml.safe_dump({"robust": study.settings}, sort_keys=False)
    return run_plan(study.plan, study.out / "sweep", description, workers=workers,
                    scheduler=scheduler, executor=executor, resume=resume, progress=progress,
                    summary=False)  # fmt: skip


def finish_study(study: RobustPlan, sweep: SweepReport) -> RobustReport:
    """Phase 3: the tables, figures and ``robust.json`` of the sampled study."""
    tables = analyse(sweep.index, study.quantiles, study.factors, study.point,
                     study.plan_builds, study.objective_name)  # fmt: skip
    summary = {**study.settings, **headline(tables, sweep, study.objective_name)}
    summary["seconds"] = round(time.perf_counter() - study.started, 1)
    write_study(study.out, tables, summary)
    return RobustReport(study.out, study.settings["samples"], len(study.factors),
                        summary["seconds"], sweep, tables, summary)  # fmt: skip


def _factors(loaded: Scenario, path: Path, numbers: Sequence | None) -> list[Factor]:
    """The study's factors: the given uncertain numbers, or the scenario's ranged estimates."""
    if numbers is None:
        from symbio.flows.provenance import uncertain_numbers

        numbers = uncertain_numbers(loaded)
    fs = factors(numbers)
    if not fs:
        raise InputError(str(path), "estimates", _NO_RANGES)
    return fs


def _sample_plan(
    path: Path, loaded: Scenario, fs: list[Factor], samples: int, seed: int, options: RunOptions
) -> tuple[Plan, pd.DataFrame]:
    """The sweep plan of the samples (one run each) and the design's quantiles by ``run_id``."""
    from symbio.flows.load import scenario_sha256

    quantiles = design(fs, samples, seed)
    ids = run_ids(samples)
    runs = [RunSpec(rid, str(path), ov, options)
            for rid, ov in zip(ids, overrides(fs, quantiles), strict=True)]  # fmt: skip
    plan = Plan(runs, [n.path for f in fs for n in f.numbers], scenario_sha256(loaded),
                [m.id for m in loaded.measures])  # fmt: skip
    quantiles.insert(0, "run_id", ids)
    return plan, quantiles


_NO_RANGES = (
    "no estimate with a range: nothing to sample; list the uncertain numbers in the "
    "scenario's estimates: table with their method, low and high (docs/scenario-format.md)"
)


def _check_out(out: Path, resume: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "", "is a file; --out must be a directory")
    if out.exists() and any(out.iterdir()):
        if not any((out / name).exists() for name in ("point", "sweep", STUDY_FILE)):
            raise InputError(str(out), "", "is not empty and holds no robustness study")
        if not resume:
            raise InputError(str(out), "", "holds a robustness study; pass --resume to continue it")


def analyse(
    index: pd.DataFrame,
    quantiles: pd.DataFrame,
    fs: Sequence[Factor],
    point: object,
    plan_builds: list[str],
    objective: str,
) -> dict[str, pd.DataFrame]:
    """Every table of the study from the sweep index (see the module docstring)."""
    candidates = _candidates(point.tables.get("builds"))  # type: ignore[attr-defined]
    objective_kpi = criterion_kpi(objective)
    regret = robust_stats.regret(index, objective_kpi)
    ok = index[index["status"] == "ok"][["run_id"]].merge(quantiles, on="run_id", how="left")
    outputs = regret[[f"saving.{k}" for k in robust_stats.HEADLINE if f"saving.{k}" in regret]]
    infeasible = robust_stats.status_quo_infeasible(index)
    return {
        "intervals": robust_stats.intervals(index, point.kpis),  # type: ignore[attr-defined]
        # build probabilities over the samples whose status quo runs (the others' optima
        # build whatever makes their inconsistent estimates feasible)
        "builds": robust_stats.builds(index[~infeasible], candidates, plan_builds),
        "sensitivity": src_table(ok.drop(columns="run_id"), outputs),
        "regret": regret,
        "infeasibility": robust_stats.infeasibility_factors(
            index[["run_id"]].merge(quantiles, on="run_id", how="left"), infeasible
        ),
        "estimates": estimates_table(fs),
        "quantiles": quantiles,
    }


def _candidates(builds: pd.DataFrame | None) -> list[str]:
    if builds is None or builds.empty:
        return []
    rows = builds[(builds["case"] == "optimized") & builds["candidate"]]
    return sorted(rows["id"].astype(str).unique())


def headline(tables: dict[str, pd.DataFrame], sweep: SweepReport, objective: str) -> dict:
    """The study's headline numbers (``robust.json``): runs, P(saving > 0), regret, top factors."""
    iv = tables["intervals"].set_index(["kpi", "quantity"])
    regret = tables["regret"]["regret"].dropna()
    savings = {}
    for kpi in robust_stats.HEADLINE:
        if (kpi, "saving") in iv.index:
            row = iv.loc[(kpi, "saving")]
            savings[kpi] = {k: _num(row[k]) for k in ("point", "p05", "median", "p95",
                                                      "share_positive")}  # fmt: skip
    top = {}
    for output, group in tables["sensitivity"].groupby("output", sort=False):
        top[output.removeprefix("saving.")] = group.nsmallest(3, "rank")["factor"].tolist()
    infeasible = robust_stats.status_quo_infeasible(sweep.index)
    return {
        "runs": sweep.counts,
        "status_quo_infeasible": int(infeasible.sum()),
        "status_quo_infeasible_factors": tables["infeasibility"].head(3)["factor"].tolist(),
        "objective_name": objective,
        "savings": savings,
        "regret": {
            "median": _num(regret.median()) if len(regret) else None,
            "p95": _num(regret.quantile(0.95)) if len(regret) else None,
            # samples where the status quo runs but the recommended plan cannot be operated
            "plan_infeasible": int(
                (~tables["regret"]["plan_feasible"] & tables["regret"]["status_quo_feasible"]).sum()
            ),
        },
        "top_factors": top,
    }


def _num(value: object) -> float | None:
    x = float(value)  # type: ignore[arg-type]
    return None if x != x else x


def write_study(out: Path, tables: dict[str, pd.DataFrame], summary: dict) -> None:
    """Write the tables (CSV), the figures and ``robust.json``, each atomically."""
    for name, table in tables.items():
        write_atomic(out / f"{name}.csv", table.to_csv(index=False))
    from symbio.report.figures.robust import write_figures

    write_figures(out, tables, lang="en")
    write_atomic(out / STUDY_FILE, json.dumps(summary, indent=1, default=str) + "\n")
