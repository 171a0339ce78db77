"""Reports: figures, the HTML committee briefing, and Excel workbooks (zh/en).

* :func:`write_briefing` / :func:`render_briefing`: the self-contained HTML briefing of one or
  more result directories (:mod:`symbio.report.briefing`);
* :func:`report_figures` and the figure functions in :mod:`symbio.report.figures`;
* :func:`write_result_workbook`: every result table in one ``.xlsx``;
* :func:`read_scenario_workbook` / :func:`write_scenario_workbook`: scenarios in Excel.

Names are imported lazily, so reading a scenario workbook does not load matplotlib.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "load_result": "symbio.report.bundle",
    "load_results": "symbio.report.briefing",
    "render_briefing": "symbio.report.briefing",
    "write_briefing": "symbio.report.briefing",
    "report_figures": "symbio.report.figures",
    "write_result_workbook": "symbio.report.resultbook",
    "read_scenario_workbook": "symbio.report.workbook",
    "write_scenario_workbook": "symbio.report.workbook",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'symbio.report' has no attribute {name!r}")
