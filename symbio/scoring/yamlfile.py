"""YAML of the scoring inputs (indicator library, AHP panels, Delphi sheets), parsed by LibYAML.

PyYAML's ``safe_load`` scans and parses in pure Python (about 9x slower on the bundled
library and panels); :data:`SAFE_LOADER` is PyYAML's ``CSafeLoader`` (LibYAML's parser with
PyYAML's safe constructor and resolver, so the same Python objects) where PyYAML was built
with LibYAML, its pure-Python ``SafeLoader`` otherwise. Errors are ``yaml.YAMLError`` either
way, with the line and column of the problem.
"""

from __future__ import annotations

import yaml

#: The safe loader used: LibYAML's parser when PyYAML has it.
SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> object:
    """``yaml.safe_load(text)``, parsed by :data:`SAFE_LOADER`."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506  (a safe loader)
