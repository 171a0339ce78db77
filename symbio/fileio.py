"""Write a file atomically: through a temporary file beside it and one ``os.replace``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from symbio.errors import InputError


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename; return the path.

    Parameters
    ----------
    path
        The file to write (its folder is created). A reader sees the old file or the new
        one, never a part.
    data
        Text (written as UTF-8) or bytes.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputError
        If ``path`` is a directory or cannot be written (the path is named).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "", "is a directory; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(str(path), "", f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
