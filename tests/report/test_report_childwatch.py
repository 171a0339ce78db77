"""Writing the briefing's languages with a second process never hangs on it and never fails
because of it: a second process that stops working (waits on a lock held at the fork, without
CPU), dies without a word (the out-of-memory killer) or hits a bug of its own is stopped, and
this process draws its figures and writes its languages, the same files as one process alone
would write; a second process that cannot be forked leaves one language after the other. A
page the second process was writing when it was stopped is not left half-written.

Each case runs under a guard: a regression fails the test instead of hanging the suite."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from symbio.errors import SymbioError
from symbio.fileio import atomic_file, write_atomic
from symbio.report.html import briefing as briefing_module
from symbio.report.html import childwatch, inparallel
from symbio.report.html.briefing import read_briefing

pytestmark = pytest.mark.skipif(not inparallel.can_fork(), reason="forks only on Linux")

GUARD_SECONDS = 60.0
LANGS = ("zh", "en")
NAMES = ("map", "kpi", "a", "b", "c", "d")


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cores; a second process without CPU for 1 s is taken for stuck."""
    monkeypatch.setattr(inparallel, "usable_cores", lambda: 2)
    monkeypatch.setattr(childwatch, "STALL_SECONDS", 1.0)
    monkeypatch.setattr(childwatch, "LOOK_SECONDS", 0.1)


def _guarded(call: Callable[[], object]) -> object:
    """``call()`` in a thread; fail (not hang) when it has not returned in GUARD_SECONDS."""
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - raised again below
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(GUARD_SECONDS)
    assert not worker.is_alive(), "waited for a second process that will never report"
    if "error" in out:
        raise out["error"]
    return out["value"]


def _fail_in_child(how: str, parent: int) -> None:
    """In the second process only: wait for ever without CPU, die, or hit a bug."""
    if os.getpid() == parent:
        return
    if how == "stuck":
        threading.Event().wait()  # as on a lock another thread held at the fork
    if how == "bug":
        raise ValueError("a bug of the second process only")
    os._exit(9)  # as the out-of-memory killer would


def _figures(fail: str | None = None, tries=None) -> dict:  # noqa: ANN001
    """Figures whose bytes name only language and figure (the same in either process), each
    taking a moment (both processes take some); with ``fail``, each one fails that way when
    the second process draws it (counted in ``tries``; this process waits for the first)."""
    parent = os.getpid()

    def draw(lang: str, name: str):
        def drawn() -> bytes:
            if fail and os.getpid() != parent:
                with tries.get_lock():
                    tries.value += 1
                _fail_in_child(fail, parent)
            deadline = time.monotonic() + GUARD_SECONDS / 4
            while fail and tries.value == 0 and time.monotonic() < deadline:
                time.sleep(0.01)  # here: leave the second process one figure, however loaded
            time.sleep(0.05)
            return f"{lang}/{name} ".encode() * 50

        return drawn

    return {lang: {n: draw(lang, n) for n in NAMES} for lang in LANGS}


def _page(lang: str, pngs) -> str:  # noqa: ANN001
    return "".join(f"{n}: {png.decode()}\n" for n, png in sorted(pngs.items()))


def _writer(folder: Path, fail: str | None = None):
    """Write each language's page atomically; with ``fail``, the second process fails that
    way half-way through writing its page (the temporary file holds half of it)."""
    parent = os.getpid()

    def write(lang: str, pngs) -> Path:  # noqa: ANN001
        figures = _figures()[lang]  # those not given are drawn here, as the briefing does
        text = _page(lang, {n: pngs[n] if n in pngs else figures[n]() for n in figures})
        if fail is None or os.getpid() == parent:
            return write_atomic(folder / f"{lang}.txt", text)
        with atomic_file(folder / f"{lang}.txt") as tmp:
            tmp.write_text(text[: len(text) // 2])
            _fail_in_child(fail, parent)
        raise AssertionError("not reached")

    return write


def _serial_pages() -> dict[str, str]:
    figures = _figures()
    return {lang: _page(lang, {n: d() for n, d in figures[lang].items()}) for lang in LANGS}


@pytest.mark.parametrize("how", ["stuck", "dead", "bug"])
def test_a_second_process_lost_while_drawing_leaves_its_share_here(how: str, tmp_path: Path):
    tries = multiprocessing.get_context("fork").Value("i", 0)
    figures = _figures(how, tries)
    done = _guarded(lambda: inparallel.write_languages(_writer(tmp_path), figures))
    assert tries.value == 1  # the second process took a figure and was lost on it
    assert list(done) == list(LANGS)  # type: ignore[call-overload]
    for lang, page in _serial_pages().items():
        assert (tmp_path / f"{lang}.txt").read_text() == page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.txt", "zh.txt"]
    assert multiprocessing.active_children() == []  # stopped, not left behind


@pytest.mark.parametrize("how", ["stuck", "dead", "bug"])
def test_a_second_process_lost_while_writing_leaves_no_partial_page(how: str, tmp_path: Path):
    old = tmp_path / "en.txt"
    old.write_text("the user's page of the last run\n")
    done = _guarded(lambda: inparallel.write_languages(_writer(tmp_path, how), _figures()))
    assert list(done) == list(LANGS)  # type: ignore[call-overload]
    for lang, page in _serial_pages().items():  # the whole page, written here
        assert (tmp_path / f"{lang}.txt").read_text() == page
    left = sorted(p.name for p in tmp_path.iterdir())
    if how == "dead":  # killed outright: its hidden temporary file stays, never the page
        assert [n for n in left if not n.startswith(".en.txt.")] == ["en.txt", "zh.txt"]
    else:  # stopped (SIGTERM) or failed: it removed its temporary file on the way out
        assert left == ["en.txt", "zh.txt"]
    assert multiprocessing.active_children() == []


def test_a_symbio_error_of_the_second_process_is_raised_as_it_is(tmp_path: Path):
    parent = os.getpid()

    def write(lang: str, pngs) -> Path:  # noqa: ANN001
        if os.getpid() != parent:
            raise SymbioError(f"cannot write {lang} (the second process)")
        return write_atomic(tmp_path / f"{lang}.txt", _page(lang, pngs))

    with pytest.raises(SymbioError, match=r"cannot write en \(the second process\)"):
        _guarded(lambda: inparallel.write_languages(write, _figures()))


def test_no_second_process_to_fork_writes_one_language_after_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def no_fork(_self) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_fork)
    done = _guarded(lambda: inparallel.write_languages(_writer(tmp_path), _figures()))
    assert list(done) == list(LANGS)  # type: ignore[call-overload]
    for lang, page in _serial_pages().items():
        assert (tmp_path / f"{lang}.txt").read_text() == page


def _kill_child_mid_page(parent: int):
    """``write_atomic`` that, in the second process, dies half-way through the page."""
    real = briefing_module.write_atomic

    def write(path, data):  # noqa: ANN001, ANN202
        if os.getpid() == parent:
            return real(path, data)
        with atomic_file(path) as tmp:
            tmp.write_text(data[: len(data) // 2], encoding="utf-8")
            os._exit(9)
        raise AssertionError("not reached")

    return write


@pytest.mark.parametrize("when", ["drawing", "writing"])
def test_the_briefing_is_the_same_when_the_second_process_is_lost(
    when: str, mini_result: Path, mini_variant: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):  # fmt: skip
    dirs = [mini_result, mini_variant]

    def targets(tag: str) -> dict:
        return {lang: (tmp_path / f"{tag}-{lang}.html", tmp_path / tag / lang) for lang in LANGS}

    plain = read_briefing(dirs).write_all(targets("plain"), parallel=False)  # type: ignore[arg-type]
    lost = read_briefing(dirs)
    parent = os.getpid()
    if when == "drawing":
        drawers = lost.drawers

        def stuck_in_child(lang):  # noqa: ANN001, ANN202
            def stuck(draw):  # noqa: ANN001, ANN202
                return lambda: _fail_in_child("stuck", parent) or draw()

            return {name: stuck(draw) for name, draw in drawers(lang).items()}

        monkeypatch.setattr(lost, "drawers", stuck_in_child)
    else:
        monkeypatch.setattr(briefing_module, "write_atomic", _kill_child_mid_page(parent))
    given = _guarded(lambda: lost.write_all(targets("lost")))  # type: ignore[arg-type]
    for lang in LANGS:
        assert given[lang][0].read_bytes() == plain[lang][0].read_bytes()  # type: ignore[index]
        pngs = sorted(p.name for p in (tmp_path / "plain" / lang).iterdir())
        assert len(pngs) > 10 and all(name.endswith(".png") for name in pngs)
        assert pngs == sorted(p.name for p in (tmp_path / "lost" / lang).iterdir())
        for name in pngs:
            lost_png = (tmp_path / "lost" / lang / name).read_bytes()
            assert lost_png == (tmp_path / "plain" / lang / name).read_bytes(), (lang, name)
    assert multiprocessing.active_children() == []


def test_a_stopped_second_process_is_killed_when_it_does_not_end(monkeypatch: pytest.MonkeyPatch):
    """A SIGTERM its signal handler cannot take in time: SIGKILL after the grace period."""
    monkeypatch.setattr(childwatch, "GRACE_SECONDS", 0.5)
    ready = multiprocessing.get_context("fork").Event()
    child = multiprocessing.get_context("fork").Process(target=_ignore_terminate, args=(ready,))
    child.start()
    assert ready.wait(GUARD_SECONDS)
    _guarded(lambda: childwatch.stop(child))
    assert child.exitcode == -9


def _ignore_terminate(ready) -> None:  # noqa: ANN001
    import signal
    import time

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(GUARD_SECONDS)


def test_a_second_terminate_does_not_cut_the_clean_up_short(tmp_path):
    """A process pool terminates its broken workers again while the first SIGTERM unwinds:
    the temporary file is removed all the same."""
    import multiprocessing
    import os as _os
    import signal as _signal

    from symbio.fileio import atomic_file

    target, ready = tmp_path / "page.html", multiprocessing.get_context("fork").Event()

    def write_slowly() -> None:
        childwatch.exit_on_terminate()
        try:
            with atomic_file(target) as tmp:
                tmp.write_text("half a page")
                ready.set()
                while True:
                    time.sleep(0.01)
        except SystemExit:
            _os._exit(1)

    def slow_unlink(path, *args, **kwargs):  # the clean-up, slowed: the second signal lands in it
        time.sleep(0.5)
        return real_unlink(path, *args, **kwargs)

    real_unlink = Path.unlink
    Path.unlink = slow_unlink
    try:
        child = multiprocessing.get_context("fork").Process(target=write_slowly)
        child.start()
    finally:
        Path.unlink = real_unlink
    assert ready.wait(30)
    _os.kill(child.pid, _signal.SIGTERM)
    time.sleep(0.2)
    _os.kill(child.pid, _signal.SIGTERM)  # while the first one's clean-up runs
    child.join(30)
    assert child.exitcode == 1
    assert list(tmp_path.iterdir()) == []
