"""Where a scenario's references (``extends:``, ``policy.factor_set``) may point.

One rule, kept in this module so the place of the bundled data can change in one spot:
a reference resolves only inside the folder tree of the scenario file the user named, or
inside symbio's bundled data and scenarios. Anything else (an absolute path elsewhere, a
``../`` climb out of the folder) is refused unless the user allows it explicitly: the
``--allow-outside-refs`` option of the CLI, or ``SYMBIO_ALLOW_OUTSIDE_REFS=1``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from symbio.paths import data_dir, scenarios_dir

#: Environment variable that allows references outside the allowed folders ("1").
ALLOW_ENV = "SYMBIO_ALLOW_OUTSIDE_REFS"
#: Longest file-name component (bytes) and whole reference (characters) accepted.
MAX_COMPONENT, MAX_REFERENCE = 255, 1024
#: A factor set is named, not given as a path: letters, digits, ``.``, ``_``, ``-``.
FACTOR_SET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def outside_allowed() -> bool:
    """True when the user allowed references outside the scenario's folder and the data."""
    return os.environ.get(ALLOW_ENV, "").strip() not in ("", "0")


def allowed_roots(scenario_file: str | os.PathLike) -> list[Path]:
    """The folders references of ``scenario_file`` may point into."""
    roots = [Path(scenario_file).resolve().parent]
    for bundled in (data_dir(), scenarios_dir()):
        try:
            roots.append(bundled.resolve())
        except OSError:
            continue
    return roots


def resolve_reference(
    name: object, base_dir: Path, roots: Sequence[Path]
) -> tuple[Path | None, str]:
    """Resolve the file reference ``name`` relative to ``base_dir``.

    Returns
    -------
    (path, "") when allowed, or (None, why) with a message that quotes nothing of any
    file's content.
    """
    if not isinstance(name, str) or not name.strip():
        return None, "must be the name of a scenario file"
    if "\x00" in name or any(ord(c) < 32 for c in name):
        return None, "contains a control character; give a file name"
    if len(name) > MAX_REFERENCE or any(
        len(part.encode("utf-8", "surrogateescape")) > MAX_COMPONENT for part in name.split("/")
    ):
        return None, "is longer than a file name may be"
    path = base_dir / name
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None, "cannot be resolved (a symlink loop?)"
    if outside_allowed() or any(resolved.is_relative_to(r) for r in roots):
        return path, ""
    return None, (
        f"points outside the scenario's folder {roots[0]} and symbio's bundled data; "
        f"move the file there, or allow it with --allow-outside-refs ({ALLOW_ENV}=1)"
    )


def factor_set_file(name: object, directory: Path) -> tuple[Path | None, str]:
    """The file of factor set ``name`` in ``directory`` (or a path, when allowed)."""
    if isinstance(name, str) and FACTOR_SET_NAME.match(name) and ".." not in name:
        return directory / f"{name}.yaml", ""
    if isinstance(name, str) and outside_allowed() and "\x00" not in name:
        return Path(name), ""
    return None, (
        "must name a factor set in the data folder (letters, digits, '.', '_', '-'), "
        f"not a path; allow a file elsewhere with --allow-outside-refs ({ALLOW_ENV}=1)"
    )


def file_kind(path: Path) -> str:
    """``"file"``, ``"directory"``, ``"special"`` (device, pipe, socket) or ``"missing"``."""
    try:
        if path.is_file():
            return "file"
        if path.is_dir():
            return "directory"
        return "special" if path.exists() else "missing"
    except (OSError, ValueError):
        return "missing"
