"""The main job's briefing, begun early: read and drawn while the last studies still run.

Once the scenarios are solved, scored and compared and the Pareto front and the measures are
written, everything the briefing's figures show is known except the robustness study's
(tornado, regret): the park map, the flow diagrams, the KPI, score and trade-off charts.
:func:`begin_briefing` reads the results then (as :func:`symbio.report.html.briefing.
read_briefing` would at the end) and has a forked child draw those figures
(:mod:`symbio.report.html.ahead`) while this process splits the savings and the robustness
study's samples run; :func:`write_briefings` adds the two studies, draws what is left with
the child's figures and writes every language. The pages and figures are the same as when
everything is read and drawn at the end; nothing is written before then. An error while
reading or drawing early is raised by :func:`write_briefings`, where the briefing step would
have raised it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from symbio.errors import SymbioError

if TYPE_CHECKING:
    from symbio.report.html.ahead import DrawingAhead
    from symbio.report.html.briefing import Briefing


@dataclass
class EarlyBriefing:
    """The briefing as read early, and its figures being drawn (or the error of reading)."""

    briefing: Briefing | None
    drawing: DrawingAhead | None = None
    error: SymbioError | None = None
    read_seconds: float = 0.0
    #: Seconds of the briefing step before the pages were written (the drawing finished).
    finish_seconds: float = 0.0

    def close(self) -> None:
        """Stop drawing (when the job stops before the briefing step)."""
        if self.drawing is not None:
            self.drawing.close()


def begin_briefing(
    dirs: list[Path], studies: Mapping[str, object], langs: tuple[str, ...], solved: Mapping
) -> EarlyBriefing:
    """Read the results ``dirs`` (first = main scenario) with the Pareto front and measures of
    ``studies`` and the scenarios ``solved`` in memory, and start drawing every figure in
    ``langs`` that needs nothing else."""
    from symbio.report.html.ahead import draw_ahead
    from symbio.report.html.briefing import read_briefing
    from symbio.report.html.context import shared_values

    t = time.perf_counter()
    try:
        extras = {k: studies.get(k) for k in ("pareto", "macc", "cocontrol")}
        briefing = read_briefing(dirs, scenarios=solved, **extras)  # type: ignore[arg-type]
        shared_values(briefing.bundles)  # once, before the processes part
    except SymbioError as exc:
        return EarlyBriefing(None, error=exc)
    read_s = time.perf_counter() - t
    drawing = draw_ahead({lang: briefing.drawers(lang) for lang in langs})
    return EarlyBriefing(briefing, drawing, read_seconds=read_s)


def write_briefings(
    early: EarlyBriefing,
    targets: dict,
    robust: str | Path | None,
    allocation: str | Path | None,
) -> dict:
    """Write each language of ``targets`` (``{lang: (out, figures_dir)}``) of the briefing
    begun in ``early``, with the robustness study and allocation now done; each one's path
    and seconds (as :meth:`symbio.report.html.briefing.Briefing.write_all`).

    Raises
    ------
    SymbioError
        The error of reading or drawing early, or of writing now.
    """
    t = time.perf_counter()
    try:
        if early.error is not None:
            raise early.error
        briefing = early.briefing.with_studies(robust, allocation)  # type: ignore[union-attr]
        drawn = early.drawing.finish() if early.drawing is not None else {}
    finally:
        early.close()
    early.finish_seconds = time.perf_counter() - t
    return briefing.write_all(targets, drawn=drawn)
