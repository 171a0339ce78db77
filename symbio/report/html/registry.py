"""The briefing's sections, in order: adding a section is one line in :data:`SECTIONS`.

Each :class:`Section` names its anchor id, its title (a key of
:data:`symbio.report.labels.TEXT`), its Jinja partial (``templates/sections/<id>.html.j2`` by
default) and, optionally, a function that computes what the partial shows. That function gets
the result bundles (first = main scenario) and the language and returns a dict, which the
partial reads as ``data`` (and every other section's values through the shared context).

To add a section from another module::

    # symbio/report/html/registry.py
    Section("robustness", "sec_robustness", context=robustness.section),

with ``templates/sections/robustness.html.j2`` and the title in ``labels/text.py``. A section
whose data is missing should say which command computes it (see :data:`COMMANDS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from symbio.report.bundle import ResultBundle
from symbio.report.html import glossary
from symbio.report.labels import Lang, t

#: Builds a section's own values from the bundles and the language.
SectionContext = Callable[[Sequence[ResultBundle], Lang], dict]


@dataclass(frozen=True)
class Section:
    """One section of the briefing (see the module docstring)."""

    id: str
    title: str
    context: SectionContext | None = None
    template: str = ""
    page_break: bool = True

    @property
    def partial(self) -> str:
        """The Jinja partial that renders the section."""
        return self.template or f"sections/{self.id}.html.j2"


#: The briefing, top to bottom.
SECTIONS: list[Section] = [
    Section("summary", "sec_summary", page_break=False),
    Section("comparison", "sec_comparison"),
    Section("build", "sec_build"),
    Section("network", "sec_network"),
    Section("coreduction", "sec_coreduction"),
    Section("scores", "sec_scores"),
    Section("provenance", "sec_provenance"),
    Section("solver", "sec_solver"),
    Section("assumptions", "sec_assumptions"),
    Section("glossary", "sec_glossary", context=glossary.section),
]

#: The command that computes what a section shows when its data is missing.
COMMANDS: dict[str, str] = {
    "pareto": "symbio pareto SCENARIO --x cost --y co2 --out DIR; symbio report … --pareto DIR",
    "macc": "symbio measures SCENARIO --out DIR; symbio report … --macc DIR/macc.csv",
    "cocontrol": "symbio measures SCENARIO --out DIR; symbio report … --cocontrol DIR/cocontrol.csv",
    "scores": "symbio score RESULT_DIR --out RESULT_DIR/scores",
}


def section_views(bundles: Sequence[ResultBundle], lang: Lang) -> list[dict]:
    """The sections as the page template loops over them (id, title, partial, data)."""
    return [
        {
            "id": s.id,
            "title": t(s.title, lang),
            "template": s.partial,
            "page_break": s.page_break,
            "data": s.context(bundles, lang) if s.context else {},
        }
        for s in SECTIONS
    ]
