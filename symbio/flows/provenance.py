"""How much of a scenario rests on estimates: count its numbers by provenance.

Every record of the data sections (resources, sites and their supplies, demands and
economics, processes, links, candidate-link generators, markets, disposal, policy) may carry
``source:`` (a citation) or ``estimate:`` (the method). A record without either takes the
provenance of the record it is nested in (a site's economics, supplies and demands take the
site's). Each number *written in the file* (defaults do not count) is then counted as

* ``estimate``: it is listed in the scenario's ``estimates`` table (an estimate *with a
  range*), or its record has ``estimate:`` (with or without ``source:``; an estimate whose
  range is not given);
* ``source``: it is listed in the scenario's ``sources`` table (a citation, or a definition
  such as the 1 of a process's reference flow, by field path), or its record has
  ``source:`` only;
* ``factor``: it came from the factor set by ``{factor: KEY}`` (the factor set cites it);
* ``none``: no provenance at all.

A number listed in ``estimates`` but left at its default is counted too. Time slices,
measures, objective and solver settings are choices, not data; they are not counted.

:func:`uncertain_numbers` lists the ranged estimates for sampling (the robustness sweep).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from symbio.flows.fieldpath import resolve
from symbio.flows.load import scenario_origin
from symbio.flows.schema import RECORD_KEYS, Provenance, Scenario
from symbio.flows.yamlsource import format_path, item_segment

#: Scenario fields that hold data (choices such as time slices or solver settings are left out).
DATA_SECTIONS = (
    "resources",
    "sites",
    "processes",
    "links",
    "candidate_links",
    "markets",
    "disposal",
    "policy",
)
KINDS = ("estimate", "source", "factor", "none")


@dataclass(frozen=True)
class UncertainNumber:
    """One estimated number of a scenario with its range (from the ``estimates`` table)."""

    path: str
    """Field path in the ``--set`` form, e.g. ``markets[naoh_sale].sell_cny``."""
    value: float
    """The value in the scenario (the mode of a triangular distribution)."""
    low: float
    """Lowest plausible value."""
    high: float
    """Highest plausible value."""
    dist: Literal["triangular", "uniform"]
    """Sampling distribution."""
    group: str | None
    """Numbers of one group are sampled together (same quantile); None: independent."""
    method: str
    """How the number and its range were estimated."""


def uncertain_numbers(scenario: Scenario) -> list[UncertainNumber]:
    """Return the scenario's ranged estimates, sorted by path.

    Parameters
    ----------
    scenario
        A loaded scenario (its ``estimates`` paths were checked to name numbers).

    Returns
    -------
    list[UncertainNumber]
        One per entry of ``scenario.estimates``, with the value currently in the scenario.
    """
    out = []
    for path in sorted(scenario.estimates):
        est = scenario.estimates[path]
        value = float(resolve(scenario, path))  # type: ignore[arg-type]
        out.append(UncertainNumber(path, value, est.low, est.high, est.dist, est.group, est.method))
    return out


def provenance_summary(scenario: Scenario) -> dict:
    """Count the scenario's numbers by provenance.

    Parameters
    ----------
    scenario
        A loaded scenario (factor references are recognised through its origin).

    Returns
    -------
    dict
        ``numbers`` (total), ``counts`` ({kind: n}), ``shares`` ({kind: n / numbers}, 0
        when there are no numbers), ``by_section`` ({section: {kind: n}}), ``ranged``
        (estimates listed in ``estimates``, with a range), ``unranged`` (estimates without a
        range: their record says ``estimate:`` but the number is not in ``estimates``) and
        ``unsourced`` (the field paths of the numbers without any provenance), where kind is
        one of ``estimate``, ``source``, ``factor``, ``none``.

    Examples
    --------
    >>> from symbio import load_scenario
    >>> s = load_scenario("scenarios/examples/hydrogen-pair.yaml")  # doctest: +SKIP
    >>> provenance_summary(s)["shares"]["estimate"]  # doctest: +SKIP
    1.0
    """
    ranged = set(scenario.estimates)
    by_section, unranged, unsourced = _count_by_section(scenario, ranged)
    total_counts = sum(by_section.values(), Counter())
    total = sum(total_counts.values())
    return {
        "numbers": total,
        "counts": {k: total_counts.get(k, 0) for k in KINDS},
        "shares": {k: (total_counts.get(k, 0) / total if total else 0.0) for k in KINDS},
        "by_section": {s: {k: c.get(k, 0) for k in KINDS} for s, c in by_section.items()},
        "ranged": len(ranged),
        "unranged": unranged,
        "unsourced": unsourced,
    }


def _count_by_section(
    scenario: Scenario, ranged: set[str]
) -> tuple[dict[str, Counter], int, list[str]]:
    """Numbers by section and kind, the estimates without a range, the unsourced paths."""
    factor_paths = {use["path"] for use in scenario_origin(scenario)["factors"]}
    cited = set(scenario.sources)
    by_section: dict[str, Counter] = {}
    unsourced: list[str] = []
    seen: set[str] = set()
    unranged = 0
    for section in DATA_SECTIONS:
        counts: Counter = Counter()
        for path, kind in _numbers(getattr(scenario, section), (section,), section, None):
            text = format_path(path)
            seen.add(text)
            kind = _table_kind(text, kind, ranged, cited, factor_paths)
            counts[kind] += 1
            unranged += kind == "estimate" and text not in ranged
            if kind == "none":
                unsourced.append(text)
        by_section[section] = counts
    for text in ranged - seen:  # listed in estimates but left at the default value
        section = text.split(".", 1)[0].split("[", 1)[0]
        by_section.setdefault(section, Counter())["estimate"] += 1
    return by_section, unranged, unsourced


def _table_kind(text: str, kind: str, ranged: set, cited: set, factor_paths: set) -> str:
    """A number's kind: the field-path tables first, then the factor set, then its record."""
    if text in ranged:
        return "estimate"
    if text in cited:
        return "source"
    return "factor" if text in factor_paths else kind


def _numbers(value: object, path: tuple[str, ...], name: str, inherited: str | None):  # noqa: ANN202
    """Yield (path, kind) for every number written in ``value``."""
    if isinstance(value, BaseModel):
        kind = inherited
        if isinstance(value, Provenance):
            if value.estimate:
                kind = "estimate"
            elif value.source:
                kind = "source"
        for field in sorted(value.model_fields_set):
            info = type(value).model_fields[field]
            key = info.alias or field
            yield from _numbers(getattr(value, field), (*path, key), key, kind)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            seg = item_segment(name, _as_mapping(item), i)
            yield from _numbers(item, (*path, seg), name, inherited)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*path, str(key)), str(key), inherited)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, inherited or "none"


def _as_mapping(item: object) -> object:
    """A record as a mapping with its key, so list items are named as in error messages."""
    if isinstance(item, BaseModel):
        return item.model_dump(include={"id", *RECORD_KEYS.values()})
    return item
