"""Where a sweep's overhead goes, per sweep and per run, under two definitions of "a run".

Used by :mod:`benchmarks.sweep_benchmark` (one measurement = one row). All figures are CPU
seconds, which other load on the machine moves much less than wall time.

What "a run" is:

- **A** (runner): the time inside the runner: solve baseline and optimized, write the result
  directory, score (``runner_cpu_seconds``). Reading the variant (base file + overrides)
  and validating it count as the sweep's overhead.
- **B** (runner + load): A plus loading and validating the variant (``apply_overrides``),
  which ``symbio run`` of that variant does too. The load's CPU per run is measured apart
  (this module run as a script: the sweep's variants loaded one after the other in one process, the
  base already read, as in a pool worker; median), because the index has no column for it.

Where the overhead goes (the row's ``parts``, CPU s per sweep):

- ``parent import``: ``from symbio.sweep import run_sweep`` in the sweep's process;
- ``parent plan`` / ``parent summary imports`` / ``parent execute`` / ``parent summary``:
  that process's CPU in each phase of ``run_sweep`` (``SweepReport.phases_cpu``): reading
  and planning; matplotlib's imports; handing runs out and writing each run's files, record
  and the index; the summary tables and this process's share of the figures;
- ``in runs``: inside ``run_one`` but outside the runner (Σ ``cpu_seconds`` −
  Σ ``runner_cpu_seconds``): loading and validating the variant (``of which load`` = runs ×
  the load's median), the temporary directory, collecting the files, garbage collection;
- ``other processes``: everything else in the process tree: the fork server (imports,
  reading the base once), each worker's start, hand-over and exit, the summary's forked
  figure drawer.

Marginal overhead per run (what one more run adds): the median in-run overhead of a run
plus the parent's execute CPU per run. A worker replacement (every 100 runs) is counted in
the fixed part here. Fixed overhead per sweep: the total overhead minus runs × the marginal
one. Overhead per run at N runs: marginal + fixed / N, shown for this sweep's size and for
100 and 1000 runs, each as a share of a run (A and B).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

#: Sweep sizes the overhead per run is projected to.
SIZES = (100, 1000)


def load_cpu(sweep: Path, runs: int = 11) -> float:
    """Median CPU of loading and validating one of the sweep's variants, the base already
    read (the first variant is left out: it reads the base)."""
    from symbio.flows.overrides import apply_overrides
    from symbio.sweep.plan import make_plan
    from symbio.sweep.spec import load_sweep

    spec, base = load_sweep(sweep)
    plan = make_plan(spec, base, str(sweep))
    times = []
    for spec_ in plan.runs[:runs]:
        t = time.process_time()
        apply_overrides(spec_.base, spec_.overrides)
        times.append(time.process_time() - t)
    return statistics.median(times[1:] or times)


def parts(row: dict) -> dict[str, float]:
    """CPU seconds of the sweep's overhead by where it is spent (see the module's text)."""
    cpu = row.get("phases_cpu_s") or {}
    runs_in = row["run_one_cpu_s_sum"] - row["runner_cpu_s_sum"]
    parent = row.get("import_cpu_s", 0.0) + sum(cpu.values())
    out = {
        "parent import": row.get("import_cpu_s", 0.0),
        "parent plan": cpu.get("plan", 0.0),
        "parent summary imports": cpu.get("summary_imports", 0.0),
        "parent execute": cpu.get("execute", 0.0),
        "parent summary": cpu.get("summary", 0.0),
        "in runs": runs_in,
        "of which load": row["runs"] * row.get("load_cpu_s", 0.0),
        "other processes": row["tree_cpu_s"] - parent - row["run_one_cpu_s_sum"],
    }
    out["total"] = row["tree_cpu_s"] - row["runner_cpu_s_sum"]
    return out


def derive_overhead(row: dict) -> dict:
    """Marginal and fixed overhead (A and B) and the overhead per run at other sizes."""
    load = row.get("load_cpu_s", 0.0)
    run_a = row["runner_cpu_s_median"]
    where = parts(row)
    marginal = row.get("in_run_cpu_s_median", 0.0) + where["parent execute"] / row["runs"]
    fixed = where["total"] - marginal * row["runs"]
    out = {"parts_cpu_s": where, "marginal_cpu_per_run_s": marginal, "fixed_cpu_s": fixed}
    for name, own, extra in (("A", run_a, 0.0), ("B", run_a + load, load)):
        out[f"marginal_share_{name}"] = (marginal - extra) / own
        for n in (row["runs"], *SIZES):
            out[f"share_{name}_at_{n}"] = (marginal - extra + fixed / n) / own
    return out


def markdown(rows: list[dict], modes: list[str]) -> list[str]:
    """Tables: the overhead's parts per mode, and its share of a run by definition and size."""

    def med(mode: str, get: object) -> float:
        return statistics.median(get(r) for r in rows if r["mode"] == mode)  # type: ignore[operator]

    names = list(rows[0]["parts_cpu_s"])
    lines = [
        "## Where the overhead goes (CPU s per sweep, medians)",
        "",
        "| mode | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for mode in modes:
        cells = [f"{med(mode, lambda r, n=n: r['parts_cpu_s'][n]):.2f}" for n in names]
        lines.append(f"| {mode} | " + " | ".join(cells) + " |")
    runs = rows[0]["runs"]
    sizes = (runs, *[n for n in SIZES if n != runs])
    head = " | ".join(f"{d} at {n} runs" for d in ("A", "B") for n in sizes)
    lines += [
        "",
        "## Overhead per run as a share of a run (CPU, medians)",
        "",
        "A: a run is the runner; B: the runner plus loading and validating the variant "
        "(load CPU per run in the last column). At N runs: marginal + fixed / N.",
        "",
        f"| mode | run CPU s (A) | marginal s/run | fixed s | marginal A | marginal B | {head} "
        "| load s/run |",
        "|---|" + "---:|" * (6 + 2 * len(sizes)),
    ]
    for mode in modes:
        shares = [
            f"{med(mode, lambda r, k=f'share_{d}_at_{n}': r[k]):.1%}" for d in "AB" for n in sizes
        ]
        lines.append(
            f"| {mode} | {med(mode, lambda r: r['runner_cpu_s_median']):.3f} | "
            f"{med(mode, lambda r: r['marginal_cpu_per_run_s']):.3f} | "
            f"{med(mode, lambda r: r['fixed_cpu_s']):.2f} | "
            f"{med(mode, lambda r: r['marginal_share_A']):.1%} | "
            f"{med(mode, lambda r: r['marginal_share_B']):.1%} | " + " | ".join(shares) + " | "
            f"{med(mode, lambda r: r.get('load_cpu_s', 0.0)):.3f} |"
        )
    return [*lines, ""]


if __name__ == "__main__":  # SWEEP: print the load CPU per run (run with a checkout's PYTHONPATH)
    print(load_cpu(Path(sys.argv[1])))  # noqa: T201
