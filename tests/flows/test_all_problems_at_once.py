"""Every problem of a file is reported in one run, without false follow-up errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario

PARK = """\
name: {en: several problems}
resources:
  - {id: h2, unit: t, name: {en: hydrogen}, colour: green}
  - {id: steam, unit: tonnes, name: {en: steam}}
sites:
  - id: cracker
    name: {en: cracker}
    supplies:
      - {resource: h2, amount: -5}
      - {resource: steam, amount: 10, quality: 3}
  - id: refinery
    name: {en: refinery}
    demands:
      - {resource: h3, amount: 6}
links:
  - {id: pipe, resource: h2, from: cracker, to: refinary}
  - {id: broken, resource: h2, from: cracker, to: refinery, capacity: none}
measures:
  - {id: m, name: {en: m}, members: [pipe, broken, ghost]}
"""


def _problems(tmp_path: Path, text: str) -> set[tuple[str, int | None, str]]:
    file = tmp_path / "park.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    return {(p.path, p.line, p.message.split(";")[0].split(" (")[0]) for p in info.value.problems}


def test_structural_and_reference_problems_together(tmp_path: Path) -> None:
    assert _problems(tmp_path, PARK) == {
        ("resources[h2].colour", 3, "unknown field 'colour'"),
        ("sites[cracker].supplies[h2].amount", 9, "must be greater than or equal to 0"),
        ("links[broken].capacity", 17, "must be a number"),
        # The checks still run on the well-formed rest of the file ...
        ("resources[steam].unit", 4, "undeclared unit 'tonnes'"),
        ("sites[cracker].supplies[steam].quality", 10, "resource 'steam' has no quality attribute"),
        ("sites[refinery].demands[h3].resource", 14, "resource 'h3' is not defined"),
        ("links[pipe].to", 16, "site 'refinary' is not defined"),
        ("measures[m].members[2]", 19, "link, process or generator 'ghost' is not defined"),
        # ... but do not report 'h2' or 'broken' as undefined: their records were set aside.
    }


def test_a_record_without_a_readable_id_silences_references_to_its_kind(tmp_path: Path) -> None:
    text = PARK.replace(
        "{id: h2, unit: t, name: {en: hydrogen}, colour: green}", "{id: [h2], unit: t}"
    )
    found = _problems(tmp_path, text)
    assert ("resources[0].id", 3, "must be text") in found
    assert not any("resource 'h2'" in msg for _, _, msg in found)


def test_duplicate_keys_are_reported_with_the_other_problems(tmp_path: Path) -> None:
    text = PARK.replace(
        "    name: {en: refinery}\n", "    name: {en: refinery}\n    name: {en: again}\n"
    )
    found = _problems(tmp_path, text)
    assert ("sites[refinery].name", 13, "duplicate key 'name'") in found
    assert ("links[pipe].to", 17, "site 'refinary' is not defined") in found
