"""Issue 13, defect 8: ``kill -9`` of a sweep's main process leaves no worker running."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _sweep_file(tmp_path: Path) -> Path:
    """A grid of 400 runs of the small park: long enough to be killed mid-way."""
    base = ROOT / "scenarios" / "examples" / "small-park.yaml"
    (tmp_path / "park.yaml").write_text(base.read_text(encoding="utf-8"), encoding="utf-8")
    prices = ", ".join(str(p) for p in range(0, 400))
    f = tmp_path / "sweep.yaml"
    f.write_text(
        f"base: park.yaml\nname: long grid\ngrid:\n  policy.carbon_price_cny_t: [{prices}]\n"
        "score: false\n"
    )
    return f


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process tree via /proc")
def test_workers_die_with_a_killed_sweep(tmp_path: Path) -> None:
    code = "from symbio.cli.app import entry; entry()"
    argv = [sys.executable, "-c", code, "sweep", str(_sweep_file(tmp_path))]
    argv += ["--out", str(tmp_path / "out"), "--workers", "2", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    main = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            runs = tmp_path / "out" / "runs"
            if runs.is_dir() and sum(1 for _ in runs.glob("*/record.json")) >= 2:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the sweep did not start its runs in 120 s")
        tree = psutil.Process(main.pid).children(recursive=True)
        assert len(tree) >= 2, "expected a fork server and workers"
        os.kill(main.pid, signal.SIGKILL)
        main.wait(timeout=10)
        gone, alive = psutil.wait_procs(tree, timeout=20)
        assert not alive, f"left running: {[(p.pid, p.name()) for p in alive]}"
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for p in tree:  # only the processes this test started
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
