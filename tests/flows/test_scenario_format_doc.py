"""docs/scenario-format.md documents every field of the format, and is up to date."""

from __future__ import annotations

import importlib.util
import sys

from symbio.flows import schema
from symbio.paths import REPO_ROOT


def _generator():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(
        "gen_scenario_format", REPO_ROOT / "docs" / "gen_scenario_format.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_field_reference_is_up_to_date() -> None:
    gen = _generator()
    text = gen.DOC.read_text(encoding="utf-8")
    assert gen.updated(text) == text, "run: python docs/gen_scenario_format.py"


def test_every_field_of_every_model_is_documented() -> None:
    text = (REPO_ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    documented = {model.__name__ for _, _, model, _ in _generator().SECTIONS}
    models = {
        name
        for name, obj in vars(schema).items()
        if isinstance(obj, type)
        and issubclass(obj, schema.StrictModel)
        and obj is not schema.StrictModel
    }
    assert models <= documented
    for model in models:
        for name, info in getattr(schema, model).model_fields.items():
            assert f"| `{info.alias or name}` |" in text, f"{model}.{name}"


def test_prose_covers_the_rules() -> None:
    text = (REPO_ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    for heading in (
        "## Conventions",
        "## Provenance",
        "## Quality and the mixing rule",
        "## Factor references",
        "## Candidate links",
        "## Variants: `extends`",
        "## Validation",
        "### Units",
    ):
        assert heading in text
