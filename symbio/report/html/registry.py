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
    #: Shown only when this key of the briefing context is set (e.g. a robustness study).
    when: str = ""
    #: The partial writes its own ``<section>`` and ``<h2>``; the title for the navigation
    #: is then looked up in the context (``"robust.T.title"``).
    own_heading: bool = False

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
    Section("robust", "robust.T.title", when="robust", own_heading=True),
    Section("coreduction", "sec_coreduction"),
    Section("allocation", "allocation.T.sec", when="allocation", own_heading=True),
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


def section_views(bundles: Sequence[ResultBundle], lang: Lang, context: dict) -> list[dict]:
    """The sections as the page template loops over them (id, title, partial, data), leaving
    out those whose ``when`` key is empty in ``context``.
    """
    return [
        {
            "id": s.id,
            "title": _lookup(context, s.title) if s.own_heading else t(s.title, lang),
            "template": s.partial,
            "page_break": s.page_break,
            "own_heading": s.own_heading,
            "data": s.context(bundles, lang) if s.context else {},
        }
        for s in SECTIONS
        if not s.when or context.get(s.when)
    ]


def _lookup(context: dict, path: str) -> str:
    """``context["robust"]["T"]["title"]`` for ``"robust.T.title"`` (attributes too)."""
    value: object = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, "")
    return str(value or "")
