"""The main job: optimize, score, compare and brief the bundled SCIP scenarios.

``symbio pilot --out out/scip`` runs, in order:

1. validate every scenario in ``scenarios/scip/`` (all problems reported together);
2. solve each (baseline and optimized) into ``OUT/runs/<scenario>/`` and score it into
   ``OUT/runs/<scenario>/scores/`` (the main scenario in this process; the others, and
   step 4, in worker processes meanwhile: :mod:`symbio.pilot.elsewhere`);
3. compare them (``OUT/compare/``);
4. trace the cost–CO2 Pareto front of the main scenario (``OUT/pareto/``) and analyse its
   measures — MAC curve and co-control (``OUT/measures/``);
5. sample the main scenario's ranged estimates and solve every sample (``OUT/robust/``,
   ``symbio robust``): intervals, build probabilities, sensitivity, regret of the plan;
6. split the main scenario's savings between its enterprises: accounts, settlement,
   coalition values, Shapley value / nucleolus and the core (``OUT/allocation/``);
7. write the committee briefing in Chinese and English (``OUT/briefing-zh.html``,
   ``OUT/briefing-en.html``), with the "who gains, who pays" section, and its figures as
   PNG files per language (``OUT/figures/zh/``, ``OUT/figures/en/``; each drawn once). The
   figures that need neither the robustness study nor the allocation are drawn by a forked
   child from the end of step 4 on, while 5 and 6 run (:mod:`symbio.pilot.early`).

Each step is the same library call the single-purpose commands make. A scenario that turns
out infeasible is recorded with its diagnosis and left out of the later steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from symbio.errors import ScenarioError, SymbioError
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
    # Long: the job's steps in their order (the briefing's figures drawn while the last two
    # studies run), after the parameters' documentation.
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
    from symbio.pilot import studies as st
    from symbio.pilot.elsewhere import Elsewhere
    from symbio.pilot.runs import run_step

    out = Path(out)
    folder = Path(scenarios) if scenarios else scenarios_dir() / "scip"
    if robust_samples > 0 or allocation:
        _start_workers()  # their imports overlap the validation
    report = PilotReport()
    loaded = _validate(folder, report)
    claim_dir(out, kind="pilot", inputs=[folder], force=force)  # only once the input is valid
    say(f"validated {len(loaded)} scenarios in {folder}")

    scoring = scip_scoring_inputs() if scenarios is None else {}
    runs = _Runs()
    studies = {"pareto": None, "macc": None, "cocontrol": None, "allocation": None, "robust": None}
    steps = _steps_elsewhere(loaded, main, out, scoring, pareto_points, measures, time_limit)
    background = early = elsewhere = None
    try:
        elsewhere = Elsewhere(steps)  # done in worker processes while this one solves the main
        point = None
        if main in loaded:
            point = runs.keep(run_step(main, loaded[main], out, scoring, time_limit, report, say))
        if point is not None and robust_samples > 0:
            background = st.start_robust(folder / f"{main}.yaml", out / "robust", robust_samples,
                                         time_limit, point, report, say)  # fmt: skip
        for name, done in elsewhere.take():  # each as soon as it and those before are done
            if name in _STUDIES and point is None:
                continue  # the main scenario is infeasible: its studies are left out
            report.steps += done.rows
            for line in done.said:
                say(line)
            if name in _STUDIES:
                studies.update(zip(_STUDIES[name], _values(done.value), strict=True))
            else:
                runs.keep(done.value)
        run_dirs = {s: runs.dirs[s] for s in loaded if s in runs.dirs}
        _compare(run_dirs, out, scoring, runs.scores, runs.results, report, say)
        runs.results.clear()  # the runs kept for compare are let go after it
        early = _begin_briefings(run_dirs, langs, studies, loaded)  # drawn while these run:
        if main in run_dirs and allocation:
            studies["allocation"] = st.allocation_step(
                loaded[main], out / "allocation", time_limit, report, say
            )
        if background is not None:
            studies["robust"] = st.finish_robust(background, report, say)
        _briefings(run_dirs, out, langs, studies, report, say, early)
    finally:
        if elsewhere is not None:
            elsewhere.close()  # the job failed first: stop the workers
        if early is not None:
            early.close()  # the job failed first: stop drawing
    return report


#: The main scenario's studies done elsewhere: the names of their outputs.
_STUDIES = {"pareto": ("pareto",), "measures": ("macc", "cocontrol")}


def _values(value: object) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _steps_elsewhere(loaded, main, out, scoring, points, measures, time_limit):  # noqa: ANN001, ANN202, PLR0913
    """The steps that need nothing from the main scenario's result: its Pareto front and
    measures (first: they take longest) and the other scenarios' runs, by name."""
    from symbio.pilot import studies as st
    from symbio.pilot.runs import run_step

    steps = {}
    if main in loaded:
        scenario = loaded[main]
        steps["pareto"] = (st.pareto_step, (scenario, out / "pareto", points, time_limit))
        if measures:
            steps["measures"] = (st.measures_step, (scenario, out / "measures", time_limit))
    for stem in loaded:
        if stem != main:
            steps[f"run {stem}"] = (run_step, (stem, loaded[stem], out, scoring, time_limit))
    return steps


class _Runs:
    """The directories, scores and results of the job's runs (compare reuses them)."""

    def __init__(self) -> None:
        self.dirs: dict[str, Path] = {}
        self.scores: dict[Path, object] = {}
        self.results: dict[Path, object] = {}

    def keep(self, record: object) -> object:
        """Keep a run's outputs; its result, or None if it was infeasible."""
        if record.status == "infeasible":
            return None
        self.dirs[record.stem] = record.target
        self.scores[record.target] = record.scores
        self.results[record.target] = record.result
        return record.result


def _start_workers() -> None:
    """Start the worker processes' preloaded fork server (the robustness study, the
    allocation)."""
    from symbio.sweep.pool import start_pool_server

    start_pool_server()


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


def _compare(run_dirs, out, scoring, scores, results, report, say):  # noqa: ANN001, ANN202, PLR0913
    from symbio.pathways.compare import compare, write_compare

    t = time.perf_counter()
    table, entries = compare(
        list(run_dirs.values()), out / "compare", score_kwargs=scoring, scored=scores,
        results=results,
    )  # fmt: skip
    report.files.update(
        {f"compare_{k}": v for k, v in write_compare(table, entries, out / "compare").items()}
    )
    report.add("compare", ",".join(run_dirs), "ok", time.perf_counter() - t)
    say(f"compared {len(run_dirs)} scenarios")


def _begin_briefings(run_dirs, langs, studies, loaded):  # noqa: ANN001, ANN202
    """Read the briefing and start drawing its figures that wait for no later study
    (:mod:`symbio.pilot.early`); None without languages."""
    from symbio.pilot.early import begin_briefing

    if not langs:
        return None
    solved = {run_dirs[s]: loaded[s] for s in run_dirs if s in loaded}
    dirs = [run_dirs[s] for s in BRIEFING_ORDER if s in run_dirs]
    return begin_briefing(dirs, studies, langs, solved)


def _briefings(run_dirs, out, langs, studies, report, say, early):  # noqa: ANN001, ANN202
    """The briefing per language; it compares a few telling variants (OUT/compare/ has all).

    The results were read once, early, with the scenarios solved still in memory, and most
    figures drawn while the later studies ran (``early``, :mod:`symbio.pilot.early`); the
    languages are written at the same time where 2+ cores."""
    from symbio.pilot.early import write_briefings

    if not langs:
        return
    targets = {lang: (out / f"briefing-{lang}.html", out / "figures" / lang) for lang in langs}
    done = write_briefings(early, targets, studies["robust"], studies["allocation"])
    if early.drawing is not None:
        seconds = early.read_seconds + early.drawing.seconds
        report.add("figures", "drawn early", "ok", seconds, "results read, figures drawn")
    for lang, (path, seconds) in done.items():
        report.files[f"briefing_{lang}"] = path
        report.add("briefing", lang, "ok", early.finish_seconds + seconds)
        say(f"briefing ({lang}): {path}")
