"""Sweep overhead per run and the speed-up of 2 pool workers over 1, as interleaved ratios.

Runs one sweep (default: the SCIP 2025 Monte Carlo,
``scenarios/examples/sweeps/scip-2025-monte-carlo.yaml``, cut to ``--runs`` runs) once per
mode and repeat, modes interleaved (A B C A B C ...), each in a fresh Python process, checks
that every mode gives the same index, and writes ``benchmarks/results/sweep-<date>-<tag>.json``
and ``.md``::

    python -m benchmarks.sweep_benchmark                             # pool-1, pool-2; 3 repeats
    python -m benchmarks.sweep_benchmark --modes serial,pool-1,pool-2 --runs 40 --repeat 3
    python -m benchmarks.sweep_benchmark --modes pool-2,pool-2-fresh  # what a process per run costs

Modes: ``serial`` (every run in the measuring process), ``pool-N`` (``symbio sweep``'s
default local process pool with N workers), ``pool-N-fresh`` (the same, a new worker process
for every run: ``--tasks-per-worker 1``), ``dask-N`` (a ``dask.distributed.LocalCluster`` of
N single-threaded worker processes, its start-up timed apart).

What a run costs by itself ("a SCIP run") is the time inside the runner: solve baseline and
optimized, write the result directory, score (``runner_seconds`` / ``runner_cpu_seconds`` of
the index; code from before those columns falls back to ``seconds`` / ``cpu_seconds``, which
also hold the overrides and the clean-up). The sweep's overhead per run is everything else:

- wall: ``(wall × processes − Σ runner seconds) / runs`` — the worker-seconds per run not spent
  in a runner: planning, process start-up and imports, hand-over, the parent's writes, the
  summary, workers idle at the end. ``wall`` is ``run_sweep`` from reading the sweep file to
  the written summary. Other load on the machine inflates it (waiting for a core).
- CPU: ``(CPU of every process of the sweep − Σ runner CPU) / runs``, the processes being the
  measuring process (from ``run_sweep``'s start), the fork server and every worker (this
  process adopts them as a Linux child sub-reaper, so their CPU is counted when they end).
  Other load moves it less than the wall time (but it does: shared caches and cores).
- Sweep CPU per run: the CPU of every process of the sweep / runs, overhead and runs
  together. It does not depend on where a run's own time ends, so it is the figure to
  compare code versions by.

Each is given as a share of the median run's own time in the same measurement. Speed-up is
``wall(pool-1) / wall(pool-2)`` of the same repeat (pairs measured one after the other), the
median over the repeats. With ``--code before=DIR --code after=DIR`` the modes run the symbio
of each checkout, interleaved, and ``before:pool-2 / after:pool-2`` is the paired ratio of
the two code versions. Every row carries the 1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SWEEP = ROOT / "scenarios" / "examples" / "sweeps" / "scip-2025-monte-carlo.yaml"
RESULTS = ROOT / "benchmarks" / "results"


def sweep_kwargs(mode: str) -> tuple[dict, int]:
    """``run_sweep`` keyword arguments of a mode and its number of worker processes."""
    mode = mode.rpartition(":")[2]  # without the code version's name
    if mode == "serial":
        return {"executor": "serial"}, 1
    kind, _, rest = mode.partition("-")
    workers_text, _, variant = rest.partition("-")
    workers = int(workers_text)
    if kind == "pool":
        return {"workers": workers, "tasks_per_worker": 1 if variant == "fresh" else None}, workers
    if kind == "dask":
        return {}, workers
    raise SystemExit(f"unknown mode {mode!r}")


def measure(mode: str, sweep: Path, out: Path) -> dict:
    """Run the sweep once in this process with one executor; return the measurements."""
    before_import = _cpu(resource.RUSAGE_SELF)
    from symbio.sweep import run_sweep

    import_cpu = _cpu(resource.RUSAGE_SELF) - before_import

    kwargs, processes = sweep_kwargs(mode)
    extra: dict = {}
    cluster = None
    if mode.startswith("dask"):
        from distributed import LocalCluster

        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=processes, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        extra["cluster_start_s"] = time.perf_counter() - t0
        kwargs["scheduler"] = cluster.scheduler_address
    load_before = os.getloadavg()[0]
    cpu_before = _cpu(resource.RUSAGE_SELF)
    try:
        report = run_sweep(sweep, out, progress=False, **kwargs)
    finally:
        if cluster is not None:
            cluster.close()
    index = report.index
    return {
        "mode": mode,
        "processes": processes,
        "runs": report.total,
        "status": report.counts,
        "wall_s": report.seconds,
        "phases_s": report.phases,
        "phases_cpu_s": getattr(report, "phases_cpu", {}),
        "import_cpu_s": import_cpu,
        "cpu_self_s": _cpu(resource.RUSAGE_SELF) - cpu_before,
        **run_times(index),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        **extra,
    }


def run_times(index: pd.DataFrame) -> dict:
    """Sum and median of the runner's wall and CPU time (and of the whole ``run_one``)."""
    new = "runner_seconds" in index and bool(index["runner_seconds"].notna().any())
    wall = pd.to_numeric(index["runner_seconds" if new else "seconds"], errors="coerce").dropna()
    cpu = pd.to_numeric(index["runner_cpu_seconds" if new else "cpu_seconds"], errors="coerce")
    cpu = cpu.dropna()
    whole = pd.to_numeric(index["seconds"], errors="coerce").dropna()
    whole_cpu = pd.to_numeric(index["cpu_seconds"], errors="coerce").dropna()
    return {
        "runner_columns": new,
        "runner_s_sum": float(wall.sum()),
        "runner_s_median": float(wall.median()),
        "runner_cpu_s_sum": float(cpu.sum()),
        "runner_cpu_s_median": float(cpu.median()),
        "run_one_s_sum": float(whole.sum()),
        "run_one_cpu_s_sum": float(whole_cpu.sum()),
        "in_run_cpu_s_median": float((whole_cpu - cpu).median()) if new else 0.0,
    }


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def derive(row: dict) -> dict:
    """Overheads per run (wall and CPU) and their share of a run's own time."""
    # here, not at the top: a measurement's process runs this file with an older checkout's
    # ``benchmarks`` package on its path
    from benchmarks.sweep_overhead import derive_overhead

    runs = row["runs"]
    wall = (row["wall_s"] * row["processes"] - row["runner_s_sum"]) / runs
    cpu = (row["tree_cpu_s"] - row["runner_cpu_s_sum"]) / runs
    return {
        "overhead_wall_per_run_s": wall,
        "overhead_wall_share": wall / row["runner_s_median"],
        "overhead_cpu_per_run_s": cpu,
        "overhead_cpu_share": cpu / row["runner_cpu_s_median"],
        "sweep_cpu_per_run_s": row["tree_cpu_s"] / runs,
        **derive_overhead(row),
    }


def load_of(sweep: Path, code: Path) -> float:
    """CPU of loading and validating one variant with the symbio of ``code``
    (:func:`benchmarks.sweep_overhead.load_cpu`, in a fresh process)."""
    script = Path(__file__).with_name("sweep_overhead.py")
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, str(script), str(sweep)],
        cwd=code, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def child(mode: str, sweep: Path, out: Path, work: Path, code: Path) -> dict:
    """One measurement in a fresh process running the symbio of ``code``, with the CPU of
    every process it started."""
    before = _cpu(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    cmd += ["--sweep", str(sweep), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run(cmd, cwd=code, env=env, check=True)
    from benchmarks.tree_cpu import reap  # not at the top: see derive()

    reap()
    row = json.loads((work / f"{out.name}.json").read_text(encoding="utf-8"))
    startup = row.pop("cpu_before_sweep_s")
    row["tree_cpu_s"] = _cpu(resource.RUSAGE_CHILDREN) - before - startup
    return row


def cut_sweep(sweep: Path, runs: int | None, work: Path, code: Path) -> Path:
    """The sweep file cut to ``runs`` runs, its base scenario taken from checkout ``code``.

    Each code version reads its own copy of the scenario files (a newer scenario may hold
    fields an older loader refuses); the benchmark checks that the indexes agree.
    """
    import yaml

    data = yaml.safe_load(sweep.read_text(encoding="utf-8"))
    base = (sweep.parent / data["base"]).resolve()
    data["base"] = str(code / base.relative_to(ROOT)) if base.is_relative_to(ROOT) else str(base)
    if runs:
        data["runs"] = runs
    folder = work / f"sweep-{code.name}-{abs(hash(code))}"
    folder.mkdir(exist_ok=True)
    path = folder / sweep.name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def compare(indexes: dict[str, pd.DataFrame]) -> dict[str, bool]:
    """Whether each measurement's index equals the first one's (timing columns left out)."""
    from symbio.sweep import TIMING_COLUMNS

    def stable(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns=[c for c in TIMING_COLUMNS if c in frame])

    names = list(indexes)
    ref = stable(indexes[names[0]])
    out = {}
    for name in names:
        try:
            pd.testing.assert_frame_equal(ref, stable(indexes[name]), check_exact=False, rtol=1e-9)
            out[name] = True
        except AssertionError:
            out[name] = False
    return out


def speedups(rows: list[dict], slow: str, fast: str, key: str = "wall_s") -> list[float]:
    """``wall(slow) / wall(fast)`` (or another ``key``) of each repeat that measured both."""
    walls = {(r["mode"], r["repeat"]): r[key] for r in rows}
    repeats = sorted({r["repeat"] for r in rows})
    return [
        walls[(slow, k)] / walls[(fast, k)]
        for k in repeats
        if (slow, k) in walls and (fast, k) in walls
    ]


def markdown(doc: dict) -> str:
    """The results as a Markdown page: medians per mode, speed-ups, every measurement."""
    rows = doc["modes"]
    modes = list(dict.fromkeys(r["mode"] for r in rows))

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in rows if r["mode"] == mode)

    lines = [
        f"# Sweep benchmark {doc['date']}",
        "",
        f"Sweep: `{doc['sweep']}`, {rows[0]['runs']} runs (each: overrides, solve baseline and "
        f"optimized, write the result directory, score); {doc['repeat']} repeat(s), modes "
        f"interleaved, each measurement in a fresh Python process. Code: `{doc['code']}`.",
        "",
        *([doc["note"], ""] if doc.get("note") else []),
        "## Medians per mode",
        "",
        "| mode | processes | wall s | run s (median) | run CPU s (median) | overhead wall s/run "
        "| share of a run | overhead CPU s/run | share of a run's CPU | sweep CPU s/run "
        "| same index |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for mode in modes:
        same = all(
            doc["same_index"][f"{r['mode']}#{r['repeat']}"] for r in rows if r["mode"] == mode
        )
        lines.append(
            f"| {mode} | {next(r['processes'] for r in rows if r['mode'] == mode)} | "
            f"{med(mode, 'wall_s'):.1f} | {med(mode, 'runner_s_median'):.2f} | "
            f"{med(mode, 'runner_cpu_s_median'):.2f} | {med(mode, 'overhead_wall_per_run_s'):.3f} | "
            f"{med(mode, 'overhead_wall_share'):.1%} | {med(mode, 'overhead_cpu_per_run_s'):.3f} | "
            f"{med(mode, 'overhead_cpu_share'):.1%} | {med(mode, 'sweep_cpu_per_run_s'):.2f} | "
            f"{'yes' if same else 'NO'} |"
        )
    from benchmarks.sweep_overhead import markdown as overhead_markdown

    lines += ["", *overhead_markdown(rows, modes), "## Speed-ups (paired by repeat)", ""]
    for slow, fast in doc["speedup_pairs"]:
        values = speedups(rows, slow, fast)
        cpu = speedups(rows, slow, fast, "tree_cpu_s")
        if values:
            shown = ", ".join(f"{v:.2f}×" for v in values)
            lines.append(
                f"- `{slow}` / `{fast}`: wall median **{statistics.median(values):.2f}×** "
                f"({shown}); CPU of the whole sweep {statistics.median(cpu):.2f}×"
            )
    lines += [
        "",
        "## Every measurement",
        "",
        "| mode | # | wall s | plan s | first result s | summary s | Σ run s | tree CPU s | "
        "overhead wall s/run | overhead CPU s/run | statuses | load before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        p = r["phases_s"]
        wall = f"{r['wall_s']:.1f}" + (
            f" (+{r['cluster_start_s']:.1f} cluster)" if "cluster_start_s" in r else ""
        )
        status = ", ".join(f"{n} {s}" for s, n in sorted(r["status"].items()))
        lines.append(
            f"| {r['mode']} | {r['repeat']} | {wall} | {p.get('plan', 0):.1f} | "
            f"{p.get('first_result', 0):.1f} | {p.get('summary', 0):.1f} | {r['runner_s_sum']:.1f} | "
            f"{r['tree_cpu_s']:.1f} | {r['overhead_wall_per_run_s']:.3f} | "
            f"{r['overhead_cpu_per_run_s']:.3f} | {status} | "
            f"{r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    lines += ["", __doc__.split("\n\n", 3)[3].strip(), ""]
    return "\n".join(lines)


def run_all(args: argparse.Namespace, work: Path) -> dict:
    """Every measurement, interleaved; the results document."""
    from benchmarks.tree_cpu import adopt_orphans

    adopt_orphans()
    rows, indexes = [], {}
    codes = dict(c.split("=", 1) for c in args.code) if args.code else {"": str(ROOT)}
    modes = [f"{c}:{m}" if c else m for c in codes for m in args.modes.split(",")]
    loads = {}
    for name, folder in codes.items():
        loads[name] = load_of(cut_sweep(args.sweep, args.runs, work, Path(folder).resolve()),
                              Path(folder).resolve())  # fmt: skip
        print(f"load and validation of a variant ({name or 'this checkout'}): "  # noqa: T201
              f"{loads[name]:.3f} CPU-s", flush=True)  # fmt: skip
    for repeat in range(1, args.repeat + 1):
        for mode in modes:
            if rows and args.pause:
                time.sleep(args.pause)  # leave the machine to others between measurements
            out = work / f"{mode.replace(':', '-')}-{repeat}"
            code = Path(codes[_code(mode)]).resolve()
            print(f"[{time.strftime('%H:%M:%S')}] {mode} #{repeat} ...", flush=True)  # noqa: T201
            sweep = cut_sweep(args.sweep, args.runs, work, code)
            row = {**child(mode, sweep, out, work, code), "repeat": repeat}
            row = {**row, "load_cpu_s": loads[_code(mode)]}
            row.update(derive(row))
            print(  # noqa: T201
                f"    wall {row['wall_s']:.1f} s, overhead {row['overhead_wall_per_run_s']:.3f} s/run "
                f"wall, {row['overhead_cpu_per_run_s']:.3f} s/run CPU, load "
                f"{row['load_before']:.1f}→{row['load_after']:.1f}, {row['status']}",
                flush=True,
            )
            rows.append(row)
            indexes[f"{mode}#{repeat}"] = pd.read_csv(out / "index.csv")
            shutil.rmtree(out, ignore_errors=True)
    pairs = [(a, b) for a in modes for b in modes if _paired(modes, a, b)]
    return {
        "date": dt.date.today().isoformat(),
        "sweep": _shown(args.sweep),
        "repeat": args.repeat,
        "note": args.note,
        "code": _commit(),
        "cores": len(os.sched_getaffinity(0)),
        "modes": rows,
        "speedup_pairs": pairs,
        "same_index": compare(indexes),
    }


def _workers(mode: str) -> int:
    return sweep_kwargs(mode)[1]


def _code(mode: str) -> str:
    return mode.partition(":")[0] if ":" in mode else ""


def _paired(modes: list[str], a: str, b: str) -> bool:
    """Fewer workers vs more of one code version, or one mode in two code versions."""
    if _code(a) == _code(b):
        return _workers(a) < _workers(b)
    return a.rpartition(":")[2] == b.rpartition(":")[2] and modes.index(a) < modes.index(b)


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip()
    except OSError:
        return ""


def _shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sweep", type=Path, default=DEFAULT_SWEEP)
    ap.add_argument("--runs", type=int, default=None, help="cut the sweep to its first N runs")
    ap.add_argument("--modes", default="pool-1,pool-2")
    ap.add_argument("--repeat", type=int, default=3, help="measurements per mode (interleaved)")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--tag", default="vm", help="name part of the results file")
    ap.add_argument("--note", default="", help="a remark recorded with the results")
    ap.add_argument(
        "--code",
        action="append",
        metavar="NAME=DIR",
        help="symbio checkouts to measure, interleaved (repeat the option; default: this one)",
    )
    ap.add_argument(
        "--pause", type=float, default=0.0, help="seconds to wait between two measurements"
    )
    ap.add_argument("--from-json", type=Path, help="rewrite the .md of a results .json")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.from_json:
        doc = json.loads(args.from_json.read_text(encoding="utf-8"))
        doc["modes"] = [{**r, **derive(r)} for r in doc["modes"]]
        args.from_json.with_suffix(".md").write_text(markdown(doc), encoding="utf-8")
        return 0
    if args.child:
        startup = _cpu(resource.RUSAGE_SELF)
        result = {**measure(args.child, args.sweep, args.out), "cpu_before_sweep_s": startup}
        (args.out.parent / f"{args.out.name}.json").write_text(json.dumps(result), encoding="utf-8")
        return 0
    work = Path(tempfile.mkdtemp(prefix="symbio-sweep-bench-"))
    try:
        doc = run_all(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stem = f"sweep-{doc['date']}-{args.tag}"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{stem}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    (args.results / f"{stem}.md").write_text(markdown(doc), encoding="utf-8")
    print(markdown(doc))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
