"""Every figure in data/ names its source (or says it is an estimate, or illustrative)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from symbio.paths import bundled_dir

DATA = bundled_dir("data")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _has_text(entry: dict, key: str = "source") -> bool:
    return isinstance(entry.get(key), str) and len(entry[key].strip()) > 3


@pytest.mark.parametrize("path", sorted((DATA / "factors").glob("*.yaml")), ids=lambda p: p.name)
def test_every_factor_has_a_source_and_confidence(path: Path) -> None:
    factors = _load(path)["factors"]
    assert factors
    bare = [k for k, f in factors.items() if not (_has_text(f) and _has_text(f, "confidence"))]
    assert bare == []


def test_every_gwp_set_and_pollution_equivalent_has_a_source() -> None:
    sets = _load(DATA / "gwp.yaml")["sets"]
    assert [k for k, s in sets.items() if not _has_text(s)] == []
    species = _load(DATA / "pollution-equivalents.yaml")["species"]
    assert [k for k, s in species.items() if not _has_text(s)] == []


def test_every_indicator_benchmark_is_cited_or_an_estimate() -> None:
    bare = []
    for ind in _load(DATA / "indicators" / "park.yaml")["indicators"]:
        bare += [
            f"{ind['id']}.{lv}" for lv, b in ind.get("benchmarks", {}).items() if not _has_text(b)
        ]
    assert bare == []


def test_plan_figures_name_their_section_and_checks_their_source() -> None:
    figures = _load(DATA / "scip" / "plan-2022-figures.yaml")
    assert _has_text(figures)
    blocks = [k for k, v in figures.items() if isinstance(v, dict) and k != "check_factors"]
    assert blocks and all(_has_text(figures[k], "section") for k in blocks)
    assert all(_has_text(f) for f in figures["check_factors"].values())


@pytest.mark.parametrize("path", sorted((DATA / "timeseries").glob("*.csv")), ids=lambda p: p.name)
def test_every_time_series_row_has_a_source(path: Path) -> None:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    assert [r for r in rows if not (r.get("source") or "").strip()] == []


def test_expert_panels_are_marked_illustrative() -> None:
    # the AHP and Delphi files are drawn by make_illustrative.py, not survey data
    assert _load(DATA / "experts" / "ahp_panel.yaml")["illustrative"] is True
