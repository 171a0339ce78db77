"""``dump_yaml_parts`` writes the same text as ``dump_yaml``, part by part, from a memo."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbio.flows.load import load_scenario
from symbio.flows.yamlsource import dump_yaml, dump_yaml_parts
from symbio.paths import scenarios_dir

SCENARIOS = sorted((scenarios_dir() / "scip").glob("*.yaml")) + [
    scenarios_dir() / "examples" / "small-park.yaml"
]


@pytest.mark.parametrize("file", SCENARIOS, ids=lambda p: p.stem)
def test_a_resolved_scenario_is_written_as_one_dump_writes_it(file: Path) -> None:
    data = load_scenario(file).model_dump(mode="json", by_alias=True, exclude_none=True)
    expected = dump_yaml(data)
    assert dump_yaml_parts(data) == expected
    assert dump_yaml_parts(data) == expected  # from the memo


def test_awkward_mappings_are_written_alike() -> None:
    data = {
        "plain": [{"id": "a", "x": 1.0}, {"id": "b", "note": "two\nlines", "y": None}],
        "Needs Quote: yes": [{"id": "c"}],
        "scalars": [1, 2.5, "three"],
        "mixed": [{"id": "d"}, 4],
        "empty_list": [],
        "empty_map": {},
        "nested": {"deep": [{"id": "e", "l": [1, 2]}]},
        "long": "word " * 40,
        "unicode": "上海化学工业区",
        "flag": True,
    }
    assert dump_yaml_parts(data) == dump_yaml(data)
    assert dump_yaml_parts({}) == dump_yaml({})


def test_a_changed_number_is_not_taken_from_the_memo() -> None:
    first = {"sites": [{"id": "a", "amount": 1.0}, {"id": "b", "amount": 2.0}]}
    dump_yaml_parts(first)
    second = {"sites": [{"id": "a", "amount": 1.0}, {"id": "b", "amount": 3.0}]}
    assert dump_yaml_parts(second) == dump_yaml(second)
    assert "amount: 3.0" in dump_yaml_parts(second)
    # 1 and 1.0 and True differ in YAML; the memo must keep them apart
    assert dump_yaml_parts({"x": [{"v": 1}]}) != dump_yaml_parts({"x": [{"v": 1.0}]})
    assert dump_yaml_parts({"x": [{"v": 1}]}) != dump_yaml_parts({"x": [{"v": True}]})


def test_a_variant_sees_an_edit_of_its_base_file(tmp_path: Path) -> None:
    """The base tree kept between variants is read again once a file of it changes."""
    from symbio.flows.overrides import apply_overrides

    base = tmp_path / "base.yaml"
    child = tmp_path / "child.yaml"
    src = scenarios_dir() / "examples" / "hydrogen-pair.yaml"
    base.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    child.write_text("extends: base.yaml\n", encoding="utf-8")
    first = apply_overrides(child, {"policy.carbon_price_cny_t": 10})
    assert first.policy.carbon_price_cny_t == 10
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("en: ", "en: Edited ", 1), encoding="utf-8")  # same mtime, maybe
    again = apply_overrides(child, {"policy.carbon_price_cny_t": 10})
    assert again.name.en.startswith("Edited ")
    assert not first.name.en.startswith("Edited ")
