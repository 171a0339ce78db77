"""The committee briefing: one self-contained HTML file in Chinese or English.

``write_briefing(result_dirs, out, lang)`` reads the result directories (the first is the main
scenario; the others are compared with it), draws the figures, and renders
``templates/briefing.html.j2`` with Jinja2 (autoescape on: every string from a scenario or a
result is escaped). Figures are embedded as base64 PNG and the CJK font as a subset in a
``data:`` URI, so the page fetches nothing from anywhere. For both languages, read once with
:func:`read_briefing` and write each with :meth:`Briefing.write`.

Sections (in the order of :data:`symbio.report.html.registry.SECTIONS`, one partial each in
``templates/sections/``): headline summary; baseline vs options; what to build; park map and
flows; pollution and carbon co-reduction (Pareto, MACC, co-control); indicator scores, weights
and grade; data provenance; solver status; assumptions; glossary of the indicators. What each
shows is collected by :mod:`symbio.report.html.context`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import jinja2

from symbio.errors import InputError
from symbio.fileio import write_atomic
from symbio.flows.schema import Scenario
from symbio.report.allocation_view import AllocationView, load_allocation
from symbio.report.bundle import ResultBundle, load_result
from symbio.report.figures.overview import figure_makers
from symbio.report.figures.style import draw_png
from symbio.report.fonts import embedded_font_css
from symbio.report.html.context import FONT_MARK, Drawn, briefing_context, shared_values
from symbio.report.html.inparallel import write_languages
from symbio.report.labels import LANGS, Lang
from symbio.report.robustview import RobustStudy, load_robust, robust_drawers

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _env() -> jinja2.Environment:
    """The template environment (one per process: templates are compiled once)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_briefing(
    bundles: Sequence[ResultBundle],
    lang: Lang = "zh",
    figures_dir: Path | None = None,
    robust: RobustStudy | None = None,
    allocation: AllocationView | None = None,
    drawn: Drawn | None = None,
) -> str:
    """Render the briefing of ``bundles`` (first = main scenario) to an HTML string.

    With ``figures_dir``, the figures are also saved there as PNG files; with ``robust``
    (:func:`symbio.report.robustview.load_robust`), the robustness section. Figures in
    ``drawn`` (PNG bytes by name, see :meth:`Briefing.drawers`) are not drawn again.

    Raises
    ------
    InputError
        When ``lang`` is not ``zh`` or ``en`` or no result is given.
    """
    if lang not in LANGS:
        raise InputError("--lang", "", f"unknown language {lang!r}; use zh or en")
    if not bundles:
        raise InputError("RESULT_DIR", "", "give at least one result directory")
    html = (
        _env()
        .get_template("briefing.html.j2")
        .render(**briefing_context(bundles, lang, figures_dir, robust, allocation, drawn))
    )
    return html.replace(FONT_MARK, embedded_font_css(html), 1)


@dataclass
class Briefing:
    """Everything a briefing shows, read once and written in any language."""

    bundles: list[ResultBundle]
    robust: RobustStudy | None = None
    allocation: AllocationView | None = None

    def render(
        self, lang: Lang, figures_dir: str | Path | None = None, drawn: Drawn | None = None
    ) -> str:
        """The briefing in ``lang`` as HTML (see :func:`render_briefing`)."""
        folder = Path(figures_dir) if figures_dir else None
        return render_briefing(self.bundles, lang, folder, self.robust, self.allocation, drawn)

    def write(
        self,
        out: str | Path,
        lang: Lang,
        figures_dir: str | Path | None = None,
        drawn: Drawn | None = None,
    ) -> Path:
        """Write the briefing in ``lang`` to ``out`` (atomically); return ``out``."""
        return write_atomic(out, self.render(lang, figures_dir, drawn))

    def drawers(self, lang: Lang) -> dict[str, Callable[[], bytes | None]]:
        """Every figure of the briefing in ``lang`` by file name, each drawn (as PNG bytes,
        or None when the results hold nothing for it) only when called."""
        makers = figure_makers(self.bundles, lang)
        drawers = {k: partial(draw_png, make) for k, make in makers.items()}
        if self.robust is not None:
            drawers.update(robust_drawers(self.robust, lang))
        return drawers

    def write_all(
        self,
        targets: dict[Lang, tuple[Path, Path | None]],
        parallel: bool = True,
        drawn: Mapping[tuple[str, str], bytes | None] | None = None,
    ) -> dict[Lang, tuple[Path, float]]:
        """Write the briefing in each language of ``targets`` (``{lang: (out, figures_dir)}``),
        its figures drawn by two processes where the machine allows
        (:mod:`symbio.report.html.inparallel`); return each one's path and seconds. Figures
        in ``drawn`` (by language and name, see :mod:`symbio.report.html.ahead`) are not
        drawn again.
        """
        shared_values(self.bundles)  # once, before the processes part
        return write_languages(  # type: ignore[return-value]
            lambda lang, pngs: self.write(targets[lang][0], lang, targets[lang][1], pngs),  # type: ignore[index, arg-type]
            {lang: self.drawers(lang) for lang in targets},
            parallel,
            drawn,
        )

    def with_studies(
        self, robust: str | Path | None = None, allocation: str | Path | None = None
    ) -> Briefing:
        """This briefing with a robustness study and an allocation read from their directories
        (as :func:`read_briefing` reads them)."""
        return Briefing(
            self.bundles,
            load_robust(robust) if robust else self.robust,
            load_allocation(allocation) if allocation else self.allocation,
        )


def read_briefing(
    result_dirs: Sequence[str | Path],
    *,
    scores: Sequence[str | Path] | None = None,
    pareto: str | Path | None = None,
    macc: str | Path | None = None,
    cocontrol: str | Path | None = None,
    robust: str | Path | None = None,
    allocation: str | Path | None = None,
    scenarios: Mapping[Path, Scenario] | None = None,
) -> Briefing:
    """Read what a briefing shows, once for every language (arguments: :func:`write_briefing`).

    ``scenarios`` gives, by result directory, the scenario it was solved from, when it is
    still in memory (see :func:`symbio.report.bundle.load_result`): the pilot's.

    Raises
    ------
    InputError
        When a result directory or a given file cannot be read.
    """
    bundles = load_results(
        result_dirs,
        scores=scores,
        pareto=pareto,
        macc=macc,
        cocontrol=cocontrol,
        scenarios=scenarios,
    )
    return Briefing(bundles).with_studies(robust, allocation)


def write_briefing(
    result_dirs: Sequence[str | Path],
    out: str | Path,
    *,
    lang: Lang = "zh",
    scores: Sequence[str | Path] | None = None,
    pareto: str | Path | None = None,
    macc: str | Path | None = None,
    cocontrol: str | Path | None = None,
    figures_dir: str | Path | None = None,
    robust: str | Path | None = None,
    allocation: str | Path | None = None,
) -> Path:
    """Read result directories and write the HTML briefing to ``out`` (atomically).

    Parameters
    ----------
    result_dirs
        Directories written by ``symbio run``; the first is the main scenario.
    out
        The HTML file to write.
    lang
        ``"zh"`` or ``"en"``.
    scores
        ``symbio score`` output directories, one per result directory (default: looked for
        inside each result directory).
    pareto, macc, cocontrol
        CSV files of a Pareto front, a MAC curve and a co-control table (default: looked for
        inside the result directories; sections without them say "not computed").
    figures_dir
        Also save every figure there as ``<name>.png``.
    robust
        A ``symbio robust`` output directory: adds the robustness section, the intervals on
        the headline cards and the build probabilities.
    allocation
        A ``symbio allocate`` output directory: adds the "who gains, who pays" section.

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    InputError
        When a result directory or a given file cannot be read.
    """
    briefing = read_briefing(
        result_dirs,
        scores=scores,
        pareto=pareto,
        macc=macc,
        cocontrol=cocontrol,
        robust=robust,
        allocation=allocation,
    )
    return briefing.write(out, lang, figures_dir)


def load_results(
    result_dirs: Sequence[str | Path],
    *,
    scores: Sequence[str | Path] | None = None,
    pareto: str | Path | None = None,
    macc: str | Path | None = None,
    cocontrol: str | Path | None = None,
    scenarios: Mapping[Path, Scenario] | None = None,
) -> list[ResultBundle]:
    """Read result directories for a report (see :func:`write_briefing` for the arguments).

    Raises
    ------
    InputError
        When a directory or file cannot be read, or ``scores`` does not match the results.
    """
    if not result_dirs:
        raise InputError("RESULT_DIR", "", "give at least one result directory")
    if scores and len(scores) != len(result_dirs):
        raise InputError(
            "--scores", "", f"give one scores directory per result ({len(result_dirs)})"
        )
    extras = {"pareto": pareto, "macc": macc, "cocontrol": cocontrol}
    known = scenarios or {}
    return [
        load_result(
            d,
            scores=scores[i] if scores else None,
            extras=extras if i == 0 else None,
            scenario=known.get(Path(d)),
        )
        for i, d in enumerate(result_dirs)
    ]
