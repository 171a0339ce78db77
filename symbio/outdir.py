"""Output directories: claimed safely, replaced atomically, leftovers of killed runs cleaned.

Rules (the same for every command that writes a directory):

* ``--out`` is never an input, nor a folder that holds an input;
* an existing ``--out`` that is not empty and was not written by symbio (no
  :data:`MARKER` file, no ``summary.json``/``scores.json``) is refused unless the user
  passes ``--force``;
* every file-system failure is an :class:`~symbio.errors.InputError` naming the path.

:func:`replace_dir` writes a whole directory beside the target and swaps it in with one
``renameat2(RENAME_EXCHANGE)`` (Linux): a reader sees the old directory or the new one,
never none. Where the kernel or file system cannot exchange, it falls back to two renames;
a run killed between them leaves the old data in ``.<name>.old-*``, which the next write
puts back (or removes, once a new directory is in place), as it removes ``.<name>.*.tmp``
folders of writers that are no longer running.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from symbio.errors import InputError

#: File symbio puts in every directory it writes; its presence allows replacing it.
MARKER = ".symbio-output"
#: Files by which directories written before markers existed are recognised.
SIGNATURES = ("summary.json", "scores.json", "sweep.yaml")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def fs_error(path: str | os.PathLike, exc: OSError, verb: str = "cannot write") -> InputError:
    """The user error for a failed file-system call on ``path`` (the path named, no trace)."""
    where = exc.filename if getattr(exc, "filename", None) else path
    return InputError(str(where), "", f"{verb}: {exc.strerror or exc}")


def is_symbio_output(directory: Path) -> bool:
    """True when ``directory`` was written by symbio (marker or a known signature file)."""
    return any((directory / name).is_file() for name in (MARKER, *SIGNATURES))


def _resolve(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise InputError(str(path), "", f"cannot resolve the path: {exc}") from None


def check_out_dir(
    out: str | os.PathLike,
    *,
    inputs: Iterable[str | os.PathLike] = (),
    force: bool = False,
    option: str = "--out",
) -> Path:
    """Check that ``out`` may be (re)written as an output directory; return it resolved.

    Nothing is created. Refused: a file; a path under a file; an input or a folder holding
    one; a non-empty directory symbio did not write (unless ``force``); a place that cannot
    be written.

    Raises
    ------
    InputError
        Naming ``out`` and what is wrong.
    """
    out = Path(out)
    target = _resolve(out)
    for inp in inputs:
        src = _resolve(Path(inp))
        if src == target or target in src.parents:
            raise InputError(
                str(out), "", f"is (or holds) the input {inp}; choose another {option}"
            )
    parent = _nearest_existing(target)
    if parent != target:
        if not parent.is_dir():
            raise InputError(str(out), "", f"cannot be created: {parent} is not a directory")
    elif not target.is_dir():
        raise InputError(str(out), "", f"is a file; {option} must be a directory")
    elif not force and _occupied(target) and not is_symbio_output(target):
        raise InputError(
            str(out),
            "",
            "is not empty and was not written by symbio; nothing was changed. "
            f"Choose another {option}, or pass --force to replace it",
        )
    writable = parent if parent != target else target.parent
    if not os.access(writable, os.W_OK | os.X_OK):
        raise InputError(str(out), "", f"cannot write: permission denied in {writable}")
    return target


def _nearest_existing(path: Path) -> Path:
    """``path`` or its nearest ancestor that exists (a dangling symlink counts)."""
    for candidate in [path, *path.parents]:
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(path.anchor)


def _occupied(directory: Path) -> bool:
    try:
        return any(True for _ in directory.iterdir())
    except OSError as exc:
        raise fs_error(directory, exc, "cannot read") from None


def marker_bytes(kind: str) -> bytes:
    """The content of the :data:`MARKER` file of a directory holding ``kind``."""
    return f"{kind}\n".encode()


def replace_dir(
    target: str | os.PathLike,
    fill: Callable[[Path], None],
    *,
    kind: str,
    force: bool = False,
) -> Path:
    """Write a directory with ``fill(tmp)`` and swap it in place of ``target`` atomically.

    Parameters
    ----------
    target
        The output directory (checked with :func:`check_out_dir`).
    fill
        Writes the files into the empty directory it is given.
    kind
        What the directory holds (recorded in the marker file).
    force
        Replace a non-empty directory that symbio did not write.

    Raises
    ------
    InputError
        When ``target`` may not be replaced or a file-system call fails (the path named).
    """
    final = check_out_dir(target, force=force)
    recover_leftovers(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.parent / f".{final.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
        tmp.mkdir()
    except OSError as exc:
        raise fs_error(final, exc) from None
    try:
        fill(tmp)
        (tmp / MARKER).write_bytes(marker_bytes(kind))
        if final.exists():
            _swap(tmp, final)
        else:
            os.rename(tmp, final)
    except OSError as exc:  # named by the target: the temporary folder is gone
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(str(target), "", f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)  # after an exchange it holds the old data
    return Path(target)


def _swap(new: Path, final: Path) -> None:
    """Put ``new`` in place of ``final``; afterwards ``new`` holds the old data (or is gone)."""
    if _exchange(new, final):
        return
    old = final.parent / f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.rename(final, old)
    os.rename(new, final)  # a kill before this line is repaired by recover_leftovers
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); False where not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def recover_leftovers(final: Path) -> None:
    """Repair what a killed writer of ``final`` left: restore or drop ``.old``, drop ``.tmp``."""
    parent = final.parent
    if not parent.is_dir():
        return
    name = re.escape(final.name)
    old_re = re.compile(rf"^\.{name}\.old-(?:(\d+)-)?[0-9a-f]+$")
    tmp_re = re.compile(rf"^\.{name}\.(?:(\d+)-[0-9a-f]+|[^.]+)\.tmp$|^\.{name}\.tmp-[^.]+$")
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return
    for entry in entries:
        old, tmp = old_re.match(entry.name), tmp_re.match(entry.name)
        if not (old or tmp) or not entry.is_dir() or entry.is_symlink():
            continue
        pid = (old or tmp).group(1)
        if pid and int(pid) != os.getpid() and pid_alive(int(pid)):
            continue  # another writer is at work
        if old and not final.exists():
            os.rename(entry, final)  # the old data back where it belongs
        else:
            shutil.rmtree(entry, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists (also when it belongs to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def claim_dir(
    out: str | os.PathLike,
    *,
    kind: str,
    inputs: Iterable[str | os.PathLike] = (),
    force: bool = False,
) -> Path:
    """Check ``out`` (:func:`check_out_dir`), create it and mark it as symbio's; return it.

    For outputs written file by file (a sweep, a comparison, figures).
    """
    target = check_out_dir(out, inputs=inputs, force=force)
    try:
        target.mkdir(parents=True, exist_ok=True)
        marker = target / MARKER
        if not marker.exists():
            marker.write_text(f"{kind}\n", encoding="utf-8")
    except OSError as exc:
        raise fs_error(target, exc) from None
    return Path(out)


def check_out_file(
    out: str | os.PathLike,
    *,
    inputs: Iterable[str | os.PathLike] = (),
    option: str = "--out",
) -> Path:
    """Check that the file ``out`` may be written; return it resolved. Nothing is created.

    Refused: a directory; a path under a file; an input; a folder that cannot be written.

    Raises
    ------
    InputError
        Naming ``out`` and what is wrong.
    """
    out = Path(out)
    target = _resolve(out)
    if any(_resolve(Path(p)) == target for p in inputs):
        raise InputError(str(out), "", f"is an input; choose another {option}")
    if target.is_dir():
        raise InputError(str(out), "", f"is a directory; {option} must be a file name")
    parent = _nearest_existing(target.parent)
    if not parent.is_dir():
        raise InputError(str(out), "", f"cannot be created: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(str(out), "", f"cannot write: permission denied in {parent}")
    return target
