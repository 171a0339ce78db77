"""The indicator library: bundled content, validation errors, evaluation."""

from __future__ import annotations

import math

import pytest

from symbio.errors import InputError
from symbio.scoring import AREAS, LibraryError, evaluate_indicators, load_library

GOOD = """
indicators:
  - id: reuse
    name: {zh: 重复利用率, en: Reuse rate}
    area: resource_energy_efficiency
    unit: "%"
    direction: higher_better
    level: [park, enterprise]
    formula: 100 * reused_water_t / water_use_t
    benchmarks:
      I: {value: 90, source: "G 2016"}
      II: {value: 85, source: "L24"}
      III: {value: 75, source: "HJ 274-2015 (value from secondary source, to verify)"}
    source: HJ 274-2015
"""


def test_bundled_library_covers_six_areas_and_three_levels(library):
    assert library.areas() == list(AREAS)
    assert all(len(library.for_level(lv)) for lv in ("park", "network", "enterprise"))
    assert {i.id for i in library if i.limiting} >= {
        "energy_intensity",
        "key_enterprise_audit_rate",
    }


def test_bundled_sources_are_explicit(library):
    for ind in library:
        for g, b in ind.benchmarks.items():
            src = b.source
            assert src, (ind.id, g)
            # a value read from a secondary copy of a standard is flagged as such
            if src.startswith("HJ 274") and "Shandong" not in src:
                assert "to verify" in src, (ind.id, g, src)
            if src.startswith("G 2016"):
                assert "to verify" in src, (ind.id, g, src)
        assert ind.thresholds() == tuple(ind.benchmarks[g].value for g in ("I", "II", "III"))


def test_bundled_estimates_are_marked(library):
    estimates = [b for ind in library for b in ind.benchmarks.values() if b.is_estimate]
    assert estimates and all(b.source.startswith("estimate:") for b in estimates)


def test_evaluation_and_not_available(tmp_path):
    p = tmp_path / "lib.yaml"
    p.write_text(GOOD, encoding="utf-8")
    lib = load_library(p)
    df = evaluate_indicators(lib, {"reused_water_t": 80, "water_use_t": 100})
    row = df.iloc[0]
    assert (row["value"], row["available"], row["level_met"]) == (80.0, True, "III")
    df = evaluate_indicators(lib, {"reused_water_t": 80, "water_use_t": 0})
    assert math.isnan(df.iloc[0]["value"]) and "division by zero" in df.iloc[0]["reason"]
    df = evaluate_indicators(lib, {"water_use_t": 10})
    assert not df.iloc[0]["available"] and "reused_water_t" in df.iloc[0]["reason"]


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (
            ("area: resource_energy_efficiency", "area: energy"),
            "indicators[0].area",
            "unknown area",
        ),
        (
            ("direction: higher_better", "direction: up"),
            "indicators[0].direction",
            "expected one of",
        ),
        (("I: {value: 90", "I: {value: 80"), "indicators[0].benchmarks", "ordered I >= II >= III"),
        (
            ("formula: 100 * reused_water_t / water_use_t", "formula: __import__('os')"),
            "indicators[0].formula",
            "only min",
        ),
        (
            (
                'III: {value: 75, source: "HJ 274-2015 (value from secondary source, to verify)"}',
                "III: {value: 75}",
            ),
            "indicators[0].benchmarks.III",
            "source is required",
        ),
        (
            ('II: {value: 85, source: "L24"}', 'II: {value: 85, source: "estimate: between"}'),
            "indicators[0].benchmarks.II",
            "needs its plausible range",
        ),
        (
            ('II: {value: 85, source: "L24"}', 'II: {value: 85, range: [86, 89], source: "L24"}'),
            "indicators[0].benchmarks.II",
            "must hold the value 85",
        ),
        (
            ('II: {value: 85, source: "L24"}', 'II: {value: 85, range: [80], source: "e"}'),
            "indicators[0].benchmarks.II",
            "two finite numbers",
        ),
        (
            ('II: {value: 85, source: "L24"}', 'II: {value: 85, range: [80, x], source: "e"}'),
            "indicators[0].benchmarks.II",
            "two finite numbers",
        ),
        (
            ('II: {value: 85, source: "L24"}', 'II: {value: 85, low: 80, source: "e"}'),
            "indicators[0].benchmarks.II",
            "unknown field 'low'",
        ),
        (("level: [park, enterprise]", "level: [city]"), "indicators[0].level", "expected any of"),
        (
            ("    source: HJ 274-2015\n", "    source: HJ 274-2015\n    weight: 3\n"),
            "indicators[0].weight",
            "unknown field",
        ),
    ],
)
def test_validation_names_file_and_field(tmp_path, edit, field, message):
    p = tmp_path / "lib.yaml"
    p.write_text(GOOD.replace(*edit), encoding="utf-8")
    with pytest.raises(LibraryError) as err:
        load_library(p)
    text = str(err.value)
    assert str(p) in text and field in text and message in text
    assert isinstance(err.value, InputError)


def test_duplicate_ids_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(LibraryError, match="duplicate id 'reuse'"):
        load_library(tmp_path)


def test_range_is_read(tmp_path):
    """A range on an estimate (and on a cited value) is kept as (low, high)."""
    p = tmp_path / "lib.yaml"
    est = 'II: {value: 85, range: [80, 88.5], source: "estimate: between I and III"}'
    p.write_text(GOOD.replace('II: {value: 85, source: "L24"}', est), encoding="utf-8")
    (ind,) = load_library(p)
    assert ind.benchmarks["II"].range == (80.0, 88.5)
    assert ind.benchmarks["II"].is_estimate
    assert ind.benchmarks["I"].range is None


def test_missing_library(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_library(tmp_path / "nope.yaml")
