"""Reports: figures, the HTML committee briefing, and Excel workbooks (zh/en).

* :func:`write_briefing` / :func:`render_briefing`: the self-contained HTML briefing of one or
  more result directories (:mod:`symbio.report.html.briefing`); :func:`read_briefing` reads
  them once for briefings in several languages;
* :func:`report_figures` and the figure functions in :mod:`symbio.report.figures`;
* :func:`write_result_workbook`: every result table in one ``.xlsx`` (:mod:`symbio.report.workbook`);
* :mod:`symbio.report.labels`: every word and number format a reader sees, in zh and en.

Scenario workbooks (Excel in, Excel out) belong to the scenario format: :mod:`symbio.flows.xlsx`.
Names are imported lazily, so importing this package does not load matplotlib.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "load_result": "symbio.report.bundle",
    "load_results": "symbio.report.html.briefing",
    "read_briefing": "symbio.report.html.briefing",
    "render_briefing": "symbio.report.html.briefing",
    "write_briefing": "symbio.report.html.briefing",
    "report_figures": "symbio.report.figures",
    "write_result_workbook": "symbio.report.workbook.results",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'symbio.report' has no attribute {name!r}")
