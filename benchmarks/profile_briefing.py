"""Time (and optionally profile) the main job's briefing step on an existing pilot output.

Usage::

    symbio pilot --out /tmp/p                      # once: a pilot output to brief
    PYTHONPATH=. python benchmarks/profile_briefing.py /tmp/p --dest /tmp/b \
        [--profile benchmarks/results/profile-briefing-LABEL.txt] [--top 40]

Writes ``DEST/briefing-{zh,en}.html`` and ``DEST/figures/{zh,en}/`` exactly as the pilot's
briefing step does (same result directories in :data:`symbio.pilot.BRIEFING_ORDER`, same
Pareto front, measures, robustness study and allocation when the pilot output has them), and
prints the seconds per language, the CPU seconds of the step (of this process and of the
process it forks: on a quiet machine with two free cores the step takes about the larger of the
two, plus waits) and the load average. As the pilot holds the scenarios it
solved in memory and hands them over, the script loads them from ``scenarios/scip`` before
the step (``--read-scenarios``: read them back from the result directories instead, as
``symbio report`` does). With ``--profile``, the two briefings
run under cProfile and the top functions by cumulative and own time go to that file. Run it
under ``farm-bench`` against another checkout for an A/B ratio of the whole process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import time
from pathlib import Path

#: Write the languages at the same time where the checkout can (``--serial``: not).
PARALLEL = True


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def briefing_inputs(pilot: Path) -> dict:
    """The result directories and extras of the pilot's briefing step in ``pilot``."""
    from symbio.pilot import BRIEFING_ORDER

    runs = [pilot / "runs" / s for s in BRIEFING_ORDER if (pilot / "runs" / s).is_dir()]

    def opt(rel: str) -> Path | None:
        return pilot / rel if (pilot / rel).exists() else None

    return {
        "result_dirs": runs,
        "pareto": opt("pareto/pareto.csv"),
        "macc": opt("measures/macc.csv"),
        "cocontrol": opt("measures/cocontrol.csv"),
        "robust": opt("robust"),
        "allocation": opt("allocation"),
    }


def solved_scenarios(dirs: list[Path], folder: Path) -> dict[Path, object]:
    """The scenarios of ``dirs`` loaded from ``folder`` (what the pilot holds in memory)."""
    from symbio.flows.load import load_scenario

    files = {d: folder / f"{d.name}.yaml" for d in dirs}
    return {d: load_scenario(f) for d, f in files.items() if f.is_file()}


def run(
    pilot: Path, dest: Path, langs: tuple[str, ...] = ("zh", "en"), solved: dict | None = None
) -> dict[str, float]:
    """Write the briefings of ``pilot`` into ``dest`` as the pilot does; seconds per language
    and ``wall`` for the whole step. A checkout without ``read_briefing`` reads the inputs for
    each language and writes one after the other."""
    from symbio.report.html import briefing as mod

    inputs = briefing_inputs(pilot)
    dirs = inputs.pop("result_dirs")
    t0 = time.perf_counter()
    if hasattr(mod, "read_briefing"):
        handed = bool(solved) and "scenarios" in mod.read_briefing.__code__.co_varnames
        brief = mod.read_briefing(dirs, **inputs, **({"scenarios": solved} if handed else {}))
        targets = {
            lang: (dest / f"briefing-{lang}.html", dest / "figures" / lang) for lang in langs
        }
        done = brief.write_all(targets, parallel=PARALLEL)
        seconds = {lang: s for lang, (_, s) in done.items()}
    else:
        seconds = {}
        for lang in langs:
            t = time.perf_counter()
            mod.write_briefing(dirs, dest / f"briefing-{lang}.html", lang=lang,
                               figures_dir=dest / "figures" / lang, **inputs)  # fmt: skip
            seconds[lang] = time.perf_counter() - t
    return {**seconds, "wall": time.perf_counter() - t0}


def main() -> None:
    """Parse the arguments, write the briefings, print the times."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("pilot", type=Path, help="a `symbio pilot` output directory")
    ap.add_argument("--dest", type=Path, required=True)
    ap.add_argument("--profile", type=Path, default=None)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--serial", action="store_true", help="one language after the other")
    ap.add_argument("--read-scenarios", action="store_true",
                    help="read the scenarios back from the result directories")  # fmt: skip
    args = ap.parse_args()
    global PARALLEL
    PARALLEL = not args.serial and not args.profile  # cProfile sees this process only
    args.dest.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    import symbio.report.html.briefing  # noqa: F401 - imports are timed apart

    t_import = time.perf_counter() - t0
    solved = None
    if not args.read_scenarios:  # the pilot validated them before solving: not timed
        from symbio.paths import scenarios_dir

        dirs = briefing_inputs(args.pilot)["result_dirs"]
        solved = solved_scenarios(dirs, scenarios_dir() / "scip")
    load0 = os.getloadavg()[0]
    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    cpu0 = _cpu()
    seconds = run(args.pilot, args.dest, solved=solved)
    own, kids = (b - a for a, b in zip(cpu0, _cpu(), strict=True))
    if prof:
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        args.profile.write_text(buf.getvalue(), encoding="utf-8")
    wall = seconds.pop("wall")
    times = " ".join(f"{k} {v:.2f} s" for k, v in seconds.items())
    print(
        f"import {t_import:.2f} s; briefing {times}; step {wall:.2f} s "
        f"(CPU {own + kids:.2f} s: this process {own:.2f}, its child {kids:.2f}); "
        f"load {load0:.2f} -> {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
