"""``summary.json``'s KPI entries and a sweep record's KPIs, read from column lists, equal
what the pandas reading gave (``set_index("kpi")[col].to_dict()``, ``itertuples``).

The reference functions below are the code as it was; each test compares the two on a
solved result, on the same result read back from its directory, and on a KPI table with
the awkward cases (NaN, infinities, a repeated KPI name, object and string columns).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import symbio
from symbio.results import _clean, read_result
from symbio.sweep.adapter import _number, park_kpis

PAIR = Path(__file__).resolve().parents[1] / "scenarios/examples/hydrogen-pair.yaml"
KEYS = ("kpis", "baseline_kpis", "savings", "units")


def reference_entries(kpis: pd.DataFrame) -> dict:
    """The four KPI entries of ``summary.json`` as the pandas reading gave them."""
    k = kpis.set_index("kpi")
    return _clean(
        {
            "kpis": k["optimized"].to_dict(),
            "baseline_kpis": k["baseline"].to_dict(),
            "savings": {
                n: {"abs": a, "pct": pct}
                for n, a, pct in zip(
                    k.index, k["saving"].tolist(), k["saving_pct"].tolist(), strict=True
                )
            },
            "units": k["unit"].to_dict(),
        }
    )


def reference_park_kpis(kpis: pd.DataFrame) -> dict[str, float]:
    """The sweep record's KPIs as ``itertuples`` gave them."""
    out: dict[str, float] = {}
    for row in kpis.itertuples(index=False):
        for case, key in (("optimized", row.kpi), ("baseline", f"{row.kpi}.baseline")):
            value = _number(getattr(row, case))
            if value is not None:
                out[key] = value
    return out


def _text(value: object) -> str:
    """Keys, order, each value's type and ``repr`` (``-0.0`` and ``0.0`` differ)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_text(v)}" for k, v in value.items()) + "}"
    return f"{type(value).__name__}:{value!r}"


def _check(result: object) -> None:
    summary = result.summary()
    assert _text({k: summary[k] for k in KEYS}) == _text(reference_entries(result.kpis))
    got, want = park_kpis(result.kpis), reference_park_kpis(result.kpis)
    assert [(k, repr(v)) for k, v in got.items()] == [(k, repr(v)) for k, v in want.items()]


@pytest.fixture(scope="module")
def solved() -> object:
    return symbio.solve(PAIR)


def test_a_solved_result_and_the_same_read_back(solved: object, tmp_path: Path) -> None:
    _check(solved)
    _check(read_result(solved.write(tmp_path / "r")))


def test_awkward_kpi_tables(solved: object) -> None:
    kpis = pd.DataFrame(
        {
            "kpi": ["a", "b", "a", "c", "d"],  # "a" twice: the last row counts
            "unit": ["t", None, "CNY", "t", "t"],
            "baseline": [1.0, math.nan, 3.0, math.inf, -0.0],
            "optimized": [0.5, 2.0, -math.inf, 1e-300, 5e-324],
            "saving": [0.5, math.nan, math.inf, -math.inf, 0.0],
            "saving_pct": [50.0, math.nan, math.nan, math.nan, math.nan],
        }
    )
    variants = [
        kpis,
        kpis.astype({"kpi": object, "unit": object}),
        kpis.astype({"kpi": "string", "unit": "string"}),
        kpis.astype({"baseline": object}),  # Python floats in an object column
        kpis.assign(optimized=np.arange(5, dtype=np.int64)),  # ints
    ]
    for frame in variants:
        _check(replace(solved, kpis=frame))
