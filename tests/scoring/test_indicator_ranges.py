"""The bundled indicator library: every estimated benchmark has a plausible range (build item 3)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from symbio.scoring import load_library

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "data" / "indicators"


def _benchmarks(lib):
    for ind in lib:
        grades = dict(ind.benchmarks)
        if ind.floor is not None:
            grades["floor"] = ind.floor
        for g, b in grades.items():
            yield ind, g, b


def test_bundled_library_has_no_estimate_without_a_range():
    lib = load_library(LIBRARY)
    estimates = [(i.id, g) for i, g, b in _benchmarks(lib) if b.is_estimate]
    missing = [(i.id, g) for i, g, b in _benchmarks(lib) if b.is_estimate and b.range is None]
    assert len(estimates) == 69  # benchmark values (I/II/III and floors) marked "estimate:"
    assert missing == []


def test_each_range_holds_its_value_and_says_its_method():
    for ind, g, b in _benchmarks(load_library(LIBRARY)):
        if b.range is None:
            continue
        low, high = b.range
        assert low <= b.value <= high and low < high, (ind.id, g)
        assert "range (judgement" in b.source, (ind.id, g)
        if ind.unit == "%":
            assert low >= 0 and high <= 100, (ind.id, g)


def test_level_order_holds_for_the_ranges_central_values():
    """I better than II better than III also for the midpoints of the ranges (they may overlap)."""
    for ind in load_library(LIBRARY):
        mid = [
            sum(b.range) / 2 if b.range else b.value
            for b in (ind.benchmarks[g] for g in ("I", "II", "III"))
        ]
        s = 1 if ind.direction == "higher_better" else -1
        assert s * mid[0] >= s * mid[1] >= s * mid[2], (ind.id, mid)


def test_range_script_finds_nothing_to_add():
    """``add_ranges.py --check`` exits 1 when an estimated benchmark has no range."""
    script = LIBRARY / "add_ranges.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_range_script_regenerates_the_bundled_ranges(tmp_path):
    """Strip the ranges and their method text: ``--check`` fails, a run restores the file."""
    bundled = (LIBRARY / "park.yaml").read_text(encoding="utf-8")
    stripped = re.sub(r"range: \[[^\]]*\], ", "", bundled)
    stripped = re.sub(r'; range \(judgement, level spacing\)[^"]*"', '"', stripped)
    copy = tmp_path / "park.yaml"
    copy.write_text(stripped, encoding="utf-8")
    script = str(LIBRARY / "add_ranges.py")
    check = subprocess.run([sys.executable, script, str(copy), "--check"], capture_output=True)
    assert check.returncode == 1
    subprocess.run([sys.executable, script, str(copy)], check=True, capture_output=True)
    assert copy.read_text(encoding="utf-8") == bundled
