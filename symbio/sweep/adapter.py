"""The only module of symbio.sweep that calls the optimizer and the scoring API.

One run directory is a ``symbio run`` result directory (``summary.json``, ``kpis.csv``,
the tables, ``scenario.resolved.yaml``) with the scores in ``scores/``, so every other
command (``symbio score``, ``symbio report``) reads it as it is.
"""

from __future__ import annotations

import functools
import inspect
import math
from pathlib import Path

import pandas as pd

from symbio.errors import InfeasibleError, SolverError, SymbioError
from symbio.flows.graph import build_graph
from symbio.flows.schema import Scenario
from symbio.result_tables import built_ids
from symbio.sweep.runspec import RESULT_FILES, RunOptions


def solve_and_score(scenario: Scenario, options: RunOptions, out: Path) -> dict:
    """Solve baseline and optimized, write the result (and scores) under ``out``.

    Returns the :class:`~symbio.sweep.runspec.RunRecord` fields: objectives, solver
    status and gap, park KPIs, candidates and measures built, grade, score and rating,
    and the result's notes as the message. Without scoring, the result directory's files
    are returned under :data:`~symbio.sweep.runspec.RESULT_FILES` instead of written.

    Raises
    ------
    symbio.errors.InfeasibleError
        The optimized case is infeasible (the sweep records the diagnosis).
    symbio.errors.SolverError
        The solver failed or found no solution within its limits.
    """
    from symbio.run import prepare, run_steps
    from symbio.run.record import assemble

    graph = build_graph(scenario)
    state = prepare(graph, options.objective, time_limit=options.time_limit_s)
    run_steps(state)
    result = assemble(state)
    if options.score:
        result.write(out)  # scoring reads the result directory
        return _fields(graph, state, result, options, out)
    files = result.directory_files()  # handed to the sweep's writer, not written and read back
    try:
        fields = _fields(graph, state, result, options, out)
    except BaseException:  # a run failing later returns its result files, as when written
        result.write(out)
        raise
    return {**fields, RESULT_FILES: files}


def _fields(graph: object, state: object, result: object, options: RunOptions, out: Path) -> dict:
    """The record fields of a solved run (see :func:`solve_and_score`); scores it if asked."""
    optimized = result.outcomes["optimized"]
    objective = result.provenance.get("objective", {})
    builds = built_ids(result.tables)  # from the columns, without building the frame
    if builds is None:
        builds = built_candidates(result.tables.get("builds"))
    fields = {
        "objective_baseline": _number(objective.get("baseline_value")),
        "objective_optimized": _number(objective.get("value")),
        "solver_status": str(optimized.status),
        "gap": _number(optimized.gap),
        "kpis": park_kpis(result.kpis),
        "builds": builds,
        "measures": built_measures(graph, builds),
        "message": "\n".join(result.provenance.get("notes", [])),
        **audit_fields(result.provenance.get("audit")),
    }
    failed = fields.pop("audit_failed", None)
    if failed:
        fields["message"] = "\n".join(
            filter(None, [fields["message"], "audit failed: " + "; ".join(failed)])
        )
    if options.plan_builds is not None:
        fields["kpis"].update(plan_kpis(state, options, fields))
    if options.score:
        try:
            fields.update(score(out))
        except SymbioError as exc:  # the solve stands; say why there is no grade
            fields["message"] = "\n".join(filter(None, [fields["message"], f"not scored: {exc}"]))
    return fields


def plan_kpis(state: object, options: RunOptions, fields: dict) -> dict[str, float]:
    """Operate the fixed plan ``options.plan_builds`` (build decisions fixed, operation free)
    on the run's own model and solver (:func:`symbio.run.plan.operate_plan`).

    Returns its park KPIs as ``{<kpi>.plan: value}``; when the plan cannot be operated
    (infeasible, solver failure) returns nothing and says why in ``fields["message"]``.
    """
    from symbio.run.plan import operate_plan

    try:
        park = operate_plan(state, frozenset(options.plan_builds or ()))  # type: ignore[arg-type]
    except (InfeasibleError, SolverError) as exc:
        why = str(exc).splitlines()[0]
        fields["message"] = "\n".join(filter(None, [fields["message"], f"plan: {why}"]))
        return {}
    return {f"{k}.plan": x for k, v in park.items() if (x := _number(v)) is not None}


def audit_fields(audit: dict | None) -> dict:
    """``audit`` verdict of a run for the index; a failure's checks go into the message."""
    if not audit:
        return {}
    if audit.get("passed", True):
        return {"audit": "passed"}
    return {"audit": "failed", "audit_failed": audit.get("failed", [])}


def score(result_dir: Path) -> dict:
    """Score a result directory (as ``symbio score``); write ``scores/``; return the grades."""
    from symbio.scoring import score_result, write_scores

    scores = score_result(result_dir, **scoring_inputs())
    write_scores(scores, result_dir / "scores")
    park = scores.grade("park", "optimized")
    return {
        "grade": park.get("grade_max_membership"),
        "score": _number(park.get("score")),
        "rating": park.get("composite_rating") or None,
    }


@functools.cache
def scoring_inputs() -> dict:
    """The bundled indicator library and AHP weights, read once per worker process.

    Parsing their YAML takes most of a scoring call; the options are those that
    ``score_result`` uses by default, so the scores are the ones ``symbio score`` gives.
    """
    from symbio.scoring import default_paths, score_result
    from symbio.scoring.indicator_files import load_library
    from symbio.scoring.weightset import load_weights

    defaults = {k: p.default for k, p in inspect.signature(score_result).parameters.items()}
    paths = default_paths()
    weights = load_weights(
        paths["weights"],
        method=defaults["weight_method"],
        aggregation=defaults["aggregation"],
        ri_table=defaults["ri_table"],
        incomplete=defaults["incomplete"],
        repair=defaults["repair"],
    )
    return {"indicators": load_library(paths["indicators"]), "weights": weights}


def park_kpis(kpis: pd.DataFrame) -> dict[str, float]:
    """``{kpi: optimized value}`` plus ``{kpi.baseline: baseline value}``, numbers only."""
    out: dict[str, float] = {}
    cols = (kpis[c].tolist() for c in ("kpi", "optimized", "baseline"))
    for kpi, optimized, baseline in zip(*cols, strict=True):
        for value, key in ((optimized, kpi), (baseline, f"{kpi}.baseline")):
            x = _number(value)
            if x is not None:
                out[key] = x
    return out


def built_candidates(builds: pd.DataFrame | None) -> list[str]:
    """Ids of the candidate links and processes built in the optimized case, sorted."""
    if builds is None or builds.empty:
        return []
    rows = builds[(builds["case"] == "optimized") & builds["candidate"] & builds["built"]]
    return sorted(rows["id"].astype(str))


def built_measures(graph: object, builds: list[str]) -> list[str]:
    """Measures with at least one member built, sorted."""
    built = set(builds)
    scenario = graph.scenario
    out = []
    for measure in scenario.measures:
        members = {c for m in measure.members for c in graph.members(m)}
        if members & built:
            out.append(measure.id)
    return sorted(out)


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
