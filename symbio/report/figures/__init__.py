"""Figures of the briefing (matplotlib, zh/en): park map, Sankey diagrams, KPI changes,
trade-off front, MACC, co-control coordinates, score radar and grade bars.

:func:`report_figures` draws every figure a set of result directories supports;
:mod:`~symbio.report.figures.style` holds the shared look (fonts, colours, PNG output).
"""

from __future__ import annotations

from symbio.report.figures.overview import report_figures, scenario_labels

__all__ = ["report_figures", "scenario_labels"]
