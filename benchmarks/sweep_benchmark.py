"""Sweep executors compared: serial vs the local process pool vs a Dask LocalCluster.

Runs one sweep (default: the 100-run SCIP 2025 Monte Carlo,
``scenarios/examples/sweeps/scip-2025-monte-carlo.yaml``) once per mode, each in a fresh
Python process, checks that every mode gives the same index, and writes
``benchmarks/results/sweep-<date>-<host>.json`` and ``.md``::

    python -m benchmarks.sweep_benchmark                      # all modes, 2 workers
    python -m benchmarks.sweep_benchmark --modes serial,pool  # a subset
    python -m benchmarks.sweep_benchmark --repeat 2           # medians of two

Modes:

``serial``      every run in the measuring process, one after the other (the baseline);
``pool``        ``symbio sweep``'s default: local process pool of ``--workers`` processes,
                a new process for every run, forked from a preloaded server;
``pool-reuse``  the same pool, each process doing 20 runs (``--tasks-per-worker 20``): what
                a fresh process per run costs;
``dask``        a ``dask.distributed.LocalCluster`` with ``--workers`` single-threaded
                worker processes, started by the measuring process (start-up timed apart).

Per-run overhead = (wall time × processes − time spent inside the runs) / runs: the
worker-seconds per run not spent applying overrides, solving, writing and scoring (process
start-up, imports, hand-over, the parent's writes, idle workers at the end).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SWEEP = ROOT / "scenarios" / "examples" / "sweeps" / "scip-2025-monte-carlo.yaml"
RESULTS = ROOT / "benchmarks" / "results"
MODES = ("serial", "pool", "pool-reuse", "dask")


def measure(mode: str, sweep: Path, out: Path, workers: int) -> dict:
    """Run the sweep once in this process with one executor; return the measurements."""
    from symbio.sweep import run_sweep

    load_before = os.getloadavg()
    extra: dict = {}
    kwargs: dict = {"progress": False}
    cluster = None
    if mode == "serial":
        kwargs["executor"] = "serial"
        processes = 1
    elif mode in ("pool", "pool-reuse"):
        kwargs.update(workers=workers, tasks_per_worker=20 if mode == "pool-reuse" else None)
        processes = workers
    elif mode == "dask":
        from distributed import LocalCluster

        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        extra["cluster_start_s"] = time.perf_counter() - t0
        kwargs["scheduler"] = cluster.scheduler_address
        processes = workers
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    try:
        report = run_sweep(sweep, out, **kwargs)
    finally:
        if cluster is not None:
            cluster.close()
    run_s = pd.to_numeric(report.index["seconds"], errors="coerce").dropna().tolist()
    cpu_s = pd.to_numeric(report.index.get("cpu_seconds"), errors="coerce")
    cpu_s = [] if cpu_s is None else cpu_s.dropna().tolist()
    runs = report.total
    return {
        "mode": mode,
        "processes": processes,
        "runs": runs,
        "status": report.counts,
        "wall_s": report.seconds,
        "phases_s": report.phases,
        "run_s_sum": sum(run_s),
        "run_s_mean": statistics.fmean(run_s),
        "run_s_median": statistics.median(run_s),
        "run_cpu_s_mean": statistics.fmean(cpu_s) if cpu_s else None,
        "overhead_per_run_s": (report.seconds * processes - sum(run_s)) / runs,
        "peak_rss_mb_parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_avg_before": load_before,
        "load_avg_after": os.getloadavg(),
        **extra,
    }


def machine() -> dict:
    """The machine and software the numbers were measured with."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for pkg in ("symbio", "pyomo", "highspy", "pandas", "dask", "distributed"):
        try:
            versions[pkg] = version(pkg)
        except Exception:  # noqa: BLE001
            versions[pkg] = None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(mem_gb, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit,
    }


def compare(indexes: dict[str, pd.DataFrame]) -> dict[str, bool]:
    """Whether each mode's index equals the first mode's (timing columns left out)."""
    from symbio.sweep import TIMING_COLUMNS

    names = list(indexes)
    ref = indexes[names[0]].drop(columns=list(TIMING_COLUMNS))
    out = {}
    for name in names:
        other = indexes[name].drop(columns=list(TIMING_COLUMNS))
        try:
            pd.testing.assert_frame_equal(ref, other, check_exact=False, rtol=1e-9)
            out[name] = True
        except AssertionError:
            out[name] = False
    return out


def markdown(doc: dict) -> str:
    """The results as a Markdown page: medians per mode, then every measurement."""
    m = doc["machine"]
    rows = doc["modes"]
    modes = list(dict.fromkeys(r["mode"] for r in rows))

    def median(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in rows if r["mode"] == mode)

    serial = median("serial", "wall_s") if "serial" in modes else float("nan")
    lines = [
        f"# Sweep benchmark {doc['date']}",
        "",
        f"Sweep: `{doc['sweep']}` ({rows[0]['runs']} runs; each run = apply overrides, "
        "solve baseline and optimized, write the result directory, score). Every mode was "
        f"measured {doc['repeat']} time(s), interleaved, each in a fresh Python process.",
        "",
        f"Machine: `{m['host']}`, {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; "
        f"{m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
        + (f"; commit `{m['commit']}` (uncommitted changes possible)." if m["commit"] else "."),
        "",
        *([doc["note"], ""] if doc.get("note") else []),
        "## Medians",
        "",
        "| mode | processes | wall s | speed-up vs serial | efficiency | mean run s | "
        "mean run CPU s | overhead per run s | same results as serial |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for mode in modes:
        procs = next(r["processes"] for r in rows if r["mode"] == mode)
        wall = median(mode, "wall_s")
        same = all(
            doc["same_index"][f"{r['mode']}#{r['repeat']}"] for r in rows if r["mode"] == mode
        )
        lines.append(
            f"| {mode} | {procs} | {wall:.1f} | {serial / wall:.2f}× | "
            f"{serial / wall / procs:.0%} | {median(mode, 'run_s_mean'):.2f} | "
            f"{_cpu(rows, mode)} | {median(mode, 'overhead_per_run_s'):.3f} | "
            f"{'yes' if same else 'NO'} |"
        )
    lines += [
        "",
        "## Every measurement",
        "",
        "| mode | # | wall s | mean run s | Σ run s | overhead per run s | first result s | "
        "statuses | load avg before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        wall = f"{r['wall_s']:.1f}"
        if "cluster_start_s" in r:
            wall += f" (+{r['cluster_start_s']:.1f} cluster start)"
        status = ", ".join(f"{n} {s}" for s, n in sorted(r["status"].items()))
        load = f"{r['load_avg_before'][0]:.1f} → {r['load_avg_after'][0]:.1f}"
        lines.append(
            f"| {r['mode']} | {r['repeat']} | {wall} | {r['run_s_mean']:.2f} | "
            f"{r['run_s_sum']:.1f} | {r['overhead_per_run_s']:.3f} | "
            f"{r['phases_s'].get('first_result', 0):.1f} | {status} | {load} |"
        )
    lines += [
        "",
        "Wall s: `run_sweep` from reading the sweep file to the written summary (the Dask "
        "cluster's start-up is shown apart). Efficiency: speed-up / processes. Mean run s: "
        "time inside one run (`seconds` in the index); mean run CPU s: its CPU time "
        "(`cpu_seconds`), which the machine's other load does not inflate. Overhead per run: (wall × processes − "
        "Σ run s) / runs. First result s: from the start of execution to the first finished "
        "run (worker start-up). Same results: the mode's `index.csv` equals the first "
        "measurement's, timing columns left out. Load avg: the 1-minute load average of the "
        "machine, which other sessions were using at the same time.",
        "",
    ]
    return "\n".join(lines)


def _cpu(rows: list[dict], mode: str) -> str:
    values = [r["run_cpu_s_mean"] for r in rows if r["mode"] == mode and r.get("run_cpu_s_mean")]
    return f"{statistics.median(values):.2f}" if values else "–"


def _shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sweep", type=Path, default=DEFAULT_SWEEP)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="measurements per mode (interleaved)")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--tag", default=None, help="name part of the results file (default host)")
    ap.add_argument("--note", default="", help="a remark recorded with the results")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        result = measure(args.child, args.sweep, args.out, args.workers)
        (args.out.parent / f"{args.out.name}.json").write_text(json.dumps(result), encoding="utf-8")
        return 0

    work = Path(tempfile.mkdtemp(prefix="symbio-sweep-bench-"))
    rows, indexes = [], {}
    try:
        for repeat in range(1, args.repeat + 1):
            for mode in args.modes.split(","):
                out = work / f"{mode}-{repeat}"
                cmd = [sys.executable, "-m", "benchmarks.sweep_benchmark", "--child", mode]
                cmd += ["--sweep", str(args.sweep), "--out", str(out)]
                cmd += ["--workers", str(args.workers)]
                print(f"[{time.strftime('%H:%M:%S')}] {mode} #{repeat} ...", flush=True)  # noqa: T201
                subprocess.run(cmd, cwd=ROOT, check=True)
                row = json.loads((work / f"{mode}-{repeat}.json").read_text(encoding="utf-8"))
                row["repeat"] = repeat
                print(f"    wall {row['wall_s']:.1f} s, {row['status']}", flush=True)  # noqa: T201
                rows.append(row)
                indexes[f"{mode}#{repeat}"] = pd.read_csv(out / "index.csv")
        doc = {
            "date": dt.date.today().isoformat(),
            "sweep": _shown(args.sweep),
            "repeat": args.repeat,
            "note": args.note,
            "machine": machine(),
            "modes": rows,
            "same_index": compare(indexes),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stem = f"sweep-{doc['date']}-{args.tag or doc['machine']['host']}"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{stem}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    (args.results / f"{stem}.md").write_text(markdown(doc), encoding="utf-8")
    print(markdown(doc))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
