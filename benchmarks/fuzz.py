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


def run(n: int, workers: int, first: int = 0) -> dict:
    """Classify mutants ``first .. first+n-1``; return counts, timing and uncaught examples."""
    start = time.perf_counter()
    seeds = range(first, first + n)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(classify, seeds, chunksize=50))
    else:
        outcomes = [classify(s) for s in seeds]
    counts = Counter(kind for kind, _ in outcomes)
    uncaught = [(seed, detail) for seed, (kind, detail) in zip(seeds, outcomes, strict=True) if kind == "uncaught"]  # fmt: skip
    kinds = Counter(detail.split(":")[0] for _, detail in uncaught)
    return {
        "mutants": n,
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


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz target from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of mutants")
    parser.add_argument("--first", type=int, default=0, help="first seed")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--out", type=Path, help="write the JSON result here")
    args = parser.parse_args(argv)
    report = run(args.n, args.workers, args.first)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if report["uncaught"] else 0


if __name__ == "__main__":
    sys.exit(main())
