"""Text measured and laid out once per process, not once per figure.

matplotlib keeps the sizes of the texts it measured per renderer, and every figure has a
renderer of its own: the tick labels, units, legend entries and names that recur across the
briefing's figures (and in both languages) are measured and shaped by FreeType again for each
one, at about 50 µs a character with the autohinter. A figure drawn on a :class:`MemoCanvas`
gets a :class:`MemoRenderer`, which keeps four things for the whole process:

* the width, height and descent of a string (``get_text_width_height_descent``);
* the ascent, descent and line gap of a font (read from its OS/2 or hhea table: matplotlib
  reads both tables again for every text it lays out);
* the glyphs of a drawn string and their positions (the layout FreeType and libraqm compute
  before the glyphs are rendered);
* the outline of a string drawn as a path (a text with a halo), at matplotlib's fixed size.

Each is a pure function of the string, the font properties, the dpi and the rc settings that
choose and hint the font (snapshotted when the renderer is made, so a figure drawn under other
rc settings gets entries of its own). Only the lookups are saved: every glyph is still
rendered where matplotlib renders it, so the pixels are the same (tested against plain Agg).

The renderer calls matplotlib's private glyph API (``FT2Font._layout``, ``_set_transform``,
``_render_glyph``, ``FontManager._find_fonts_by_props``), which may change in any release:
:data:`SUPPORTED` is true only for the matplotlib releases it was checked with
(:data:`CHECKED_RELEASES`) when those names exist; elsewhere :func:`canvas_class` and
:func:`renderer_class` give plain Agg (the same pictures, measured per figure as before).
"""

from __future__ import annotations

import math
import os
import threading

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import RenderMode
from matplotlib.textpath import TextToPath

#: matplotlib releases (major, minor) the renderer was checked with, pixel for pixel.
CHECKED_RELEASES = ((3, 11),)
#: Entries kept per memo; past this the memo starts again (the briefing uses a few thousand).
MAX_ENTRIES = 50_000
#: rc settings that choose, size and hint the font of a text.
_RC_TEXT = ("text.hinting", "text.hinting_factor", "text.kerning_factor", "text.antialiased")

_SIZES: dict[tuple, tuple[float, float, float]] = {}
_HEIGHTS: dict[tuple, tuple[float | None, float | None, float | None]] = {}
_GLYPHS: dict[tuple, tuple[tuple[object, int, float, float], ...]] = {}
_OUTLINES: dict[tuple, tuple[np.ndarray, tuple[int, ...]]] = {}


def _supported() -> bool:
    """Whether this matplotlib is a checked release with the private names the memo uses."""
    from matplotlib.ft2font import FT2Font

    release = tuple(int(p) for p in mpl.__version__.split(".")[:2] if p.isdigit())
    names = (
        all(hasattr(FT2Font, n) for n in ("_layout", "_set_transform", "_render_glyph"))
        and hasattr(fontManager, "_find_fonts_by_props")
        and hasattr(RendererAgg, "_prepare_font")
    )
    return release in CHECKED_RELEASES and names


#: True when figures are drawn with :class:`MemoCanvas` (see the module docstring).
SUPPORTED = _supported()


def clear() -> None:
    """Forget every memo (tests; a font file replaced while the process runs)."""
    for memo in (_SIZES, _HEIGHTS, _GLYPHS, _OUTLINES):
        memo.clear()


# The glyph layouts hold FreeType fonts, which read their file through a handle a forked child
# shares with its parent (matplotlib drops its own fonts in a child for that reason): a child
# starts without them. Sizes, heights and outlines are plain numbers and stay valid.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_GLYPHS.clear)


def _rc_key() -> tuple:
    """The rc settings in force that a text's font and hinting depend on, and the number of
    fonts matplotlib knows (a font added later, e.g. the CJK font, may match instead)."""
    rc = mpl.rcParams
    keys = sorted(k for k in rc if k.startswith("font.")) + [k for k in _RC_TEXT if k in rc]
    settings = ((k, tuple(v) if isinstance(v, list) else v) for k, v in ((k, rc[k]) for k in keys))
    return (*settings, ("fonts", len(fontManager.ttflist)))


def _prop_key(prop: FontProperties) -> tuple:
    """What ``FontProperties.__hash__`` hashes, as a key (no hash collisions)."""
    return (
        tuple(prop.get_family()),
        prop.get_slant(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        prop.get_math_fontfamily(),
    )


def _remember(memo: dict, key: tuple, value: object) -> None:
    if len(memo) >= MAX_ENTRIES:
        memo.clear()
    memo[key] = value


class MemoRenderer(RendererAgg):
    """Agg renderer whose text sizes, font heights and glyph layouts are kept per process."""

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self._rc = _rc_key()
        self._text2path = MemoTextToPath(self._rc)  # text drawn as a path (halo effects)

    def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, ANN201
        """As Agg's, kept per (string, font properties, dpi, rc settings)."""
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _prop_key(prop), self.dpi, self._rc)
        found = _SIZES.get(key)
        if found is None:
            found = super().get_text_width_height_descent(s, prop, ismath)
            _remember(_SIZES, key, found)
        return found

    def _get_font_height_metrics(self, prop):  # noqa: ANN001, ANN202
        """Ascent, descent and line gap of ``prop``'s font at this dpi, as ``Text._get_layout``
        computes them when the renderer does not (the hook the PDF backend uses)."""
        key = (_prop_key(prop), self.dpi, self._rc)
        found = _HEIGHTS.get(key)
        if found is None:
            found = _font_heights(prop, self.dpi)
            _remember(_HEIGHTS, key, found)
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001, ANN201, PLR0913
        """As Agg's, with the string's glyphs and positions kept per process."""
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        # Per thread, as matplotlib keeps its fonts: a FreeType font is not thread-safe.
        key = (s, _prop_key(prop), self.dpi, self._rc, features, language, threading.get_ident())
        glyphs = _GLYPHS.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)
            items = font._layout(s, flags=get_hinting_flag(), features=features, language=language)
            glyphs = tuple((i.ft_object, i.glyph_index, i.x, i.y) for i in items)
            _remember(_GLYPHS, key, glyphs)
        self._draw_glyphs(gc, x, y, angle, prop.get_size_in_points(), glyphs)
        return None

    def _draw_glyphs(self, gc, x, y, angle, size, glyphs) -> None:  # noqa: ANN001, PLR0913
        """Agg's ``_draw_text_glyphs_and_boxes`` for unslanted, unstretched glyphs: the same
        transform and position per glyph, the rotation matrix computed once per string."""
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        # Agg's rotation times its stretch-and-slant matrix, which is the identity here.
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        flags = get_hinting_flag()
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        height = self.height
        for font, glyph_index, dx, dy in glyphs:  # dy is upwards.
            font.set_size(size, self.dpi)
            font._set_transform(
                matrix,
                [
                    round(0x40 * (x + dx * cos - dy * sin)),
                    round(0x40 * (height - y + dx * sin + dy * cos)),
                ],
            )
            bitmap = font._render_glyph(glyph_index, flags, mode)
            buffer = bitmap.buffer
            if mode is RenderMode.MONO:
                buffer *= 0xFF
            self._renderer.draw_text_image(
                buffer, bitmap.left, int(height) - bitmap.top + buffer.shape[0], 0, gc
            )


class MemoTextToPath(TextToPath):
    """matplotlib's text-to-path converter, its outlines of a string kept per process."""

    def __init__(self, rc: tuple) -> None:
        super().__init__()
        self._rc = rc

    def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):  # noqa: ANN001, ANN201
        """As matplotlib's (vertices at its fixed size and dpi: independent of the renderer),
        returned as one read-only array of vertices and a tuple of codes."""
        if ismath:
            return super().get_text_path(prop, s, ismath, features=features, language=language)
        key = (s, _prop_key(prop), features, language, self._rc)
        found = _OUTLINES.get(key)
        if found is None:
            verts, codes = super().get_text_path(prop, s, features=features, language=language)
            array = np.array(verts, dtype=float).reshape(-1, 2)
            array.flags.writeable = False
            found = (array, tuple(codes))
            _remember(_OUTLINES, key, found)
        return found


def _font_heights(prop: FontProperties, dpi: float) -> tuple:
    """``Text._get_layout``'s font ascent, descent and line gap (None when neither table is
    in the font: matplotlib then measures "lp")."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


class MemoCanvas(FigureCanvasAgg):
    """Agg canvas drawing with a :class:`MemoRenderer`."""

    def get_renderer(self) -> MemoRenderer:
        """The renderer for the figure's current size and dpi (made anew when they change)."""
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key or not isinstance(getattr(self, "renderer", None), MemoRenderer):
            self.renderer = MemoRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def canvas_class() -> type[FigureCanvasAgg]:
    """:class:`MemoCanvas` where :data:`SUPPORTED`, else matplotlib's Agg canvas."""
    return MemoCanvas if SUPPORTED else FigureCanvasAgg


def renderer_class() -> type[RendererAgg]:
    """:class:`MemoRenderer` where :data:`SUPPORTED`, else matplotlib's Agg renderer."""
    return MemoRenderer if SUPPORTED else RendererAgg
