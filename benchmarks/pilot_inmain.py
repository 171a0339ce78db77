"""``symbio pilot`` with the early figures drawn in the main process instead of a forked child.

    PYTHONPATH=<checkout> python benchmarks/pilot_inmain.py pilot --out DIR/scip

The variant the briefing's early drawing was measured against (benchmarks/results/
briefing-2026-12-05e.md): where the pilot would fork a child to draw the figures that wait for
no later study (:func:`symbio.report.html.ahead.draw_ahead`), this process draws them at
once, between the measures and the allocation, and the briefing step then finds them drawn.
Same outputs; only where the work runs differs.
"""

from __future__ import annotations

import sys

from symbio.report.html import ahead
from symbio.report.html.inparallel import Figures


class DrawnHere:
    """Figures drawn in this process when made (``finish`` hands them over)."""

    def __init__(self, figures: Figures) -> None:
        import time

        t = time.perf_counter()
        self._drawn = {(lang, name): draw() for lang, named in figures.items() for name, draw in named.items()}  # fmt: skip
        self.seconds = time.perf_counter() - t

    def finish(self) -> dict:
        """The figures drawn."""
        return self._drawn

    def close(self) -> None:
        """Nothing runs in the background."""


def main() -> None:
    """Run the ``symbio`` command with the early figures drawn here."""
    ahead.draw_ahead = DrawnHere  # type: ignore[assignment]
    from symbio.cli.app import entry

    sys.argv = ["symbio", *sys.argv[1:]]
    entry()


if __name__ == "__main__":
    main()
