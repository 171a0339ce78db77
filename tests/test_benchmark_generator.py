"""The synthetic benchmark park generator (benchmarks/parks.py): deterministic, valid, sparse."""

from __future__ import annotations

import pytest

from benchmarks.parks import DESCRIPTION, candidate_link_counts, generate_park, park_data  # noqa: E402
from symbio.flows.checks import run_checks  # noqa: E402
from symbio.flows.yamlsource import Located  # noqa: E402


def test_same_seed_same_park_other_seed_other_park():
    a, b = generate_park(60, seed=3), generate_park(60, seed=3)
    assert a.model_dump(mode="json") == b.model_dump(mode="json")
    c = generate_park(60, seed=4)
    assert a.model_dump(mode="json") != c.model_dump(mode="json")


def test_small_park_is_valid_and_complete():
    data = park_data(30, seed=0)
    scenario = generate_park(30, seed=0)
    assert run_checks(scenario, "<generated>", Located(data)) == []
    assert len(scenario.sites) == 30
    assert DESCRIPTION in scenario.description.en
    assert "非真实数据" in scenario.description.zh
    assert [t.id for t in scenario.time_slices] == ["winter", "spring", "summer", "autumn"]
    assert sum(t.hours for t in scenario.time_slices) == pytest.approx(8760)
    resources = {r.id for r in scenario.resources}
    assert {
        "h2",
        "steam_hp",
        "steam_lp",
        "hcl",
        "co2",
        "wastewater",
        "hazwaste",
        "electricity",
        "natural_gas",
        "water",
    } <= resources
    assert {m.resource for m in scenario.markets} >= {"electricity", "natural_gas", "water"}
    assert all(m.site is None for m in scenario.markets)
    assert {d.resource for d in scenario.disposal} >= {"h2", "co2_raw", "wastewater", "hazwaste"}
    assert any(p.candidate for p in scenario.processes)
    assert any(p.id.startswith("boiler.") and not p.candidate for p in scenario.processes)
    counts = candidate_link_counts(scenario)
    assert set(counts) == {g.id for g in scenario.candidate_links}
    assert sum(counts.values()) > 0
    # every site carries a position and a zone
    assert all(s.xy_km is not None and s.zone for s in scenario.sites)
    xs = [s.xy_km[0] for s in scenario.sites]
    ys = [s.xy_km[1] for s in scenario.sites]
    assert min(xs) >= 0 and max(xs) <= 10 and min(ys) >= 0 and max(ys) <= 6


def test_larger_park_passes_every_check():
    data = park_data(300, seed=7)
    assert run_checks(generate_park(300, seed=7), "<generated>", Located(data)) == []


def test_candidate_links_per_site_stay_bounded():
    """No pair enumeration: candidate links grow linearly with the number of sites."""
    per_site = {}
    for n in (100, 400):
        scenario = generate_park(n, seed=1)
        per_site[n] = sum(candidate_link_counts(scenario).values()) / n
    assert per_site[400] < 1.5 * per_site[100]
    assert per_site[400] < 8.0  # a handful of links per site, not O(N)
    # and each sender has a handful of receivers per resource
    scenario = generate_park(400, seed=1)
    counts = candidate_link_counts(scenario)
    for g in scenario.candidate_links:
        senders = len(g.from_sites or [])
        assert counts[g.id] / senders <= 8.0, g.id


def test_too_small_park_is_refused():
    with pytest.raises(ValueError, match="at least"):
        park_data(5)
