"""Write files and directories atomically, with the modes the user's umask asks for.

A reader sees the old output or the new one, never a part: files go through a temporary file
beside the target and one ``os.replace``; directories are filled under a temporary name and
swapped in. Temporary files and directories are created private (0600/0700), so each output
gets the ordinary mode (0666/0777 less the umask) before it is renamed into place — colleagues
on a shared server can open what symbio writes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from symbio.errors import InputError


def current_umask() -> int:
    """The process's umask (read without changing it where the OS allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def normal_mode(path: str | os.PathLike) -> None:
    """Give ``path`` (and, for a directory, everything under it) the umask's ordinary mode."""
    mask = current_umask()
    root = Path(path)
    todo = [root, *root.rglob("*")] if root.is_dir() else [root]
    for p in todo:
        os.chmod(p, (0o777 if p.is_dir() else 0o666) & ~mask)


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it gets the ordinary mode and replaces
    ``path``; on error it is removed and ``path`` is untouched.

    Raises
    ------
    InputError
        If ``path`` is a directory or its folder cannot be written (the path is named).
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(str(target), "", "is a directory; give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix or ".tmp",
                                    dir=target.parent)  # fmt: skip
    except OSError as exc:
        raise InputError(str(target), "", f"cannot write: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        normal_mode(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary directory beside ``path``; on success it gets ordinary modes and takes
    the place of ``path`` (an old ``path`` is removed only after the swap); on error it is removed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        normal_mode(tmp)
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
            os.rename(target, old)
        os.rename(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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
    with atomic_file(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)
