"""Tiny parks written as YAML, validated like any scenario."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml

from symbio.flows.load import scenario_from_data
from symbio.flows.schema import Scenario


@pytest.fixture
def park() -> Callable[[str], Scenario]:
    """``park(yaml_text) -> Scenario``."""

    def make(text: str) -> Scenario:
        return scenario_from_data(yaml.safe_load(text), None, "<test>")

    return make
