"""Timeline of a command's process tree: CPU used and CPU wanted, per time bin, with its output.

    python benchmarks/pilot_timeline.py [--bin 0.5] -- env PYTHONUNBUFFERED=1 python -m symbio pilot --out /tmp/p

Every 50 ms it reads ``/proc/<pid>/schedstat`` of every process of the tree (this script is
the tree's child sub-reaper, as in ``tree_cpu.py``, so a fork server's workers stay in it):
time on a CPU and time waiting for one (runnable but not running). Per bin it prints the
cores the tree used and the cores it *wanted* (running + runnable): on a loaded machine the
first falls while the second stays, so "wanted" tells how well the job's own work packs on
two cores whatever the load of others; below 2 the job leaves a core idle on a quiet machine.
Lines the command prints are shown at the time they arrived. The last line also estimates
the wall time alone on two cores (:func:`quiet_wall`): an estimate for a loaded machine, not a
measurement.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from tree_cpu import adopt_orphans, reap  # noqa: E402

PERIOD = 0.05


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(root: int) -> list[int]:
    kids, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids.get(pid, [])
    return out


def _sample(root: int) -> dict[int, tuple[int, int]]:
    got = {}
    for pid in _tree(root):
        if pid == root:
            continue
        try:
            run, wait, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
        except (OSError, ValueError):
            continue
        got[pid] = (int(run), int(wait))
    return got


def main() -> int:
    """Run the command and print its timeline."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", type=float, default=0.5)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    if not adopt_orphans():
        return 2
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        args.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[tuple[float, str]] = []

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append((time.perf_counter() - t0, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    last: dict[int, tuple[int, int]] = {}
    samples: list[tuple[float, int, int]] = []  # time, cumulative run ns, cumulative wait ns
    total_run = total_wait = 0
    while proc.poll() is None or _tree(os.getpid())[1:]:
        now = _sample(os.getpid())
        for pid, (run, wait) in now.items():
            r0, w0 = last.get(pid, (0, 0))
            total_run += max(run - r0, 0)
            total_wait += max(wait - w0, 0)
        last.update(now)
        samples.append((time.perf_counter() - t0, total_run, total_wait))
        time.sleep(PERIOD)
        if proc.poll() is not None:
            reap()
            break
    reader.join(timeout=5)
    _print(samples, lines, args.bin)
    return proc.returncode or 0


def quiet_wall(samples: list[tuple[float, int, int]], cores: int = 2) -> float:
    """The wall seconds the same work would take alone on ``cores`` cores, estimated sample by
    sample: the CPU the tree used in it, at as many cores as it wanted (at most ``cores``);
    a sample in which it wanted none (waiting on something outside) counts as it was."""
    total, prev = 0.0, (0.0, 0, 0)
    for t, run, wait in samples:
        used, wanted = (run - prev[1]) / 1e9, (run - prev[1] + wait - prev[2]) / 1e9
        dt = t - prev[0]
        total += used / min(wanted / dt, cores) if dt and wanted / dt >= 0.05 else dt
        prev = (t, run, wait)
    return total


def _print(samples, lines, width: float) -> None:  # noqa: ANN001
    print(f"{'t (s)':>6} {'used':>5} {'wanted':>6}  output")
    edge, prev, i = width, (0.0, 0, 0), 0
    idle = 0.0
    for t, run, wait in samples:
        if t < edge and (t, run, wait) != samples[-1]:
            continue
        dt = t - prev[0]
        used = (run - prev[1]) / 1e9 / dt if dt else 0.0
        wanted = (run - prev[1] + wait - prev[2]) / 1e9 / dt if dt else 0.0
        idle += max(0.0, 2 - wanted) * dt
        said = []
        while i < len(lines) and lines[i][0] <= t:
            said.append(lines[i][1][:70])
            i += 1
        print(f"{t:6.1f} {used:5.2f} {wanted:6.2f}  " + (" | ".join(said) if said else ""))
        prev = (t, run, wait)
        edge = t + width
    print(f"tree CPU {samples[-1][1] / 1e9:.1f} s, wall {samples[-1][0]:.1f} s, "
          f"core-seconds a quiet 2-core machine would leave idle: {idle:.1f}, "
          f"its wall estimated: {quiet_wall(samples):.1f} s")  # fmt: skip
    for t, line in lines[i:]:
        if line.startswith("tree") or "briefing" in line:
            print(f"{t:6.1f} {line[:100]}")


if __name__ == "__main__":
    sys.exit(main())
