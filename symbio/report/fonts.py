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
import io
from functools import cache
from pathlib import Path

from matplotlib import font_manager

#: Family name of the bundled CJK font, as matplotlib and browsers know it.
CJK_FAMILY = "Noto Sans SC"
#: matplotlib's own font, the fallback for glyphs the CJK font lacks.
FALLBACK_FAMILY = "DejaVu Sans"
#: Family name the HTML briefing gives the embedded subset.
HTML_FAMILY = "Symbio Noto Sans SC"


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
    chars = {c for c in text if ord(c) > 0x7F}
    if not chars:
        return ""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes()))
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False  # browsers barely use CFF hints; dropping them halves the time
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    # ASCII too, so Latin text in a Chinese line keeps one typeface.
    subsetter.populate(text="".join(sorted(chars)) + "".join(map(chr, range(0x20, 0x7F))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return (
        f"@font-face {{ font-family: '{HTML_FAMILY}'; font-weight: 100 900; "
        f"src: url(data:font/woff;base64,{data}) format('woff'); }}"
    )
