"""Property: a scenario mutated at random is valid or a ScenarioError, never another exception."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario, scenario_from_data
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import read_yaml
from symbio.paths import scenarios_dir

SMALL_PARK = scenarios_dir() / "examples" / "small-park.yaml"

#: Replacement values of every type a YAML file can hold.
ODD_VALUES = [
    None,
    "",
    "text",
    "h2",
    0,
    7,
    -3.5,
    1e300,
    True,
    [],
    {},
    [1, "a"],
    {"x": 1},
    {"factor": "grid_electricity_co2"},
    {"factor": 5},
    {"remove": True},
]
#: Names a renamed key may take: typos, other fields, reserved words.
ODD_KEYS = ["idd", "amount", "id", "resource", "from", "to", "remove", "factor", "extends", "x"]


def _base() -> dict:
    located = read_yaml(SMALL_PARK, [])
    assert located is not None
    return located.data


BASE = _base()


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    """Every path to a value inside ``node`` (the root excluded)."""
    out = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return out
    for key, value in items:
        out.append((*path, key))
        out += _paths(value, (*path, key))
    return out


def _parent(data: object, path: tuple) -> object:
    node = data
    for key in path[:-1]:
        node = node[key]
    return node


def _mutate(data: dict, draw: st.DataObject) -> None:
    paths = _paths(data)
    if not paths:
        return
    path = draw.draw(st.sampled_from(paths), label="path")
    parent, key = _parent(data, path), path[-1]
    op = draw.draw(
        st.sampled_from(["delete", "retype", "rename", "duplicate", "negate"]), label="op"
    )
    if op == "delete":
        del parent[key]
    elif op == "retype":
        parent[key] = copy.deepcopy(draw.draw(st.sampled_from(ODD_VALUES), label="value"))
    elif op == "rename" and isinstance(parent, dict):
        new = draw.draw(st.sampled_from([*ODD_KEYS, f"{key}x"]), label="key")
        parent[new] = parent.pop(key)
    elif op == "duplicate":
        target = parent[key] if isinstance(parent[key], list) else parent
        if isinstance(target, list) and target:
            target.append(copy.deepcopy(draw.draw(st.sampled_from(target), label="item")))
    elif op == "negate":
        value = parent[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            parent[key] = -value if value else -1


def _check(result: object) -> None:
    assert isinstance(result, Scenario)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_mutated_scenario_is_valid_or_a_scenario_error(data: st.DataObject) -> None:
    scenario = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        _mutate(scenario, data)
    through_file = data.draw(st.booleans(), label="through a file")
    try:
        if through_file:
            with tempfile.TemporaryDirectory() as tmp:
                file = Path(tmp) / "mutated.yaml"
                file.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
                _check(load_scenario(file))
        else:
            _check(scenario_from_data(scenario, None, "mutated.yaml"))
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError must list at least one problem"
        for p in exc.problems:
            assert p.file and p.message


VARIANT = read_yaml(SMALL_PARK.parent / "small-park-carbon-200.yaml", []).data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_variant_is_valid_or_a_scenario_error(data: st.DataObject) -> None:
    variant = copy.deepcopy(VARIANT)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        _mutate(variant, data)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "small-park.yaml").write_text(SMALL_PARK.read_text(encoding="utf-8"))
        file = Path(tmp) / "variant.yaml"
        file.write_text(yaml.safe_dump(variant, allow_unicode=True), encoding="utf-8")
        try:
            _check(load_scenario(file))
        except ScenarioError as exc:
            assert exc.problems


def test_base_of_the_mutations_is_valid() -> None:
    # The property above would pass vacuously if the base itself were invalid.
    assert isinstance(scenario_from_data(copy.deepcopy(BASE), None, "base.yaml"), Scenario)


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_every_odd_value_at_the_root_is_a_scenario_error(value: object) -> None:
    with pytest.raises(ScenarioError):
        scenario_from_data(value, None, "root.yaml")
