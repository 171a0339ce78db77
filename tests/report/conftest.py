"""Fixtures of the report tests: result directories and briefings (see report_data.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_data import write_mini_result, write_pair_result


@pytest.fixture(scope="session")
def mini_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete mini-park result directory with scores, Pareto and MACC."""
    return write_mini_result(tmp_path_factory.mktemp("results") / "mini")


@pytest.fixture(scope="session")
def mini_variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second mini-park result (a variant with smaller savings), no extras."""
    return write_mini_result(
        tmp_path_factory.mktemp("results") / "variant",
        scale=0.6,
        name="Mini park, half measures",
        extras=False,
    )


@pytest.fixture(scope="session")
def pair_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hydrogen pair's bare result directory (no scores, Pareto or MACC)."""
    return write_pair_result(tmp_path_factory.mktemp("results") / "pair")


@pytest.fixture(scope="session")
def briefings(
    mini_result: Path, mini_variant: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The mini park's briefing (with its variant) in Chinese and English."""
    from symbio.report.html.briefing import write_briefing

    out = tmp_path_factory.mktemp("briefing")
    return {
        lang: write_briefing([mini_result, mini_variant], out / f"briefing-{lang}.html", lang=lang)  # type: ignore[arg-type]
        for lang in ("zh", "en")
    }
