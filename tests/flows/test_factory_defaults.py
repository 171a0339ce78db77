"""Empty list and dict defaults of the input models are made by a factory, not deep-copied.

pydantic deep-copies a ``= []`` or ``= {}`` default for every record that leaves the field
out (``copy.deepcopy``: ~500 calls and ~1 ms per SCIP validation); ``default_factory`` makes
a fresh one without copying. The JSON Schema (``symbio validate --schema``) still shows them
as ``"default": []`` / ``{}``, as before.
"""

from __future__ import annotations

import copy
import inspect
import sys

from pydantic import BaseModel

import symbio.flows.schema as schema
from symbio.flows.load import load_scenario
from symbio.flows.schema import Scenario
from symbio.flows.schema.base import StrictModel

MODELS = [
    m
    for m in vars(schema).values()
    if inspect.isclass(m) and issubclass(m, StrictModel) and m is not StrictModel
]


def test_no_model_has_an_empty_container_default() -> None:
    assert Scenario in MODELS and len(MODELS) > 10
    for model in MODELS:
        for name, info in model.model_fields.items():
            default = info.default
            assert not (isinstance(default, list | dict | set) and not default), (model, name)


def test_the_schema_shows_the_factory_defaults() -> None:
    props = Scenario.model_json_schema(by_alias=True)["properties"]
    assert props["processes"]["default"] == []
    assert props["estimates"]["default"] == {}
    process = Scenario.model_json_schema(by_alias=True)["$defs"]["Process"]["properties"]
    assert process["inputs"]["default"] == {}
    # a default that is not an empty list or dict is shown as before
    assert "default" not in props["name"] or props["name"]["default"] is not None


def _deep_copied(run) -> list:  # noqa: ANN001
    """What ``run()`` passes to ``copy.deepcopy`` (outermost calls only). pydantic-core keeps
    its own reference to ``copy.deepcopy`` from when the models were built, so patching the
    module attribute would see nothing; a profile hook sees the calls from C too."""
    calls = []

    def spy(frame, event, _arg) -> None:  # noqa: ANN001
        outer = frame.f_back is None or frame.f_back.f_code.co_filename != copy.__file__
        if event == "call" and frame.f_code is copy.deepcopy.__code__ and outer:
            calls.append(frame.f_locals["x"])

    sys.setprofile(spy)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_validation_deep_copies_nothing() -> None:
    data = load_scenario("scenarios/scip/symbiosis-2025.yaml").model_dump(
        by_alias=True, exclude_unset=True
    )
    validated = []
    calls = _deep_copied(lambda: validated.append(Scenario.model_validate(data)))
    s = validated[0]
    assert not [x for x in calls if x in ([], {})]  # only a non-empty default is copied
    # fields left out are fresh empty containers, not one object shared between records
    empty = [p for p in s.processes if "substitutes" not in p.model_fields_set]
    assert len(empty) >= 2 and empty[0].substitutes == {} == empty[1].substitutes
    assert empty[0].substitutes is not empty[1].substitutes
    assert isinstance(s, BaseModel)
