"""The main job: optimize, score, compare and brief the bundled SCIP scenarios.

``symbio pilot --out out/scip`` runs, in order:

1. validate every scenario in ``scenarios/scip/`` (all problems reported together);
2. solve each (baseline and optimized) into ``OUT/runs/<scenario>/`` and score it into
   ``OUT/runs/<scenario>/scores/``;
3. compare them (``OUT/compare/``);
4. trace the cost–CO2 Pareto front of the main scenario (``OUT/pareto/``) and analyse its
   measures — MAC curve and co-control (``OUT/measures/``);
5. sample the main scenario's ranged estimates and solve every sample (``OUT/robust/``,
   ``symbio robust``): intervals, build probabilities, sensitivity, regret of the plan;
6. split the main scenario's savings between its enterprises: accounts, settlement,
   coalition values, Shapley value / nucleolus and the core (``OUT/allocation/``);
7. write the committee briefing in Chinese and English (``OUT/briefing-zh.html``,
   ``OUT/briefing-en.html``), with the "who gains, who pays" section, and its figures as
   PNG files per language (``OUT/figures/zh/``, ``OUT/figures/en/``; each drawn once).

Each step is the same library call the single-purpose commands make. A scenario that turns
out infeasible is recorded with its diagnosis and left out of the later steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from symbio.errors import InfeasibleError, ScenarioError, SymbioError
from symbio.paths import scenarios_dir

MAIN_SCENARIO = "symbiosis-2025"
#: Scenarios shown beside the main one in the briefing's comparison, in this order.
BRIEFING_ORDER = (
    "symbiosis-2025",
    "baseline-2021",
    "carbon-price-200",
    "grid-national",
    "no-exchange",
)
#: Samples of the pilot's robustness study: on two cores it adds at most about as much time
#: as the rest of the main job, and it determines the regression of SCIP's 37 factors
#: (N >= 2 (k + 1); docs/robustness.md). More with ``--robust-samples``.
ROBUST_SAMPLES = 80


def scip_scoring_inputs() -> dict[str, Path]:
    """Scoring inputs for SCIP: it publishes industrial output but no value added.

    So intensities are scored on output value (the AHP panel with the output-basis ids) and
    decoupling from the park's published time series (docs/scoring.md).
    """
    from symbio.paths import data_dir

    return {
        "weights": data_dir() / "experts" / "ahp_panel-output-basis.yaml",
        "timeseries": data_dir() / "timeseries" / "scip-park-statistics.csv",
    }


@dataclass
class PilotReport:
    """What the main job did: one row per step and scenario, and the files written."""

    steps: list[dict] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    def add(self, step: str, target: str, status: str, seconds: float, note: str = "") -> None:
        """Record one step."""
        self.steps.append(
            {
                "step": step,
                "target": target,
                "status": status,
                "seconds": round(seconds, 2),
                "note": note,
            }
        )

    @property
    def failed(self) -> list[dict]:
        """Steps that did not succeed."""
        return [
            s for s in self.steps if s["status"] not in {"ok", "optimal", "feasible", "skipped"}
        ]


def run_pilot(
    out: str | Path,
    *,
    scenarios: str | Path | None = None,
    main: str = MAIN_SCENARIO,
    pareto_points: int = 7,
    measures: bool = True,
    allocation: bool = True,
    langs: tuple[str, ...] = ("zh", "en"),
    time_limit: float | None = None,
    robust_samples: int = ROBUST_SAMPLES,
    force: bool = False,
    say: Callable[[str], None] = lambda _msg: None,
) -> PilotReport:
    """Run the main job on a directory of scenarios; see the module docstring.

    Parameters
    ----------
    out
        Output directory (created).
    scenarios
        Directory of scenario files (default: the bundled ``scenarios/scip``).
    main
        Stem of the main scenario (Pareto front, measures, first in the briefing).
    pareto_points
        Grid points of the cost–CO2 front.
    measures
        Also run the per-measure MAC / co-control analysis.
    allocation
        Also split the main scenario's savings between its enterprises (``symbio allocate``).
    langs
        Briefing languages.
    time_limit
        Seconds per solve (default: each scenario's ``solver.time_limit_s``).
    robust_samples
        Samples of the robustness study of the main scenario (0: none).
    force
        Write into ``out`` even when it holds files symbio did not write (never an input).
    say
        Called with a line of progress text.

    Raises
    ------
    ScenarioError
        When any scenario file is invalid (nothing is solved then).
    """
    from symbio.outdir import claim_dir

    out = Path(out)
    folder = Path(scenarios) if scenarios else scenarios_dir() / "scip"
    report = PilotReport()
    loaded = _validate(folder, report)
    claim_dir(out, kind="pilot", inputs=[folder], force=force)  # only once the input is valid
    say(f"validated {len(loaded)} scenarios in {folder}")

    scoring = scip_scoring_inputs() if scenarios is None else {}
    run_dirs, scores = _solve_and_score(loaded, out, scoring, time_limit, report, say)
    _compare(run_dirs, out, scoring, scores, report, say)
    studies = {"pareto": None, "macc": None, "cocontrol": None, "allocation": None, "robust": None}
    if main in loaded and main in run_dirs:
        studies["pareto"] = _pareto(loaded[main], out / "pareto", pareto_points, time_limit,
                                    report, say)  # fmt: skip
        if measures:
            studies["macc"], studies["cocontrol"] = _measures(
                loaded[main], out / "measures", time_limit, report, say
            )
        if allocation:
            studies["allocation"] = _allocation(loaded[main], out / "allocation", time_limit,
                                                report, say)  # fmt: skip
    if main in run_dirs and robust_samples > 0:
        studies["robust"] = _robust(folder / f"{main}.yaml", out / "robust", robust_samples,
                                    time_limit, report, say)  # fmt: skip
    _briefings(run_dirs, out, langs, studies, report, say, loaded)
    return report


def _validate(folder: Path, report: PilotReport) -> dict[str, object]:
    """Every scenario of ``folder`` loaded, by file stem; all their problems raised together."""
    from symbio.flows.load import load_scenario

    t0 = time.perf_counter()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise SymbioError(f"{folder}: no scenario files (*.yaml) found")
    problems, loaded = [], {}
    for f in files:
        try:
            loaded[f.stem] = load_scenario(f)
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    report.add("validate", str(folder), "ok", time.perf_counter() - t0, f"{len(files)} files")
    return loaded


def _solve_and_score(loaded, out, scoring, time_limit, report, say):  # noqa: ANN001, ANN202
    """Solve and score each scenario into ``OUT/runs/<stem>/``; an infeasible one is skipped.

    Returns the run directories by stem and the scores by directory (reused by compare: the
    same inputs are not scored twice).
    """
    from symbio.run import solve
    from symbio.scoring import score_result
    from symbio.scoring.output import write_scores

    run_dirs: dict[str, Path] = {}
    scores: dict[Path, object] = {}
    for stem, scenario in loaded.items():
        t = time.perf_counter()
        try:
            result = solve(scenario, time_limit=time_limit)
        except InfeasibleError as exc:
            report.add("run", stem, "infeasible", time.perf_counter() - t, str(exc).splitlines()[0])
            say(f"{stem}: infeasible — {exc}")
            continue
        target = result.write(out / "runs" / stem)
        status = result.outcomes["optimized"].status.value
        report.add("run", stem, status, time.perf_counter() - t)
        t = time.perf_counter()
        scores[target] = score_result(target, **scoring)
        write_scores(scores[target], target / "scores")
        report.add("score", stem, "ok", time.perf_counter() - t)
        run_dirs[stem] = target
        say(f"{stem}: {status}, scored ({time.perf_counter() - t:.1f} s)")
    return run_dirs, scores


def _compare(run_dirs, out, scoring, scores, report, say):  # noqa: ANN001, ANN202
    from symbio.pathways.compare import compare, write_compare

    t = time.perf_counter()
    table, entries = compare(
        list(run_dirs.values()), out / "compare", score_kwargs=scoring, scored=scores
    )
    report.files.update(
        {f"compare_{k}": v for k, v in write_compare(table, entries, out / "compare").items()}
    )
    report.add("compare", ",".join(run_dirs), "ok", time.perf_counter() - t)
    say(f"compared {len(run_dirs)} scenarios")


def _briefings(run_dirs, out, langs, studies, report, say, loaded=None):  # noqa: ANN001, ANN202
    """The briefing per language; it compares a few telling variants (OUT/compare/ has all).

    The results are read once, with the scenarios solved still in memory (``loaded``, not
    read back from the result directories); the languages are drawn at the same time where
    2+ cores."""
    from symbio.report.html.briefing import read_briefing

    if not langs:
        return
    t = time.perf_counter()
    solved = {run_dirs[s]: loaded[s] for s in run_dirs if s in (loaded or {})}
    dirs = [run_dirs[s] for s in BRIEFING_ORDER if s in run_dirs]
    briefing = read_briefing(dirs, scenarios=solved, **studies)
    read_s = time.perf_counter() - t
    targets = {lang: (out / f"briefing-{lang}.html", out / "figures" / lang) for lang in langs}
    for i, (lang, (path, seconds)) in enumerate(briefing.write_all(targets).items()):
        report.files[f"briefing_{lang}"] = path
        report.add("briefing", lang, "ok", seconds + (read_s if i == 0 else 0.0))
        say(f"briefing ({lang}): {path}")


def _solver_options(scenario: object, time_limit: float | None) -> object:
    from symbio.solvers.options import SolverOptions

    return SolverOptions.from_settings(scenario.solver, time_limit=time_limit)  # type: ignore[attr-defined]


def _pareto(scenario, out, points, time_limit, report, say):  # noqa: ANN001, ANN202
    from symbio.pathways.modes import pareto_front
    from symbio.pathways.output import write_pareto
    from symbio.solvers.session import open_session

    t = time.perf_counter()
    try:
        session = open_session(
            scenario, criteria=["cost", "co2"], solver_options=_solver_options(scenario, time_limit)
        )
        files = write_pareto(pareto_front(session, "cost", "co2", points), out)
    except SymbioError as exc:
        report.add(
            "pareto", "cost-co2", "failed", time.perf_counter() - t, str(exc).splitlines()[0]
        )
        say(f"pareto: failed — {exc}")
        return None
    report.add("pareto", "cost-co2", "ok", time.perf_counter() - t)
    say(f"pareto front cost vs CO2: {files['points']}")
    return files["points"]


def _measures(scenario, out, time_limit, report, say):  # noqa: ANN001, ANN202
    from symbio.pathways.equivalents import load_equivalents
    from symbio.pathways.measures import analyse_measures
    from symbio.pathways.output import write_measures

    t = time.perf_counter()
    try:
        analysis = analyse_measures(
            scenario,
            solver_options=_solver_options(scenario, time_limit),
            equivalents=load_equivalents(None),
        )
        files = write_measures(
            analysis, out, carbon_price=scenario.policy.carbon_price_cny_t or None
        )
    except SymbioError as exc:
        report.add("measures", "macc", "failed", time.perf_counter() - t, str(exc).splitlines()[0])
        say(f"measures: failed — {exc}")
        return None, None
    report.add("measures", "macc", "ok", time.perf_counter() - t)
    say(f"measures (MAC curve, co-control): {files['macc']}")
    return files["macc"], files["cocontrol"]


def _allocation(scenario, out, time_limit, report, say):  # noqa: ANN001, ANN202
    from symbio.allocation import allocate, write_allocation

    t = time.perf_counter()
    try:
        result = allocate(scenario, options=_solver_options(scenario, time_limit))
        files = write_allocation(result, out)
    except SymbioError as exc:
        report.add(
            "allocation", "shapley", "failed", time.perf_counter() - t, str(exc).splitlines()[0]
        )
        say(f"allocation: failed — {exc}")
        return None
    s = result.summary
    note = f"{s['coalitions']} coalitions, {s['coalitions_solved']} solved" + (
        ", core empty" if s.get("core_empty") else ""
    )
    report.add("allocation", s["method"], "ok", time.perf_counter() - t, note)
    say(f"allocation (who gains, who pays): {files['accounts']}")
    return out


def _robust(file, out, samples, time_limit, report, say):  # noqa: ANN001, ANN202
    from symbio.flows.load import load_scenario
    from symbio.flows.provenance import uncertain_numbers
    from symbio.sweep.robust import run_robust

    t = time.perf_counter()
    if not uncertain_numbers(load_scenario(file)):
        report.add("robust", file.stem, "skipped", 0.0, "no estimate with a range")
        say(f"robust: skipped, {file.stem} has no estimate with a range")
        return None
    try:
        study = run_robust(file, out, samples=samples, time_limit=time_limit, progress=False)
    except SymbioError as exc:
        report.add("robust", file.stem, "failed", time.perf_counter() - t, str(exc).splitlines()[0])
        say(f"robust: failed — {exc}")
        return None
    counts = ", ".join(f"{n} {s}" for s, n in sorted(study.sweep.counts.items()))
    report.add("robust", file.stem, "ok", time.perf_counter() - t, f"{samples} samples: {counts}")
    say(f"robustness study ({samples} samples, {counts}): {out}")
    return out
