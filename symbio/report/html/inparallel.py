"""Write briefings in several languages at the same time, one forked process per extra language.

Drawing a briefing's figures is single-threaded matplotlib work, and the languages do not
depend on each other. Where the operating system forks cheaply and safely (Linux) and the
process may use more than one core, each language after the first is written by a forked
child while this process writes the first: the child starts with everything already read (no
re-import, no re-reading), writes its files itself (atomically) and sends back only its path
and its time. Elsewhere, or on one core, the languages are written one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from symbio.errors import SymbioError

#: ``write(lang)`` writes the briefing in ``lang`` and returns its path.
Writer = Callable[[str], Path]


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where children are forked safely and cheaply (Linux; macOS forks badly), and this
    process may have children (a pool's worker is daemonic and may not)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def timed(write: Writer, lang: str) -> tuple[Path, float]:
    """``write(lang)`` and the seconds it took."""
    t = time.perf_counter()
    path = write(lang)
    return path, time.perf_counter() - t


def write_languages(
    write: Writer, langs: Sequence[str], parallel: bool = True
) -> dict[str, tuple[Path, float]]:
    """Write every language with ``write``; return each one's path and seconds.

    With ``parallel`` (and more than one language, a usable second core and :func:`can_fork`),
    the languages after the first are written by forked children at the same time.

    Raises
    ------
    SymbioError
        The first error of any language (a child's error carries its message).
    """
    langs = list(langs)
    spare = min(len(langs) - 1, usable_cores() - 1) if parallel and can_fork() else 0
    if spare < 1:
        return {lang: timed(write, lang) for lang in langs}
    ctx = multiprocessing.get_context("fork")
    first, rest = langs[: len(langs) - spare], langs[len(langs) - spare :]
    children = []
    for lang in rest:
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(write, lang, send), daemon=True)
        child.start()
        send.close()
        children.append((lang, child, receive))
    try:
        done = {lang: timed(write, lang) for lang in first}
    except BaseException:
        for _, child, receive in children:  # let them finish their atomic writes
            child.join()
            receive.close()
        raise
    for lang, child, receive in children:
        done[lang] = _collect(lang, child, receive)
    return {lang: done[lang] for lang in langs}


def _child(write: Writer, lang: str, send: Connection) -> None:
    """In the child: write one language, send back ``(path, seconds)`` or the error."""
    try:
        send.send(("ok", timed(write, lang)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        kind = "symbio" if isinstance(exc, SymbioError) else "bug"
        send.send((kind, str(exc) if kind == "symbio" else traceback.format_exc()))
    finally:
        send.close()


def _collect(
    lang: str, child: multiprocessing.process.BaseProcess, receive: Connection
) -> tuple[Path, float]:
    """Wait for a child; return its result, or raise its error here."""
    try:
        status, value = receive.recv()
    except EOFError:
        status, value = "bug", None
    child.join()
    receive.close()
    if status == "ok":
        return value
    if status == "symbio":
        raise SymbioError(value)
    raise RuntimeError(
        f"writing the briefing ({lang}) failed in its process"
        + (f":\n{value}" if value else f" (exit code {child.exitcode})")
    )
