"""Each class of bad input gives exactly one problem: file, exact field path, line, message."""

from __future__ import annotations

import os

import pytest
from bad_cases import CASES, BadCase

from symbio.errors import ScenarioError
from symbio.flows.load import load_scenario

#: Every class of bad input the scenario format must report (issue 2, item 4).
REQUIRED_CLASSES = {
    "yaml-syntax",
    "unknown-key",
    "missing-field",
    "wrong-type",
    "negative-amount",
    "negative-capacity",
    "negative-price",
    "duplicate-id",
    "undefined-resource",
    "undefined-site",
    "undefined-process",
    "undeclared-unit",
    "quality-untracked",
    "quality-mixing",
    "unreachable-demand",
    "extends-cycle",
    "extends-missing",
}


def test_every_required_class_has_a_case() -> None:
    assert {c.name for c in CASES} >= REQUIRED_CLASSES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_names_file_path_line_and_problem(case: BadCase) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(case.file)
    problems = info.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    (p,) = problems
    assert os.path.samefile(p.file, case.problem_file)
    assert p.path == case.path
    assert p.line == case.line
    assert case.message in p.message


def test_unknown_key_lists_the_allowed_fields() -> None:
    case = next(c for c in CASES if c.name == "unknown-key")
    with pytest.raises(ScenarioError) as info:
        load_scenario(case.file)
    assert "allowed: audits, demands, economics, estimate, id," in info.value.problems[0].message


def test_mixing_says_the_model_would_be_non_linear() -> None:
    case = next(c for c in CASES if c.name == "quality-mixing")
    with pytest.raises(ScenarioError) as info:
        load_scenario(case.file)
    assert "non-linear" in info.value.problems[0].message


def test_error_text_is_one_line_per_problem_with_file_line_and_path() -> None:
    case = next(c for c in CASES if c.name == "negative-amount")
    with pytest.raises(ScenarioError) as info:
        load_scenario(case.file)
    lines = str(info.value).splitlines()
    assert lines[0] == "1 problem in scenario input:"
    assert lines[1].startswith(f"  - {case.file}:{case.line}: {case.path}: ")
