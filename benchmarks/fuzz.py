"""Fuzz target: load N mutated scenarios (default 10,000) and count what happened.

Each mutant (:mod:`benchmarks.mutants`, seeds 0..N-1, so a run is reproducible) is
loaded like ``symbio validate`` does; the counts are accepted (valid), rejected (a user
error) and uncaught (any other exception: a bug). The result is written as JSON::

    python -m benchmarks.fuzz --n 10000 --workers 2 --out benchmarks/results/fuzz-<date>.json

Exit code 1 when any mutant raised an uncaught exception.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.mutants import classify


def run(n: int, workers: int, first: int = 0, out: Path | None = None) -> dict:
    """Classify mutants ``first .. first+n-1``; return counts, timing and uncaught examples.

    With ``out``, the report so far is written there every 250 mutants (``"done"`` says
    how many), so a run stopped early still leaves its counts.
    """
    start = time.perf_counter()
    seeds = range(first, first + n)
    outcomes: list[tuple[str, str]] = []
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        results = pool.map(classify, seeds, chunksize=25) if pool else map(classify, seeds)
        for outcome in results:
            outcomes.append(outcome)
            if out and len(outcomes) % 250 == 0:
                _write(out, _report(outcomes, n, first, workers, start))
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    report = _report(outcomes, n, first, workers, start)
    if out:
        _write(out, report)
    return report


def _report(outcomes: list, n: int, first: int, workers: int, start: float) -> dict:
    counts = Counter(kind for kind, _ in outcomes)
    uncaught = [(first + i, detail) for i, (kind, detail) in enumerate(outcomes) if kind == "uncaught"]  # fmt: skip
    kinds = Counter(detail.split(":")[0] for _, detail in uncaught)
    return {
        "mutants": n,
        "done": len(outcomes),
        "first_seed": first,
        "accepted": counts.get("accepted", 0),
        "rejected": counts.get("rejected", 0),
        "uncaught": counts.get("uncaught", 0),
        "uncaught_kinds": dict(kinds.most_common()),
        "uncaught_examples": [{"seed": s, "error": d} for s, d in uncaught[:20]],
        "seconds": round(time.perf_counter() - start, 1),
        "workers": workers,
        "peak_rss_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_mb_workers": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "python": platform.python_version(),
        "command": "python -m benchmarks.fuzz " + " ".join(sys.argv[1:]),
    }


def _write(out: Path, report: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz target from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of mutants")
    parser.add_argument("--first", type=int, default=0, help="first seed")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--out", type=Path, help="write the JSON result here")
    args = parser.parse_args(argv)
    report = run(args.n, args.workers, args.first, args.out)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 1 if report["uncaught"] else 0


if __name__ == "__main__":
    sys.exit(main())
