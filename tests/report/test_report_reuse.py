"""Work done once is the same as work done each time: the font subset from the cache, the
figures laid out once, the results read once for both languages and written side by side."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from symbio.errors import SymbioError
from symbio.report.figures.style import figure_context, figure_png, laid_out
from symbio.report.fonts import font_subset
from symbio.report.html import inparallel
from symbio.report.html.briefing import read_briefing, write_briefing

TEXT = "上海化学工业区 副产氢 清洁生产"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SYMBIO_CACHE_DIR", str(tmp_path / "cache"))
    font_subset.cache_clear()
    yield tmp_path / "cache" / "fonts"
    font_subset.cache_clear()


def _chars(text: str) -> str:
    return "".join(sorted({c for c in text if ord(c) > 0x7F}))


def test_font_subset_is_reproducible_and_kept_on_disk(cache: Path, monkeypatch):
    first = font_subset(_chars(TEXT))
    assert first[:4] == b"wOFF"
    kept = list(cache.glob("*.woff"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    # A new process (no memo) takes it from the disk without subsetting again.
    font_subset.cache_clear()
    monkeypatch.setattr("symbio.report.fonts._make_subset", _fail)
    assert font_subset(_chars(TEXT)) == first


def test_font_subset_differs_by_characters_and_ignores_a_damaged_cache(cache: Path):
    a = font_subset(_chars(TEXT))
    b = font_subset(_chars(TEXT + "煤"))
    assert a != b and len(list(cache.glob("*.woff"))) == 2
    for f in cache.glob("*.woff"):
        f.write_bytes(b"garbage")
    font_subset.cache_clear()
    assert font_subset(_chars(TEXT)) == a  # made again, and the cache repaired
    assert {f.read_bytes()[:4] for f in cache.glob("*.woff")} >= {b"wOFF"}


def _fail(chars: str) -> bytes:
    raise AssertionError("subset made again instead of read from the cache")


def _constrained_figure() -> Figure:
    with figure_context():
        fig = Figure(figsize=(5, 3), layout="constrained")
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [3, 1, 2], label="氢气 H2")
        ax.set_title("园区地图 · park map")
        ax.set_ylabel("万吨/年")
        fig.legend(loc="outside upper left")
    return fig


def test_laid_out_once_and_written_as_rgb_the_pixels_are_savefigs():
    plain = io.BytesIO()
    with figure_context():
        _constrained_figure().savefig(plain, format="png", facecolor="white")
    once = figure_png(_constrained_figure())
    a, b = (Image.open(io.BytesIO(x)) for x in (plain.getvalue(), once))
    assert a.mode == "RGBA" and b.mode == "RGB"  # every pixel opaque: no alpha written
    assert (np.asarray(a)[..., 3] == 255).all()
    assert (np.asarray(a.convert("RGB")) == np.asarray(b)).all()
    assert (
        b.info.get("dpi") == pytest.approx((130, 130), abs=0.01)
        and "Matplotlib" in b.info["Software"]
    )


def test_laid_out_puts_the_layout_engine_back():
    fig = _constrained_figure()
    engine = fig.get_layout_engine()
    with figure_context(), laid_out(fig):
        assert fig.get_layout_engine() is None
    assert fig.get_layout_engine() is engine


def test_both_languages_read_once_and_written_together_equal_one_by_one(
    mini_result: Path, mini_variant: Path, tmp_path: Path
):
    dirs = [mini_result, mini_variant]
    alone = {
        lang: write_briefing(
            dirs, tmp_path / f"alone-{lang}.html", lang=lang, figures_dir=tmp_path / "alone" / lang
        )  # fmt: skip
        for lang in ("zh", "en")
    }
    targets = {lang: (tmp_path / f"together-{lang}.html", tmp_path / "together" / lang)
               for lang in ("zh", "en")}  # fmt: skip
    done = read_briefing(dirs).write_all(targets)  # type: ignore[arg-type]
    assert list(done) == ["zh", "en"]
    for lang, (path, seconds) in done.items():
        assert path == targets[lang][0] and seconds > 0
        assert path.read_bytes() == alone[lang].read_bytes()  # byte for byte, font included
        for png in (tmp_path / "alone" / lang).glob("*.png"):
            assert (targets[lang][1] / png.name).read_bytes() == png.read_bytes(), png.name


def _draw(lang: str, name: str):
    def draw() -> bytes:
        if name == "broken":
            raise ValueError("a figure bug")
        time.sleep(0.05)  # long enough for both processes to take some
        return f"{lang}/{name} drawn by {os.getpid()}".encode()

    return draw


def _figures(*langs: str, names=("a", "b", "c", "d", "e", "f")) -> dict:
    return {lang: {n: _draw(lang, n) for n in names} for lang in langs}


def _write(folder: Path):
    def write(lang: str, drawn) -> Path:
        if lang == "xx":
            raise SymbioError(f"no such language {lang}")
        if lang == "yy":
            raise ValueError("a bug")
        path = folder / f"{lang}.txt"
        lines = [f"{name}: {png.decode()}" for name, png in sorted(drawn.items())]
        path.write_text("\n".join([*lines, f"{lang} written by process {os.getpid()}"]))
        return path

    return write


@pytest.mark.skipif(not inparallel.can_fork(), reason="forks only on Linux")
def test_both_processes_draw_and_each_language_gets_all_its_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(inparallel, "usable_cores", lambda: 2)
    done = inparallel.write_languages(_write(tmp_path), _figures("zh", "en"))
    assert list(done) == ["zh", "en"]
    drawers, writers = set(), {}
    for lang, (path, seconds) in done.items():
        *lines, last = path.read_text().splitlines()
        writers[lang] = int(last.split()[-1])
        assert [x.split(":")[0] for x in lines] == list("abcdef") and seconds > 0
        assert all(f"{lang}/{x[0]} drawn by" in x for x in lines)  # its own, not the other's
        drawers |= {int(x.split()[-1]) for x in lines}
    assert writers["zh"] == os.getpid() and writers["en"] != os.getpid()
    assert drawers == set(writers.values())  # the figures were shared out
    serial = inparallel.write_languages(_write(tmp_path), _figures("zh", "en"), parallel=False)
    for path, _ in serial.values():  # one after the other, each drawing its own figures
        assert path.read_text().splitlines() == [f"{path.stem} written by process {os.getpid()}"]


@pytest.mark.skipif(not inparallel.can_fork(), reason="forks only on Linux")
def test_an_error_in_a_child_is_raised_here(tmp_path, monkeypatch):
    monkeypatch.setattr(inparallel, "usable_cores", lambda: 2)
    with pytest.raises(SymbioError, match="no such language xx"):
        inparallel.write_languages(_write(tmp_path), _figures("zh", "xx"))
    with pytest.raises(ValueError, match="a bug"):  # the child's language, written here again
        inparallel.write_languages(_write(tmp_path), _figures("zh", "yy"))
    many = ("a", "b", "c", "d", "e", "f", "g", "h", "broken")
    with pytest.raises(ValueError, match="a figure bug"):  # whoever drew it: raised here
        inparallel.write_languages(_write(tmp_path), _figures("zh", "en", names=many))


def test_one_core_writes_one_after_the_other(tmp_path, monkeypatch):
    monkeypatch.setattr(inparallel, "usable_cores", lambda: 1)
    done = inparallel.write_languages(_write(tmp_path), _figures("zh", "en"))
    assert {int(p.read_text().split()[-1]) for p, _ in done.values()} == {os.getpid()}
