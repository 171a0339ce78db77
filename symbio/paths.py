"""Where symbio finds its bundled data (factor sets, indicator library, expert judgments)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Return the data directory: ``$SYMBIO_DATA_DIR`` if set, else the repository's ``data/``."""
    env = os.environ.get("SYMBIO_DATA_DIR")
    return Path(env) if env else REPO_ROOT / "data"


def scenarios_dir() -> Path:
    """Return the bundled scenarios directory."""
    return REPO_ROOT / "scenarios"
