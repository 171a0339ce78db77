"""Write briefings in several languages with their figures drawn by two processes at once.

Drawing the figures is most of a briefing's work, single-threaded matplotlib, and no figure
depends on another. Where the operating system forks cheaply and safely (Linux) and the
process may use more than one core, a forked child (which starts with everything already
read: no re-import, no re-reading) and this process take the figures of every language one
by one from one queue, the longest first, until none is left: however the machine's load
falls, neither waits long for the other. Then each sends the other the drawings it needs:
this process writes the first language, the child the others, each its own files
(atomically); the child sends back only its paths and times. Elsewhere, or on one core, the
languages are written one after the other, each drawing its own figures.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path

from symbio.errors import SymbioError

#: ``write(lang, drawn)`` writes the briefing in ``lang``, taking the figures in ``drawn``
#: (PNG bytes, or None for a figure the results cannot draw, by name), and returns its path.
Writer = Callable[[str, Mapping[str, "bytes | None"]], Path]
#: Figures of each language by name: each call draws one.
Figures = Mapping[str, Mapping[str, Callable[[], "bytes | None"]]]
#: Rough relative cost of drawing a figure, to start with the longest (others: 1).
COST = {"map": 6, "sankey_park": 3, "kpi": 3, "robust_tornado": 3, "robust_regret": 3,
        "cocontrol": 2, "grade": 2, "pareto": 2, "radar": 2, "macc": 2}  # fmt: skip


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


#: Figures drawn beforehand, by (language, name): PNG bytes, or None where nothing is drawn.
Drawings = Mapping[tuple[str, str], "bytes | None"]


def write_languages(
    write: Writer, figures: Figures, parallel: bool = True, drawn: Drawings | None = None
) -> dict[str, tuple[Path, float]]:
    """Write every language of ``figures``; return each one's path and seconds.

    With ``parallel`` (and a usable second core and :func:`can_fork`), the figures are drawn
    by this process and a forked child together, and the languages after the first are
    written by the child. Figures in ``drawn`` (see :mod:`symbio.report.html.ahead`) are
    not drawn again.

    Raises
    ------
    SymbioError
        The first error of any language (a child's error carries its message).
    """
    langs = list(figures)
    before = dict(drawn or {})
    if not (parallel and len(langs) > 1 and usable_cores() > 1 and can_fork()):
        return {lang: _timed(write, lang, _of(before, lang)) for lang in langs}
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    queue = [job for job in costliest_first(figures) if job not in before]
    taken = ctx.Value("i", 0)
    down, to_child = ctx.Pipe(duplex=False)
    from_child, up = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child, args=(write, figures, queue, taken, down, up, before), daemon=True
    )
    child.start()
    down.close()
    up.close()
    sent = False
    try:
        mine = draw_from(figures, queue, taken)
        theirs = receive_from(from_child, child)  # the first language's figures the child drew
        to_child.send({k: png for k, png in mine.items() if k[0] != langs[0]})
        sent = True
        first = _of({**before, **mine, **theirs}, langs[0])
        done = {langs[0]: (write(langs[0], first), time.perf_counter() - t0)}
        done.update(receive_from(from_child, child))
    finally:  # on an error here, the child sees its pipes closed and stops
        if not sent:  # it has written nothing yet (it writes once it has every figure)
            child.terminate()
        to_child.close()
        from_child.close()
        child.join()
    return {lang: done[lang] for lang in langs}


def _timed(write: Writer, lang: str, drawn: Mapping[str, bytes | None]) -> tuple[Path, float]:
    """``write(lang, drawn)`` (drawing the figures not in ``drawn``) and the seconds it took."""
    t = time.perf_counter()
    path = write(lang, drawn)
    return path, time.perf_counter() - t


def _of(drawn: Drawings, lang: str) -> dict[str, bytes | None]:
    """The figures of ``lang`` in ``drawn``, by name."""
    return {name: png for (fl, name), png in drawn.items() if fl == lang}


def costliest_first(figures: Figures) -> list[tuple[str, str]]:
    """Every (language, figure), the costliest first."""
    jobs = [(lang, name) for lang, named in figures.items() for name in named]
    return sorted(jobs, key=lambda job: -COST.get(job[1], 1))


def draw_from(figures: Figures, queue: list[tuple[str, str]], taken) -> dict:  # noqa: ANN001
    """Draw figures of ``queue`` until none is left (``taken``: the next one, shared)."""
    drawn = {}
    while True:
        with taken.get_lock():
            i = taken.value
            taken.value = i + 1
        if i >= len(queue):
            return drawn
        lang, name = queue[i]
        drawn[(lang, name)] = figures[lang][name]()


def _child(
    write, figures, queue, taken, down: Connection, up: Connection, before: Drawings
) -> None:  # noqa: ANN001, PLR0913
    """In the child: draw its share, send the first language's, write the others."""
    t0 = time.perf_counter()
    langs = list(figures)
    try:
        mine = draw_from(figures, queue, taken)
        up.send(("ok", {k: png for k, png in mine.items() if k[0] == langs[0]}))
        drawn = {**before, **mine, **down.recv()}
        done = {}
        for lang in langs[1:]:
            done[lang] = (write(lang, _of(drawn, lang)), time.perf_counter() - t0)
        up.send(("ok", done))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        send_error(up, exc)
    finally:
        up.close()


def send_error(up: Connection, exc: BaseException) -> None:
    """In a child: send its error to the parent (:func:`receive_from` raises it there): a
    SymbioError's message, or a bug's traceback."""
    kind = "symbio" if isinstance(exc, SymbioError) else "bug"
    with contextlib.suppress(OSError):  # else the parent stopped first, on its own error
        up.send((kind, str(exc) if kind == "symbio" else traceback.format_exc()))


def receive_from(receive: Connection, child: multiprocessing.process.BaseProcess) -> dict:
    """The child's next message, or its error raised here."""
    try:
        status, value = receive.recv()
    except EOFError:
        status, value = "bug", None
        child.join()
    if status == "ok":
        return value
    if status == "symbio":
        raise SymbioError(value)
    raise RuntimeError(
        "drawing or writing the briefing failed in its second process"
        + (f":\n{value}" if value else f" (exit code {child.exitcode})")
    )
