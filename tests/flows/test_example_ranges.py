"""The teaching parks: every estimated number has a range, and the ranges change no value."""

from __future__ import annotations

import subprocess
import sys

import pytest
from teaching_copies import bare

from symbio.flows.load import load_scenario
from symbio.flows.provenance import provenance_summary
from symbio.paths import scenarios_dir

EXAMPLES = sorted((scenarios_dir() / "examples").glob("*.yaml"))
SCRIPT = scenarios_dir().parent / "data" / "scip" / "make_example_ranges.py"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_no_example_number_is_an_estimate_without_a_range(path) -> None:  # noqa: ANN001
    summary = provenance_summary(load_scenario(path))
    assert summary["unranged"] == 0 and summary["counts"]["none"] == 0
    assert summary["ranged"] == summary["counts"]["estimate"] > 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_generated_block_changes_no_value(path) -> None:  # noqa: ANN001
    with_block = load_scenario(path).model_dump(exclude={"estimates", "sources"})
    without = load_scenario(bare(path.name)).model_dump(exclude={"estimates", "sources"})
    assert with_block == without


def test_every_entry_is_the_teaching_judgement() -> None:
    for path in EXAMPLES:
        for key, est in load_scenario(path).estimates.items():
            if est.group == "teaching":
                assert est.method.startswith("illustrative teaching value, hand-chosen"), key
                # ±50 %: the value lies at the middle of its range
                low, high = sorted((est.low, est.high))
                assert low < high and high / low == pytest.approx(3.0, rel=2e-3) or low < 0, key


def test_generated_blocks_are_up_to_date() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
