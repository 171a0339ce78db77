"""The main job's studies of the main scenario: Pareto front, measures, allocation, robustness.

Each is the library call its single-purpose command makes, recorded as a step of the
:class:`~symbio.pilot.PilotReport`; a study that fails is recorded with its reason and the
job goes on. The robustness study's samples run in worker processes while this process
does the other work (:func:`start_robust`, :func:`finish_robust`).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from symbio.errors import SymbioError


def solver_options(scenario: object, time_limit: float | None) -> object:
    """The scenario's solver settings, with the job's time limit per solve."""
    from symbio.solvers.options import SolverOptions

    return SolverOptions.from_settings(scenario.solver, time_limit=time_limit)  # type: ignore[attr-defined]


def pareto_step(scenario, out, points, time_limit, report, say):  # noqa: ANN001, ANN201
    """The cost–CO2 Pareto front of ``scenario`` into ``out``; its points file or None."""
    from symbio.pathways.modes import pareto_front
    from symbio.pathways.output import write_pareto
    from symbio.solvers.session import open_session

    t = time.perf_counter()
    try:
        session = open_session(
            scenario, criteria=["cost", "co2"], solver_options=solver_options(scenario, time_limit)
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


def measures_step(scenario, out, time_limit, report, say):  # noqa: ANN001, ANN201
    """The MAC curve and co-control of ``scenario``'s measures; their files or (None, None)."""
    from symbio.pathways.equivalents import load_equivalents
    from symbio.pathways.measures import analyse_measures
    from symbio.pathways.output import write_measures

    t = time.perf_counter()
    try:
        analysis = analyse_measures(
            scenario,
            solver_options=solver_options(scenario, time_limit),
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


def allocation_step(scenario, out, time_limit, report, say):  # noqa: ANN001, ANN201
    """Who gains, who pays: ``symbio allocate`` of ``scenario`` into ``out``; ``out`` or None."""
    from symbio.allocation import allocate, write_allocation

    t = time.perf_counter()
    try:
        result = allocate(scenario, options=solver_options(scenario, time_limit))
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


class BackgroundStudy:
    """A robustness study whose samples run in a thread (and its worker processes)."""

    def __init__(self, study: object) -> None:
        self.study = study
        self.sweep: object | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="symbio-robust", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from symbio.sweep.robust import sample_study

        try:
            self.sweep = sample_study(self.study, progress=False)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001  (raised again in the main thread)
            self.error = exc


def start_robust(file, out, samples, time_limit, point, report, say):  # noqa: ANN001, ANN201
    """Plan the robustness study of ``file`` on its solved ``point`` and start its samples.

    Returns a :class:`BackgroundStudy` for :func:`finish_robust`, or None when the study is
    skipped (no ranged estimate) or cannot be planned (recorded as failed).
    """
    from symbio.flows.provenance import uncertain_numbers
    from symbio.sweep.robust import plan_study

    t = time.perf_counter()
    if not uncertain_numbers(point.scenario):
        report.add("robust", file.stem, "skipped", 0.0, "no estimate with a range")
        say(f"robust: skipped, {file.stem} has no estimate with a range")
        return None
    try:
        study = plan_study(file, out, samples=samples, time_limit=time_limit, point=point)
    except SymbioError as exc:
        report.add("robust", file.stem, "failed", time.perf_counter() - t, str(exc).splitlines()[0])
        say(f"robust: failed — {exc}")
        return None
    say(f"robustness study: {samples} samples started")
    return BackgroundStudy(study)


def finish_robust(background, report, say):  # noqa: ANN001, ANN201
    """Wait for the samples of a started study; write its tables and figures; its directory."""
    from symbio.sweep.robust import finish_study

    background.thread.join()
    file = Path(background.study.settings["scenario"])
    try:
        if background.error is not None:
            raise background.error
        study = finish_study(background.study, background.sweep)
    except SymbioError as exc:
        seconds = time.perf_counter() - background.study.started
        report.add("robust", file.stem, "failed", seconds, str(exc).splitlines()[0])
        say(f"robust: failed — {exc}")
        return None
    counts = ", ".join(f"{n} {s}" for s, n in sorted(study.sweep.counts.items()))
    samples = background.study.settings["samples"]
    seconds = time.perf_counter() - background.study.started
    report.add("robust", file.stem, "ok", seconds, f"{samples} samples: {counts}")
    say(f"robustness study ({samples} samples, {counts}): {study.out}")
    return study.out
