"""Every number of the SCIP scenarios is cited, a factor, or an estimate with a range.

Also the field-path ``sources`` table, list-item paths (``xy_km[0]``) and the generated
blocks of ``data/scip/make_ranges.py``.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario
from symbio.flows.overrides import apply_overrides
from symbio.flows.provenance import provenance_summary, uncertain_numbers
from symbio.paths import scenarios_dir
from symbio.sweep.uncertainty import factors

SCIP = sorted((scenarios_dir() / "scip").glob("*.yaml"))
BASE = (scenarios_dir() / "examples" / "small-park.yaml").resolve()
MAKER = Path(__file__).resolve().parents[2] / "data" / "scip" / "make_ranges.py"


@pytest.mark.parametrize("path", SCIP, ids=lambda p: p.name)
def test_no_scip_number_is_an_estimate_without_a_range(path: Path) -> None:
    summary = provenance_summary(load_scenario(path))
    assert summary["unranged"] == 0
    assert summary["counts"]["none"] == 0
    # every ranged number is counted as an estimate: ranged + cited + factor = all numbers
    assert summary["counts"]["estimate"] == summary["ranged"]


def test_robustness_factors_stay_within_the_pilot_budget() -> None:
    # the pilot samples 80 runs; the sensitivity needs N >= 2(k + 1), so k <= 38
    scenario = load_scenario(scenarios_dir() / "scip" / "symbiosis-2025.yaml")
    assert len(factors(uncertain_numbers(scenario))) <= 38


def test_generated_blocks_are_current() -> None:
    spec = importlib.util.spec_from_file_location("make_ranges", MAKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.main(["--check"]) == 0


def test_link_length_range_is_straight_line_to_grid_route() -> None:
    scenario = load_scenario(scenarios_dir() / "scip" / "symbiosis-2025.yaml")
    est = scenario.estimates["links[h2_hub_co2park].length_km"]
    # h2_hub (4.6, 2.0) to co2_park (0.8, 0.8): straight line sqrt(3.8² + 1.2²) = 3.985 km,
    # grid route 3.8 + 1.2 = 5.0 km (the value), high 1.3 x 5.0 = 6.5 km
    assert scenario.links[[lk.id for lk in scenario.links].index("h2_hub_co2park")].length_km == 5.0
    assert est.low == pytest.approx(math.hypot(3.8, 1.2), abs=0.01)
    assert est.high == pytest.approx(6.5)
    assert est.group == "geography"


def _variant(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "v.yaml"
    path.write_text(f"extends: {BASE}\n{body}", encoding="utf-8")
    return path


def test_sources_table_counts_a_number_as_cited(tmp_path: Path) -> None:
    body = 'sources:\n  markets[hcl_acid_sale].sell_cny: "a quote"\n'
    base = provenance_summary(load_scenario(BASE))
    summary = provenance_summary(load_scenario(_variant(tmp_path, body)))
    assert summary["counts"]["source"] == base["counts"]["source"] + 1
    assert summary["unranged"] == base["unranged"] - 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('sources:\n  processes[nope].capex_cny: "x"\n', "no record 'nope'"),
        (
            "estimates:\n  policy.discount_rate: {method: m, low: 0.05, high: 0.1}\n"
            'sources:\n  policy.discount_rate: "x"\n',
            "listed in estimates as well",
        ),
    ],
)
def test_bad_sources_entries_are_located(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ScenarioError) as err:
        load_scenario(_variant(tmp_path, body))
    assert message in str(err.value)


def test_position_items_are_paths(tmp_path: Path) -> None:
    path = scenarios_dir() / "scip" / "baseline-2021.yaml"
    scenario = apply_overrides(path, {"sites[covestro].xy_km[0]": 1.7})
    assert scenario.site("covestro").xy_km == (1.7, 2.2)
    # the override is the user's choice: its range is dropped
    assert "sites[covestro].xy_km[0]" not in scenario.estimates


def test_entries_of_a_removed_record_are_dropped() -> None:
    # no-symbiosis.yaml removes water_reuse; the base's entries for it would name nothing
    scenario = load_scenario(scenarios_dir() / "scip" / "no-symbiosis.yaml")
    assert not [p for p in [*scenario.estimates, *scenario.sources] if "[water_reuse]" in p]
