"""Compare two robustness-study output directories file by file (proof of sameness).

Every file must be byte-identical except the fields that hold times or the worker's name:

* ``robust.json``: ``seconds`` (the study's wall time);
* ``sweep/runs/*/record.json`` and ``sweep/index.csv``: ``seconds``, ``cpu_seconds``,
  ``runner_seconds``, ``runner_cpu_seconds``, ``worker``;
* ``*/summary.json``: ``timings`` and the ``*seconds`` fields of ``canonical_flows``
  and ``audit``.

Usage::

    python benchmarks/compare_robust.py A_DIR B_DIR [--same A_TEXT B_TEXT ...]

``--same A_TEXT B_TEXT``: B's files say ``B_TEXT`` where A's say ``A_TEXT`` (two checkouts'
paths, say); replaced in B's bytes before comparing.

Prints each file that differs beyond those fields (and the fields that differ), and a count of
the files whose only differences are timing fields. Exit status 1 when any file differs.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

#: Fields that record times or the worker process, never results.
TIME_KEYS = {"seconds", "cpu_seconds", "runner_seconds", "runner_cpu_seconds", "worker", "timings"}


def _strip(value: object, path: str, dropped: dict[str, object]) -> object:
    """``value`` without its timing fields; their dotted paths and values go into ``dropped``."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in TIME_KEYS or k.endswith("_seconds"):
                dropped[f"{path}.{k}".lstrip(".")] = v
                continue
            out[k] = _strip(v, f"{path}.{k}", dropped)
        return out
    if isinstance(value, list):
        return [_strip(v, path, dropped) for v in value]
    return value


def _strip_csv(data: bytes, dropped: dict[str, object]) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    if not rows:
        return rows
    keep = [i for i, name in enumerate(rows[0]) if name not in TIME_KEYS]
    for i, name in enumerate(rows[0]):
        if name in TIME_KEYS:
            dropped[name] = [r[i] for r in rows[1:] if i < len(r)]
    return [[r[i] for i in keep if i < len(r)] for r in rows]


def compare(
    a: Path, b: Path, texts: list[tuple[bytes, bytes]] = ()
) -> tuple[list[str], dict[str, set[str]]]:
    """Files that differ (with why) and, per file name, the timing fields that were ignored."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    problems = [f"only in {a}: {f}" for f in sorted(files_a - files_b)]
    problems += [f"only in {b}: {f}" for f in sorted(files_b - files_a)]
    ignored: dict[str, set[str]] = {}
    for rel in sorted(files_a & files_b):
        da, db = (a / rel).read_bytes(), (b / rel).read_bytes()
        for text_a, text_b in texts:
            db = db.replace(text_b, text_a)
        if da == db:
            continue
        ta: dict[str, object] = {}
        tb: dict[str, object] = {}
        if rel.endswith(".json"):
            same = _strip(json.loads(da), "", ta) == _strip(json.loads(db), "", tb)
        elif rel.endswith("index.csv"):
            same = _strip_csv(da, ta) == _strip_csv(db, tb)
        else:
            same = False
        if same:
            differing = {k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k)}
            ignored.setdefault(Path(rel).name, set()).update(differing)
        else:
            problems.append(f"differs: {rel}")
    return problems, ignored


def main(argv: list[str]) -> int:
    """Compare ``argv[0]`` and ``argv[1]``; print the differences; 1 when any."""
    a, b = Path(argv[0]), Path(argv[1])
    rest = argv[2:]
    same = [(rest[i + 1].encode(), rest[i + 2].encode()) for i in range(0, len(rest), 3)
            if rest[i] == "--same"]  # fmt: skip
    problems, ignored = compare(a, b, same)
    for p in problems:
        print(p)
    n = sum(1 for p in a.rglob("*") if p.is_file())
    print(f"{n} files in {a}; {len(problems)} differ")
    for name, fields in sorted(ignored.items()):
        print(f"  {name}: differ only in {', '.join(sorted(fields))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
