"""The links of a scenario, listed once per scenario object, are those a fresh listing gives."""

from __future__ import annotations

from pathlib import Path

from symbio.flows.candidates import _list_links, all_links
from symbio.flows.overrides import apply_overrides

PARK = Path(__file__).resolve().parents[2] / "scenarios/examples/small-park.yaml"


def test_each_variant_gets_its_own_links() -> None:
    a = apply_overrides(PARK, {})
    gen = a.candidate_links[0]
    b = apply_overrides(PARK, {f"candidate_links[{gen.id}].max_km": 0.001})
    first = all_links(a)
    assert all_links(a) == first == _list_links(a)
    assert all_links(a) is not first  # a new list each time: the caller may change it
    links_b = all_links(b)
    assert links_b == _list_links(b)
    assert len(links_b) < len(first)  # b's generator makes fewer candidates: not a's list
    assert all_links(a) == _list_links(a)
