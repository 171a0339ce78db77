"""Fonts for figures and the HTML briefing: a CJK font that installs with symbio itself.

The Chinese labels of the figures and the briefing use **Noto Sans SC** (SIL Open Font
License 1.1), shipped on PyPI by the data-only package ``pylopdf-fonts-zh-cn`` (a dependency
of symbio), so a fresh machine needs no system font and no network. :func:`register_fonts`
adds it to matplotlib's font manager; :func:`font_rc` gives the rcParams every figure is drawn
with: Noto Sans SC first, DejaVu Sans (matplotlib's own) as per-glyph fallback for the few
symbols the CJK subset lacks. :func:`embedded_font_css` subsets the same font to the
characters of a page, so the HTML briefing renders the same everywhere without fetching
anything.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from functools import cache, lru_cache
from pathlib import Path

from matplotlib import font_manager

#: Family name of the bundled CJK font, as matplotlib and browsers know it.
CJK_FAMILY = "Noto Sans SC"
#: matplotlib's own font, the fallback for glyphs the CJK font lacks.
FALLBACK_FAMILY = "DejaVu Sans"
#: Family name the HTML briefing gives the embedded subset.
HTML_FAMILY = "Symbio Noto Sans SC"
#: Changes when the subsetting options change, so older cached subsets are not reused.
SUBSET_RULE = "woff-nohint-allnames-notdef-ascii-1"
#: Font subsets kept in the cache folder (each ~100 kB).
CACHE_KEEP = 32


def cjk_font_path() -> Path:
    """Return the path of the bundled Noto Sans SC font file.

    Raises
    ------
    FileNotFoundError
        When the font package is not installed (reinstall symbio with pip).
    """
    try:
        import pylopdf_fonts_zh_cn
    except ImportError as exc:  # pragma: no cover - a dependency of symbio
        raise FileNotFoundError(
            "the CJK font package 'pylopdf-fonts-zh-cn' is not installed; "
            "reinstall symbio (pip install -e .) to get it"
        ) from exc
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():  # pragma: no cover - a broken installation
        raise FileNotFoundError(f"CJK font file missing: {path}")
    return path


@cache
def register_fonts() -> str:
    """Add the bundled CJK font to matplotlib's font manager (once); return its family name."""
    font_manager.fontManager.addfont(str(cjk_font_path()))
    return CJK_FAMILY


def font_rc() -> dict[str, object]:
    """Return the rcParams figures are drawn with (registers the font first).

    Examples
    --------
    >>> import matplotlib
    >>> with matplotlib.rc_context(font_rc()):
    ...     pass
    """
    register_fonts()
    return {
        "font.family": [CJK_FAMILY, FALLBACK_FAMILY],
        "axes.unicode_minus": False,  # the ASCII hyphen-minus is in every font
        "svg.fonttype": "path",
        # Names come from users: "$x^$" is a site name, never TeX (mathtext would raise).
        "text.parse_math": False,
    }


@cache
def _font_bytes() -> bytes:
    return cjk_font_path().read_bytes()


def embedded_font_css(text: str) -> str:
    """Return an ``@font-face`` rule embedding the CJK font subset to the characters of ``text``.

    The subset (WOFF, usually well under 200 kB) is a ``data:`` URI, so the page fetches
    nothing. Returns an empty string when ``text`` has no character beyond ASCII.
    """
    chars = "".join(sorted(c for c in set(text) if ord(c) > 0x7F))
    if not chars:
        return ""
    data = base64.b64encode(font_subset(chars)).decode("ascii")
    return (
        f"@font-face {{ font-family: '{HTML_FAMILY}'; font-weight: 100 900; "
        f"src: url(data:font/woff;base64,{data}) format('woff'); }}"
    )


@lru_cache(maxsize=16)
def font_subset(chars: str) -> bytes:
    """The bundled CJK font cut to ``chars`` and printable ASCII, as WOFF bytes.

    Subsetting takes seconds, so each subset is kept: per process, and in the user's cache
    folder (:func:`cache_dir`) under a key of the font file, the fontTools version and the
    characters, so the next briefing of the same scenarios reuses it. The subset is
    reproducible (the font's own timestamp is kept), so a cached one is the same bytes.
    """
    file = _cache_file(chars)
    if file is not None and file.is_file():
        data = file.read_bytes()
        if data[:4] == b"wOFF":
            return data
    data = _make_subset(chars)
    if file is not None:
        _store(file, data)
    return data


def _make_subset(chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes()), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False  # browsers barely use CFF hints; dropping them halves the time
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    # ASCII too, so Latin text in a Chinese line keeps one typeface.
    subsetter.populate(text=chars + "".join(map(chr, range(0x20, 0x7F))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def cache_dir() -> Path:
    """The folder of symbio's font subsets: ``$SYMBIO_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/symbio``, else ``~/.cache/symbio``."""
    if os.environ.get("SYMBIO_CACHE_DIR"):
        return Path(os.environ["SYMBIO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "symbio"


def _cache_file(chars: str) -> Path | None:
    """Where the subset of ``chars`` is kept (None when the font file cannot be read)."""
    import fontTools

    try:
        st = cjk_font_path().stat()
    except OSError:
        return None
    key = "\0".join(
        [SUBSET_RULE, str(cjk_font_path()), str(st.st_size), str(st.st_mtime_ns),
         fontTools.version, chars]
    )  # fmt: skip
    return cache_dir() / "fonts" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.woff"


def _store(file: Path, data: bytes) -> None:
    """Keep ``data`` in the cache (atomically; a cache that cannot be written is skipped),
    and the newest :data:`CACHE_KEEP` subsets only."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, file)
        kept = sorted(file.parent.glob("*.woff"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
