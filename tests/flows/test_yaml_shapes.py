"""A part written from the template of its shape is the text a full dump writes.

:mod:`symbio.flows.yamldump` writes a record that differs from an earlier one only in its
numbers by putting the numbers' text into the earlier shape's text. Compared here with
``dump_yaml`` of the whole data: every robustness sample of SCIP's main scenario, awkward
numbers, and parts the template must not be used for.
"""

from __future__ import annotations

import math

import pytest

from symbio.flows import yamldump
from symbio.flows.yamldump import dump_yaml, dump_yaml_parts
from symbio.paths import scenarios_dir

AWKWARD = [0.0, -0.0, 1e-300, 5e-324, 1.7976931348623157e308, 1e16, 1e17, 1.5e17, 0.1, 1 / 3,
           -2.5e-7, 123456789012345678.0, 1e22, math.inf, -math.inf, math.nan, 0, -1, 7,
           10**20, -(10**19)]  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    yamldump._DUMPED.clear()
    yamldump._SHAPES.clear()


def _record(x: object, y: object) -> dict:
    return {"id": "p", "capacity": x, "inputs": {"a": y, "b": 2.0}, "xy_km": [x, y],
            "note": "long words " * 12, "flag": True, "none": None, "empty": []}  # fmt: skip


def test_awkward_numbers_are_written_as_a_dump_writes_them() -> None:
    for x in AWKWARD:
        for y in (1.0, x):
            data = {"processes": [_record(1.0, 1.0), _record(x, y)], "policy": {"rate": x}}
            assert dump_yaml_parts(data) == dump_yaml(data), (x, y)
    assert any(v is not None for v in yamldump._SHAPES.values())  # templates were used


def test_parts_the_template_must_not_write() -> None:
    shared = [1.0, 2.0]
    cases = [
        # the dump writes an anchor and an alias for a list held twice
        {"processes": [{"id": "a", "l": shared, "m": shared}]},
        # a string holding the mark
        {"processes": [{"id": "a", "x": 1.0, "s": f"a {yamldump._MARK} b"}]},
        {"processes": [{"id": "a", "x": 1.0, yamldump._MARK: 2.0}]},
        # a type the shape does not know
        {"processes": [{"id": "a", "x": (1.0, 2.0)}]},
    ]
    for data in cases:
        yamldump._DUMPED.clear()
        dump_yaml_parts({"processes": [{"id": "a", "l": [3.0, 4.0], "m": [3.0, 4.0]}]})
        assert dump_yaml_parts(data) == dump_yaml(data)
    yamldump._DUMPED.clear()
    assert "&id001" in dump_yaml_parts(cases[0])


def test_every_robustness_sample_is_written_as_a_dump_writes_it() -> None:
    """The resolved YAML of SCIP's robustness samples: part by part = one dump."""
    from symbio.flows.load import load_scenario
    from symbio.flows.overrides import apply_overrides
    from symbio.flows.provenance import uncertain_numbers
    from symbio.results import scenario_yaml
    from symbio.sweep.uncertainty import design, factors, overrides

    scenario = scenarios_dir() / "scip" / "symbiosis-2025.yaml"
    fs = factors(uncertain_numbers(load_scenario(scenario)))
    for n, values in enumerate(overrides(fs, design(fs, 80, 0))[:24]):
        s = apply_overrides(scenario, values)
        data = s.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"extends"})
        assert scenario_yaml(s) == dump_yaml(data), n
    assert sum(v is not None for v in yamldump._SHAPES.values()) > 50


def test_parts_equal_as_json_but_not_as_data_are_not_confused() -> None:
    """A part with a container held twice (the dump writes an anchor) or an int key is not
    the part equal to it in JSON: each is written as its own dump."""
    inner = {"a": 1.5}
    plain = {"processes": [{"id": "p", "x": {"a": 1.5}, "y": {"a": 1.5}}], "k": {"1": 2}}
    shared = {"processes": [{"id": "p", "x": inner, "y": inner}], "k": {1: 2}}
    assert dump_yaml_parts(plain) == dump_yaml(plain)
    assert dump_yaml_parts(shared) == dump_yaml(shared)
    assert dump_yaml(shared) != dump_yaml(plain)  # the two do differ
