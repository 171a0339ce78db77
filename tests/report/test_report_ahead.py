"""Figures drawn ahead by a forked child are the figures the briefing draws itself, and a
briefing written with them is the same file; the child's errors are raised where its figures
are taken, and a child not waited for is stopped."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

from symbio.errors import SymbioError
from symbio.report.html import ahead, childwatch, inparallel
from symbio.report.html.briefing import read_briefing

pytestmark = pytest.mark.skipif(not inparallel.can_fork(), reason="forks only on Linux")


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "usable_cores", lambda: 2)
    monkeypatch.setattr(inparallel, "usable_cores", lambda: 2)


def test_figures_drawn_ahead_are_those_drawn_here_and_the_briefing_is_the_same(
    mini_result: Path, mini_variant: Path, tmp_path: Path
):
    dirs = [mini_result, mini_variant]
    early = read_briefing(dirs)
    drawing = ahead.draw_ahead({lang: early.drawers(lang) for lang in ("zh", "en")})
    assert drawing is not None
    drawn = drawing.finish()
    here = read_briefing(dirs)
    for lang in ("zh", "en"):
        names = set(here.drawers(lang))
        assert {n for (fl, n) in drawn if fl == lang} == names
        for name, draw in here.drawers(lang).items():
            assert drawn[(lang, name)] == draw(), (lang, name)  # byte for byte
    assert drawn[("zh", "map")] != drawn[("en", "map")]  # each language its own labels

    def targets(tag: str) -> dict:
        return {lang: (tmp_path / f"{tag}-{lang}.html", tmp_path / tag / lang) for lang in ("zh", "en")}  # fmt: skip

    plain = here.write_all(targets("plain"))  # type: ignore[arg-type]
    given = early.write_all(targets("ahead"), drawn=drawn)  # type: ignore[arg-type]
    for lang in ("zh", "en"):
        assert given[lang][0].read_bytes() == plain[lang][0].read_bytes()
        pngs = sorted(p.name for p in (tmp_path / "plain" / lang).glob("*.png"))
        assert pngs == sorted(p.name for p in (tmp_path / "ahead" / lang).glob("*.png"))
        for name in pngs:
            ahead_png = (tmp_path / "ahead" / lang / name).read_bytes()
            assert ahead_png == (tmp_path / "plain" / lang / name).read_bytes(), name


def _draw(lang: str, name: str, pause: float = 0.05):
    def draw() -> bytes:
        if name == "symbio-error":
            raise SymbioError(f"{lang}: cannot draw {name}")
        if name == "bug":
            raise ValueError("a figure bug")
        time.sleep(pause)
        return f"{lang}/{name} by {os.getpid()}".encode()

    return draw


def _figures(names=tuple("abcdefgh"), pause: float = 0.05) -> dict:
    return {lang: {n: _draw(lang, n, pause) for n in names} for lang in ("zh", "en")}


def test_the_child_draws_while_this_process_works_and_this_one_draws_the_rest():
    drawing = ahead.draw_ahead(_figures(pause=0.2))
    assert drawing is not None
    time.sleep(0.5)  # this process busy elsewhere: the child has drawn some by now
    drawn = drawing.finish()
    assert sorted(drawn) == sorted((lang, n) for lang in ("zh", "en") for n in "abcdefgh")
    assert all(png.startswith(f"{lang}/{n} by".encode()) for (lang, n), png in drawn.items())
    by = {int(png.split()[-1]) for png in drawn.values()}
    assert os.getpid() in by and len(by) == 2  # both drew: the child first, this one the rest
    assert drawing.seconds > 0


def test_write_languages_does_not_draw_again_what_was_drawn(tmp_path: Path):
    figures = _figures()
    given = {(lang, n): f"{lang}/{n} given".encode() for lang in ("zh", "en") for n in "abcd"}

    def write(lang: str, pngs) -> Path:
        path = tmp_path / f"{lang}.txt"
        path.write_text("\n".join(f"{n}: {p.decode()}" for n, p in sorted(pngs.items())))
        return path

    done = inparallel.write_languages(write, figures, drawn=given)
    for path, _ in done.values():
        lines = path.read_text().splitlines()
        assert [x.split(":")[0] for x in lines] == list("abcdefgh")
        assert all(x.endswith("given") for x in lines[:4]), lines
        assert all(" by " in x for x in lines[4:]), lines
    # One after the other: each writer gets what was given and draws the rest itself.
    done = inparallel.write_languages(write, figures, parallel=False, drawn=given)
    for lang, (path, _) in done.items():
        assert path.read_text().splitlines() == [f"{n}: {lang}/{n} given" for n in "abcd"]


def test_an_error_while_drawing_ahead_is_raised_when_the_figures_are_taken():
    with pytest.raises(SymbioError, match="cannot draw symbio-error"):
        ahead.draw_ahead(_figures(("symbio-error", "a", "b"))).finish()  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="a figure bug"):  # whoever drew it: raised here
        ahead.draw_ahead(_figures(("bug", "a", "b"))).finish()  # type: ignore[union-attr]


def test_a_child_not_waited_for_is_stopped():
    drawing = ahead.draw_ahead(_figures(pause=5.0))
    assert drawing is not None
    child = drawing._child  # noqa: SLF001
    time.sleep(0.2)
    t = time.perf_counter()
    drawing.close()
    assert not child.is_alive() and time.perf_counter() - t < 2.0


def test_nothing_is_drawn_ahead_on_one_core(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ahead, "usable_cores", lambda: 1)
    assert ahead.draw_ahead(_figures()) is None


def test_nothing_is_drawn_ahead_when_no_child_can_be_forked(monkeypatch: pytest.MonkeyPatch):
    def no_fork(_self) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_fork)
    assert ahead.draw_ahead(_figures()) is None


def _stuck_or_dead_in_child(how: str, parent: int):
    """A figure that, in the child only, waits forever without CPU or kills the child."""

    def draw() -> bytes:
        if os.getpid() != parent:
            if how == "stuck":
                threading.Event().wait()  # as on a lock another thread held at the fork
            os._exit(9)  # as the out-of-memory killer would
        return b"map drawn here"

    return draw


@pytest.mark.parametrize("how", ["stuck", "dead"])
def test_a_child_that_stops_working_or_dies_has_its_figures_drawn_here(
    how: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(childwatch, "STALL_SECONDS", 1.0)
    monkeypatch.setattr(childwatch, "LOOK_SECONDS", 0.1)
    figures = _figures(("a", "b"), pause=0.3)
    figures["zh"]["map"] = _stuck_or_dead_in_child(how, os.getpid())  # costliest: the child's
    drawing = ahead.draw_ahead(figures)
    assert drawing is not None
    time.sleep(0.5)  # the child has taken the map by now
    result: dict = {}
    waiter = threading.Thread(target=lambda: result.update(drawing.finish()), daemon=True)
    waiter.start()
    waiter.join(timeout=60)
    assert not waiter.is_alive(), "finish() waited for a child that will never report"
    assert result[("zh", "map")] == b"map drawn here"
    expected = [(lang, n) for lang in ("zh", "en") for n in "ab"] + [("zh", "map")]
    assert sorted(result) == sorted(expected)
    assert not drawing._child.is_alive()  # noqa: SLF001
