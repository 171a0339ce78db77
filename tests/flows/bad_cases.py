"""The bad-input cases of ``tests/flows/data/bad/``: one small file per class of error.

Each file starts with comment lines that say what the loader must report::

    # expect-path: sites[refinery].demands[h2].amount
    # expect-line: 18
    # expect-message: must be greater than or equal to 0 (got -60)
    # expect-file: bases/x.yaml      (optional: when reported in another file)

Shared by ``tests/flows/test_bad_inputs.py`` and ``tests/test_cli_validate.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BAD_DIR = Path(__file__).parent / "data" / "bad"


@dataclass(frozen=True)
class BadCase:
    """One bad-input file and the single problem it must produce."""

    name: str
    file: Path
    problem_file: Path
    path: str
    line: int
    message: str


def load_cases(directory: Path = BAD_DIR) -> list[BadCase]:
    """Read every case file's expectations."""
    cases = []
    for file in sorted(directory.glob("*.yaml")):
        head = dict(
            re.findall(r"^# expect-([a-z]+): ?(.*)$", file.read_text(encoding="utf-8"), re.M)
        )
        problem_file = file.parent / head["file"] if "file" in head else file
        cases.append(
            BadCase(file.stem, file, problem_file, head["path"], int(head["line"]), head["message"])
        )
    return cases


CASES = load_cases()
