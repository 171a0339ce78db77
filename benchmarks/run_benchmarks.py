"""Time every phase of a symbio run on synthetic parks of growing size.

For each N (default 50 200 1000 5000) two measurements run, each in a **fresh Python
process** (so timings include no warm caches and peak memory is that run's own):

* ``mip``: generate the park, build the graph, build the Pyomo model, count its size, and
  solve it with ``symbio.solvers.solve_model`` (hand-over, solve and load timings come from
  ``outcome.timings``); records objective, best bound, gap, status, peak RSS and the HiGHS
  log (root-node bounds and the gap over time are parsed from it);
* ``lp``: the same model with integrality relaxed, solved once: the LP relaxation bound.
  ``(best MIP objective - LP bound) / |best MIP objective|`` measures how tight the
  formulation is.

Results go to ``benchmarks/results/<date>-<host>.json`` (one file per day and machine, one
entry per N and kind, rewritten after every measurement) and to the table in
``benchmarks/results/README.md`` (between the ``benchmarks:table`` markers; the text around
it is kept).

    python -m benchmarks.run_benchmarks                      # 50 200 1000 5000
    python -m benchmarks.run_benchmarks 1000 --time-limit 300 --profile
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import platform
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
DEFAULT_SIZES = (50, 200, 1000, 5000)
KINDS = ("mip", "lp", "baseline")
#: Extra kinds: ``build`` repeats generate/graph/build without solving (timing noise on a
#: shared machine: the table shows the fastest of all runs of an N), ``profile`` is a
#: cProfile'd build.
EXTRA_KINDS = ("build", "profile")
#: Gap target of the baseline solve (only on/off binaries: it closes fast).
BASELINE_GAP = 1e-4
TABLE_START, TABLE_END = "<!-- benchmarks:table:start -->", "<!-- benchmarks:table:end -->"


def default_time_limit(n: int) -> float:
    """Solver time limit: 300 s up to N = 1000, 600 s above."""
    return 300.0 if n <= 1000 else 600.0


# --------------------------------------------------------------------------------------------
# child: one measurement in a fresh process
# --------------------------------------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def model_size(model) -> dict:
    """Active variables, constraints and binaries/integers counted on the Pyomo model."""
    import pyomo.environ as pyo

    n_var = n_bin = n_int = n_fixed = 0
    for v in model.component_data_objects(pyo.Var, active=True, descend_into=True):
        n_var += 1
        if v.fixed:
            n_fixed += 1
        if v.is_binary():
            n_bin += 1
        elif v.is_integer():
            n_int += 1
    n_con = sum(
        1 for _ in model.component_data_objects(pyo.Constraint, active=True, descend_into=True)
    )
    return {
        "variables": n_var,
        "constraints": n_con,
        "binaries": n_bin,
        "integers": n_int,
        "fixed": n_fixed,
    }


def _call_build(build_model, scenario, graph, options=None):
    """Build from the graph (already timed) when ``build_model`` takes one, else the scenario."""
    args = () if options is None else (options,)
    try:
        return build_model(graph, *args)
    except (TypeError, AttributeError):
        return build_model(scenario, *args)


def _solver_options(
    SolverOptions, time_limit: float, mip_gap: float, threads: int, log_file: str | None
):
    fields = (
        {f.name for f in dataclasses.fields(SolverOptions)}
        if dataclasses.is_dataclass(SolverOptions)
        else set(getattr(SolverOptions, "model_fields", {}))
    )
    kw = {"time_limit": time_limit, "mip_gap": mip_gap, "threads": threads}
    if "seed" in fields:
        kw["seed"] = 0
    if log_file and "log_file" in fields:
        kw["log_file"] = log_file
    return SolverOptions(**kw), ("log_file" in kw)


def _outcome_dict(outcome) -> dict:
    out = {}
    for name in ("status", "termination", "solution_status", "objective", "bound", "gap"):
        if hasattr(outcome, name):
            val = getattr(outcome, name)
            out[name] = val if isinstance(val, int | float | type(None)) else str(val)
    timings = getattr(outcome, "timings", None) or {}
    out["timings"] = {k: float(v) for k, v in dict(timings).items()}
    return out


def run_child(
    kind: str,
    n: int,
    seed: int,
    time_limit: float,
    mip_gap: float,
    threads: int,
    log_file: str | None,
    profile: str | None,
) -> dict:
    """One measurement; returns a JSON-ready dict."""
    rec: dict = {
        "kind": kind,
        "n_sites": n,
        "seed": seed,
        "time_limit_s": time_limit,
        "mip_gap_target": mip_gap,
        "threads": threads,
        "phases_s": {},
        "rss_mb": {},
    }
    ph, rss = rec["phases_s"], rec["rss_mb"]
    t_all = time.perf_counter()

    def mark(name: str, t0: float) -> None:
        ph[name] = round(time.perf_counter() - t0, 4)
        rss[name] = round(_rss_mb(), 1)

    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from benchmarks.parks import generate_park

    mark("import_flows", t0)
    t0 = time.perf_counter()
    scenario = generate_park(n, seed)
    mark("generate", t0)

    import symbio

    t0 = time.perf_counter()
    graph = symbio.build_graph(scenario)
    mark("graph", t0)
    rec["candidate_links"] = sum(1 for lk in graph.links if lk.candidate)
    rec["links"] = len(graph.links)
    rec["candidate_processes"] = sum(1 for p in scenario.processes if p.candidate)

    t0 = time.perf_counter()
    from symbio.model import build_model
    from symbio.solvers import SolverOptions, solve_model

    mark("import_model", t0)
    options = None
    if kind == "baseline":
        from symbio.model import ModelOptions

        options = ModelOptions(candidates=False)
        mip_gap = min(mip_gap, BASELINE_GAP)
        rec["mip_gap_target"] = mip_gap
    t0 = time.perf_counter()
    if kind == "profile":
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        model = _call_build(build_model, scenario, graph, options)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(40)
        Path(profile).write_text(buf.getvalue())
        mark("build", t0)
        rec["size"] = model_size(model)
        rec["peak_rss_mb"] = round(_peak_mb(), 1)
        return rec
    else:
        model = _call_build(build_model, scenario, graph, options)
    mark("build", t0)

    t0 = time.perf_counter()
    rec["size"] = model_size(model)
    mark("count", t0)
    if kind == "build":  # a repetition of the build phases only
        rec["peak_rss_mb"] = round(_peak_mb(), 1)
        return rec

    if kind == "lp":
        import pyomo.environ as pyo

        t0 = time.perf_counter()
        pyo.TransformationFactory("core.relax_integer_vars").apply_to(model)
        mark("relax", t0)

    opts, logged = _solver_options(SolverOptions, time_limit, mip_gap, threads, log_file)
    t0 = time.perf_counter()
    outcome = solve_model(model, opts)
    mark("solve_model", t0)
    rec["outcome"] = _outcome_dict(outcome)
    rec["log_file"] = log_file if logged else None
    rec["total_s"] = round(time.perf_counter() - t_all, 3)
    rec["peak_rss_mb"] = round(_peak_mb(), 1)
    return rec


# --------------------------------------------------------------------------------------------
# HiGHS log: root bounds and the gap over time
# --------------------------------------------------------------------------------------------

_NUM = r"(-?inf|[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)"
_ROW = re.compile(
    r"^\s*(?P<src>[A-Za-z]?)\s+(?P<proc>\d+)\s+(?P<inq>\d+)\s+(?P<leaves>\d+)\s+(?P<expl>[\d.]+)%\s+"
    rf"(?P<bound>{_NUM})\s+(?P<sol>{_NUM})\s+(?P<gap>(?:[\d.]+%|inf|Large))\s+.*?(?P<time>[\d.]+)s\s*$",
    re.IGNORECASE,
)


def parse_highs_log(text: str) -> dict:
    """Root-node bounds and (time, bound, incumbent, gap) rows of a HiGHS MIP log."""

    def num(s: str) -> float | None:
        s = s.lower()
        if s in {"inf", "-inf"}:
            return None
        return float(s)

    rows = []
    for line in text.splitlines():
        m = _ROW.match(line)
        if not m:
            continue
        gap = m["gap"]
        rows.append(
            {
                "time_s": float(m["time"]),
                "nodes": int(m["proc"]),
                "bound": num(m["bound"]),
                "incumbent": num(m["sol"]),
                "gap_pct": float(gap[:-1]) if gap.endswith("%") else None,
                "src": m["src"] or "",
            }
        )
    out: dict = {"progress": rows}
    root = [r for r in rows if r["nodes"] == 0 and r["bound"] is not None]
    if not root:  # solved at the root: the first bound is printed with the root counted
        root = [r for r in rows if r["nodes"] <= 1 and r["bound"] is not None][:1]
    if root:
        out["root_first_bound"] = root[0]["bound"]  # after the root LP (HiGHS's presolved model)
        out["root_final_bound"] = root[-1]["bound"]  # after root cuts and heuristics
        out["root_end_s"] = root[-1]["time_s"]
    m = re.search(
        r"Presolve reductions: rows (\d+)\(-?\d+\); columns (\d+)\(-?\d+\); nonzeros (\d+)", text
    )
    if m:
        out["presolved"] = {"rows": int(m[1]), "columns": int(m[2]), "nonzeros": int(m[3])}
    m = re.search(r"MIP .* has (\d+) rows; (\d+) cols; (\d+) nonzeros(?:; (\d+) integer)?", text)
    if m:
        out["original"] = {
            "rows": int(m[1]),
            "columns": int(m[2]),
            "nonzeros": int(m[3]),
            "integers": int(m[4] or 0),
        }
    m = re.search(r"Dual bound\s+(\S+)", text)
    if m:
        with contextlib.suppress(ValueError):
            out["final_dual_bound"] = float(m[1])
    return out


# --------------------------------------------------------------------------------------------
# parent: machine, subprocesses, files
# --------------------------------------------------------------------------------------------


def _pkg(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine() -> dict:
    """CPU model, cores, RAM, OS, Python and the solver stack's versions."""
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
                break
    commit = dirty = None
    with contextlib.suppress(Exception):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--", "symbio"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    return {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pyomo": _pkg("pyomo"),
        "highspy": _pkg("highspy"),
        "numpy": _pkg("numpy"),
        "pydantic": _pkg("pydantic"),
        "symbio": _pkg("symbio"),
        "git_commit": commit,
        "symbio_tree_dirty": dirty,
    }


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)  # mkstemp makes the file private
    os.replace(tmp, path)


def measure(
    kind: str,
    n: int,
    seed: int,
    time_limit: float,
    mip_gap: float,
    threads: int,
    wall_limit: float,
    tag: str = "",
) -> dict:
    """Run one measurement in a fresh interpreter and return its record."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / "logs" / f"highs-{kind}-N{n}-seed{seed}{tag}.log"
    log.parent.mkdir(exist_ok=True)
    log.unlink(missing_ok=True)
    prof = RESULTS / "logs" / f"build-profile-N{n}.txt" if kind == "profile" else None
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run_benchmarks",
        "--child",
        kind,
        "--n",
        str(n),
        "--seed",
        str(seed),
        "--time-limit",
        str(time_limit),
        "--mip-gap",
        str(mip_gap),
        "--threads",
        str(threads),
        "--log-file",
        str(log),
        "--child-out",
        str(out),
    ]
    if prof:
        cmd += ["--profile-out", str(prof)]
    t0 = time.perf_counter()
    stdout_path = RESULTS / "logs" / f"stdout-{kind}-N{n}-seed{seed}{tag}.txt"
    with open(stdout_path, "w") as so:
        try:
            proc = subprocess.run(
                cmd, cwd=ROOT, stdout=so, stderr=subprocess.STDOUT, timeout=wall_limit
            )
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    wall = time.perf_counter() - t0
    rec: dict
    try:
        rec = json.loads(out.read_text())
    except (OSError, ValueError):
        tail = stdout_path.read_text(errors="replace")[-3000:]
        rec = {
            "kind": kind,
            "n_sites": n,
            "seed": seed,
            "error": f"child exit {rc}",
            "stdout_tail": tail,
        }
    finally:
        out.unlink(missing_ok=True)
    rec["wall_s"] = round(wall, 2)
    rec["returncode"] = rc
    # the HiGHS log: root bounds and the gap over time
    text = ""
    if log.exists():
        text = log.read_text(errors="replace")
    if not text:
        text = stdout_path.read_text(errors="replace")
    if text:
        rec["highs"] = parse_highs_log(text)
    if prof:
        rec["build_profile"] = str(prof.relative_to(ROOT))
    return rec


def fastest(runs: list[dict], n: int, phase: str) -> float | None:
    """Fastest time of a phase over every fresh-process run of N (all build the same park)."""
    times = [
        r["phases_s"][phase]
        for r in runs
        if r.get("n_sites") == n and r.get("kind") != "profile" and phase in r.get("phases_s", {})
    ]
    return min(times) if times else None


def derived(
    mip: dict, lp: dict | None, base: dict | None = None, runs: list[dict] | None = None
) -> dict:
    """Numbers for the table from one N's mip, lp and baseline records (and all its runs)."""
    o = mip.get("outcome", {})
    t = o.get("timings", {})
    h = mip.get("highs", {})
    lp_obj = (lp or {}).get("outcome", {}).get("objective")
    base_obj = (base or {}).get("outcome", {}).get("objective")
    obj, bound = o.get("objective"), o.get("bound")

    def num(*xs: object) -> bool:
        return all(isinstance(x, int | float) for x in xs)

    relax_gap = (obj - lp_obj) / abs(obj) if num(obj, lp_obj) and obj else None
    # the gap measured on what the optimization can save rather than on the total cost
    savings = base_obj - obj if num(base_obj, obj) else None
    savings_gap = (
        (obj - bound) / (base_obj - bound)
        if num(base_obj, obj, bound) and base_obj > bound
        else None
    )
    return {
        "N": mip.get("n_sites"),
        "variables": mip.get("size", {}).get("variables"),
        "constraints": mip.get("size", {}).get("constraints"),
        "binaries": mip.get("size", {}).get("binaries"),
        "generate_s": fastest(runs or [mip], mip.get("n_sites"), "generate"),
        "graph_s": fastest(runs or [mip], mip.get("n_sites"), "graph"),
        "build_s": fastest(runs or [mip], mip.get("n_sites"), "build"),
        "build_s_mip_run": mip.get("phases_s", {}).get("build"),
        "handover_s": t.get("handover"),
        "solve_s": t.get("solve"),
        "load_s": t.get("load"),
        "lp_bound": lp_obj,
        "root_bound": h.get("root_final_bound"),
        "objective": obj,
        "bound": bound,
        "gap": o.get("gap"),
        "relaxation_gap": relax_gap,
        "baseline": base_obj,
        "savings": savings,
        "savings_gap": savings_gap,
        "status": o.get("status") or o.get("termination") or mip.get("error"),
        "peak_rss_mb": mip.get("peak_rss_mb"),
    }


def _fmt(v, kind: str = "") -> str:
    if v is None:
        return "–"
    if kind == "pct":
        return f"{100 * v:.2f}%"
    if kind == "obj":
        return f"{v:.4g}"
    if isinstance(v, float):
        return f"{v:.2f}" if v < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table(doc: dict) -> str:
    """The markdown table (and machine line) of one results file."""
    m = doc["machine"]
    runs = doc["runs"]
    lines = [
        f"Results file: `{doc['file']}` — {doc['date']}, host `{m['host']}`: {m['cpu']}, {m['cores']} cores, "
        f"{m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}, Pyomo {m['pyomo']}, highspy {m['highspy']}; "
        f"symbio {m['symbio']} at `{m['git_commit']}`{' (uncommitted changes in symbio/)' if m['symbio_tree_dirty'] else ''}.",
        "",
        "| N | variables | constraints | binaries | generate s | graph s | build s | hand-over s | solve s "
        "| load s | LP relax. bound | root bound | best objective | best bound | gap | LP–MIP gap "
        "| baseline | gap / savings | status | peak RSS MB |",
        "|" + "---:|" * 18 + "---|" + "---:|",
    ]
    ns = sorted({r["n_sites"] for r in runs if r.get("kind") == "mip"})
    for n in ns:
        pick = {
            k: next((r for r in runs if r.get("kind") == k and r["n_sites"] == n), None)
            for k in KINDS
        }
        d = derived(pick["mip"], pick["lp"], pick["baseline"], runs)
        cells = [
            _fmt(d["N"]),
            _fmt(d["variables"]),
            _fmt(d["constraints"]),
            _fmt(d["binaries"]),
            _fmt(d["generate_s"]),
            _fmt(d["graph_s"]),
            _fmt(d["build_s"]),
            _fmt(d["handover_s"]),
            _fmt(d["solve_s"]),
            _fmt(d["load_s"]),
            _fmt(d["lp_bound"], "obj"),
            _fmt(d["root_bound"], "obj"),
            _fmt(d["objective"], "obj"),
            _fmt(d["bound"], "obj"),
            _fmt(d["gap"], "pct"),
            _fmt(d["relaxation_gap"], "pct"),
            _fmt(d["baseline"], "obj"),
            _fmt(d["savings_gap"], "pct"),
            _fmt(d["status"]),
            _fmt(d["peak_rss_mb"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_readme(doc: dict) -> None:
    """Put the table between the markers of results/README.md, keeping the text around it."""
    path = RESULTS / "README.md"
    body = f"{TABLE_START}\n{table(doc)}\n{TABLE_END}"
    if path.exists():
        text = path.read_text()
        if TABLE_START in text and TABLE_END in text:
            head, rest = text.split(TABLE_START, 1)
            _, tail = rest.split(TABLE_END, 1)
            _atomic_write(path, head + body + tail)
            return
        _atomic_write(path, text.rstrip() + "\n\n" + body + "\n")
        return
    _atomic_write(
        path,
        "# Benchmark results\n\nSee `../README.md` for how to run and what the columns "
        "mean.\n\n" + body + "\n",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Per-phase timings of symbio on synthetic parks.")
    ap.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES), help="park sizes N")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="solver time limit, s (default 300 for N <= 1000, 600 above)",
    )
    ap.add_argument("--mip-gap", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--kinds",
        nargs="+",
        choices=(*KINDS, "build"),
        default=list(KINDS),
        help="measurements per N: mip (full run), lp (relaxation), baseline (no candidates), "
        "build (build phases only, no solve)",
    )
    ap.add_argument(
        "--build-repeats",
        type=int,
        default=0,
        help="extra build-only runs per N (the table shows the fastest phase times)",
    )
    ap.add_argument("--profile", action="store_true", help="cProfile the model build (logs/)")
    ap.add_argument(
        "--results", type=Path, default=None, help="results JSON (default <date>-<host>.json)"
    )
    ap.add_argument("--tag", default="", help="suffix of log names and of the default results file")
    ap.add_argument(
        "--no-readme", action="store_true", help="do not rewrite the table in results/README.md"
    )
    # child mode (internal)
    ap.add_argument("--child", choices=(*KINDS, *EXTRA_KINDS), help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--log-file", help=argparse.SUPPRESS)
    ap.add_argument("--child-out", help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        rec = run_child(
            args.child,
            args.n,
            args.seed,
            args.time_limit,
            args.mip_gap,
            args.threads,
            args.log_file,
            args.profile_out,
        )
        Path(args.child_out).write_text(json.dumps(rec, indent=1))
        return 0

    date = datetime.now().strftime("%Y-%m-%d")
    host = socket.gethostname()
    path = args.results or RESULTS / f"{date}-{host}{'-' + args.tag if args.tag else ''}.json"
    doc = json.loads(path.read_text()) if path.exists() else {"runs": []}
    doc.update(
        {
            "file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
            "date": date,
            "machine": machine(),
        }
    )
    for n in args.sizes:
        limit = args.time_limit if args.time_limit is not None else default_time_limit(n)
        todo = [
            *args.kinds,
            *(["build"] * args.build_repeats),
            *(["profile"] if args.profile else []),
        ]
        for rep, kind in enumerate(todo):
            print(
                f"[{datetime.now():%H:%M:%S}] N={n} {kind} (time limit {limit:g} s) ...", flush=True
            )
            load0 = os.getloadavg()
            rec = measure(
                kind,
                n,
                args.seed,
                limit,
                args.mip_gap,
                args.threads,
                wall_limit=2 * limit + 1800,
                tag=f"-{args.tag}" if args.tag else "",
            )
            rec["loadavg_before_after"] = [round(load0[0], 2), round(os.getloadavg()[0], 2)]
            rec["finished"] = datetime.now().isoformat(timespec="seconds")
            rec["git_commit"] = doc["machine"]["git_commit"]
            if kind != "build" or "build" not in todo[:rep]:  # repeats of one invocation accumulate
                doc["runs"] = [
                    r
                    for r in doc["runs"]
                    if not (
                        r.get("kind") == kind
                        and r.get("n_sites") == n
                        and r.get("seed") == args.seed
                    )
                ]
            doc["runs"].append(rec)
            doc["runs"].sort(key=lambda r: (r.get("n_sites", 0), r.get("kind", "")))
            _atomic_write(path, json.dumps(doc, indent=1))
            if not args.no_readme and any(r.get("kind") == "mip" for r in doc["runs"]):
                write_readme(doc)
            o = rec.get("outcome", {})
            print(
                f"    phases {rec.get('phases_s')} timings {o.get('timings')} status {o.get('status')} "
                f"obj {o.get('objective')} gap {o.get('gap')} peak {rec.get('peak_rss_mb')} MB "
                f"{rec.get('error', '')}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
