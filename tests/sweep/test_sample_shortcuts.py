"""The per-sample shortcuts of a sweep run give what the full path gives.

Each test here fails when its shortcut is wrong: the shortcut's answer is compared with the
plain computation, including a case where the shortcut must not apply.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from symbio.sweep.execute import run_one
from symbio.sweep.runspec import RunOptions, RunSpec

HYDROGEN_PAIR = Path(__file__).resolve().parents[2] / "scenarios/examples/hydrogen-pair.yaml"


class _Node:
    """An object in a reference cycle (only the collector frees it)."""

    def __init__(self) -> None:
        self.me = self


#: Weak references to the cycles the runner below made.
MADE: list[weakref.ref] = []


def cycle_runner(scenario: object, options: RunOptions, out: Path) -> dict:
    """A runner that leaves a reference cycle behind and checks nothing."""
    MADE.append(weakref.ref(_Node()))
    return {"status": "ok"}


def test_a_run_frees_its_cycles_and_leaves_nothing_frozen() -> None:
    """The run's garbage is collected at its end; objects alive before it are not left
    frozen (a cycle dropped before the run is collectable afterwards)."""
    before = _Node()
    ref_before = weakref.ref(before)
    del before  # garbage now, freed only by the collector
    spec = RunSpec(
        "r1", str(HYDROGEN_PAIR), {}, RunOptions(score=False, runner=f"{__name__}:cycle_runner")
    )
    out = run_one(spec)
    assert out.record.status == "ok", out.record.message
    assert MADE and MADE[-1]() is None  # the run's own cycle: freed at the run's end
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert ref_before() is None  # not stuck in the permanent generation
