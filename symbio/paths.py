"""Where symbio finds its bundled data (factor sets, indicator library, expert panels, scenarios).

The repository keeps ``data/`` and ``scenarios/`` at its top; a built wheel carries copies of
both inside the package as ``symbio/bundled/data`` and ``symbio/bundled/scenarios`` (see
``setup.py``). They are found through :mod:`importlib.resources`, so an installed symbio works
from any working directory and in any install mode (wheel, ``pip install .``, pipx, editable,
or straight from a source checkout).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Name of the package folder a wheel holds ``data/`` and ``scenarios/`` in.
BUNDLED = "bundled"


def bundled_dir(name: str) -> Path:
    """Return bundled folder ``name`` (``data`` or ``scenarios``): inside the installed package
    when it is there, else the source checkout's top-level folder.
    """
    inside = resources.files("symbio").joinpath(BUNDLED, name)
    if inside.is_dir():
        return Path(str(inside))
    return REPO_ROOT / name


def data_dir() -> Path:
    """Return the data directory: ``$SYMBIO_DATA_DIR`` if set, else the bundled ``data/``."""
    env = os.environ.get("SYMBIO_DATA_DIR")
    return Path(env) if env else bundled_dir("data")


def scenarios_dir() -> Path:
    """Return the bundled scenarios directory (``scip/``, ``examples/``)."""
    return bundled_dir("scenarios")
