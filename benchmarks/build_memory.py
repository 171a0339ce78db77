"""Build time, peak memory and the hand-over / ``passModel`` ratio of one synthetic park.

One measurement per process (run it under ``farm-bench`` for interleaved A/B medians):

    python -m benchmarks.build_memory 5000            # phases, peak RSS, hand-over ratio
    python -m benchmarks.build_memory 5000 --build    # stop after the model build
    python -m benchmarks.build_memory 1000 --profile  # cProfile of the build, top 30

Phases (wall and CPU seconds): ``generate`` (``benchmarks.parks``), ``graph``, ``index``
(sets and derived bounds), ``build`` (the Pyomo model from the index), ``handover``
(:class:`~symbio.solvers.highs.PersistentHighs`: compile + ``passModel``, the first of the
process; ``handover_again``: a second one of the same model; ``handover_rejoin``: one with
every join kept on the model dropped first, what a hand-over after a change of the rows
pays, where the checkout keeps joins) and ``passmodel``
(the raw ``Highs.passModel`` of the very same ``HighsLp``, read back from the instance,
into a fresh instance; best of three). ``ratio`` = handover / passmodel, CPU seconds.
Peak RSS is ``ru_maxrss`` of this process: the build figure is taken before the hand-over.
Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, rec: dict, key: str) -> None:
        rec[f"{key}_s"] = round(time.perf_counter() - self.wall, 4)
        rec[f"{key}_cpu"] = round(time.process_time() - self.cpu, 4)
        self.wall, self.cpu = time.perf_counter(), time.process_time()


def _build(n: int, rec: dict) -> object:
    import symbio
    from benchmarks.parks import generate_park
    from symbio.model import build_model
    from symbio.model.index import build_index

    clock = _Clock()
    scenario = generate_park(n, 0)
    clock.lap(rec, "generate")
    graph = symbio.build_graph(scenario)
    clock.lap(rec, "graph")
    ix = build_index(graph)
    clock.lap(rec, "index")
    m = build_model(ix)
    clock.lap(rec, "build")
    rec["index_build_cpu"] = round(rec["index_cpu"] + rec["build_cpu"], 4)
    rec["peak_rss_build_mb"] = round(_peak_mb(), 1)
    return m


def _handover(m: object, rec: dict) -> None:
    import highspy

    from symbio.solvers.highs import PersistentHighs

    clock = _Clock()
    solver = PersistentHighs(m)
    clock.lap(rec, "handover")
    PersistentHighs(m)  # a second hand-over of the same model (what a second run pays)
    clock.lap(rec, "handover_again")
    try:
        from symbio.model.record_join import forget_joins
    except ImportError:  # a checkout without kept joins
        forget_joins = None
    if forget_joins is not None:
        forget_joins(m)
        clock = _Clock()
        PersistentHighs(m)  # nothing kept: what a hand-over after a change of the rows pays
        clock.lap(rec, "handover_rejoin")
    lp = solver.h.getLp()
    rec["cols"], rec["rows"], rec["nnz"] = lp.num_col_, lp.num_row_, len(lp.a_matrix_.value_)
    best = None
    for _ in range(3):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        w, c = time.perf_counter(), time.process_time()
        h.passModel(lp)
        lap = (time.perf_counter() - w, time.process_time() - c)
        best = lap if best is None or lap[1] < best[1] else best
    rec["passmodel_s"], rec["passmodel_cpu"] = round(best[0], 4), round(best[1], 4)
    rec["ratio_cpu"] = round(rec["handover_cpu"] / best[1], 2)
    rec["ratio_wall"] = round(rec["handover_s"] / best[0], 2)
    rec["peak_rss_mb"] = round(_peak_mb(), 1)


def main(argv: list[str]) -> None:
    """Measure one N (see the module docstring)."""
    n = int(argv[0]) if argv else 1000
    rec: dict = {"n": n, "loadavg": os.getloadavg()[0]}
    if "--profile" in argv:
        import cProfile
        import pstats

        import benchmarks.parks  # noqa: F401 - imports outside the profile
        import symbio.model  # noqa: F401
        import symbio.solvers.highs  # noqa: F401

        prof = cProfile.Profile()
        prof.enable()
        _build(n, rec)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    m = _build(n, rec)
    if "--build" not in argv:
        _handover(m, rec)
    print(json.dumps(rec))  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
