"""Shared paths of the pathway tests."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]


@pytest.fixture
def data() -> Path:
    return HERE / "data"


@pytest.fixture
def examples() -> Path:
    return REPO / "scenarios" / "examples"
