"""The indicator library: definitions, benchmarks and evaluation over KPIs.

An indicator library is one or more YAML files (``data/indicators/*.yaml``). Each indicator
has an id, zh/en names, one of the plan's six areas, a unit, a direction, level benchmarks
I (leading) / II (advanced) / III (general) each with its source, a ``limiting`` (限定性)
flag, the levels it applies to (park / network / enterprise) and a ``formula`` over named
KPIs (see :mod:`symbio.scoring.expr`). Reading and checking the files:
:mod:`symbio.scoring.indicator_files`.

A value *meets* level g when it is at least as good as the level-g benchmark in the
indicator's direction; meeting I implies meeting II and III because the benchmarks are
checked to be ordered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from symbio.scoring.expr import Expression, NotAvailable, evaluate

__all__ = [
    "AREAS", "GRADES", "LEVELS", "Benchmark", "Indicator", "IndicatorLibrary",
    "evaluate_indicators", "indicator_records",
]  # fmt: skip

#: The plan's six areas, in report order: id -> (zh, en).
AREAS: dict[str, tuple[str, str]] = {
    "resource_energy_efficiency": ("资源与能源利用效率", "Resource and energy efficiency"),
    "pollutant_emissions": ("污染物排放", "Pollutant emissions"),
    "decoupling": ("经济增长与化石能源脱钩程度", "Decoupling of growth from fossil energy"),
    "carbon_emissions": ("碳排放水平", "Carbon emission level"),
    "industrial_chain": (
        "清洁生产产业链(产业共生)",
        "Cleaner-production industrial chain (symbiosis)",
    ),
    "cp_management": ("清洁生产管理水平", "Cleaner-production management"),
}
#: Benchmark levels, best first, plus the grade below level III.
GRADES: tuple[str, ...] = ("I", "II", "III", "below")
LEVELS: tuple[str, ...] = ("park", "network", "enterprise")
DIRECTIONS = ("lower_better", "higher_better")


@dataclass(frozen=True)
class Benchmark:
    """One benchmark value and where it comes from (standard and clause, or ``estimate:``)."""

    value: float
    source: str

    @property
    def is_estimate(self) -> bool:
        """True when the value is the project's estimate rather than a published value."""
        return self.source.strip().lower().startswith("estimate")


@dataclass(frozen=True)
class Indicator:
    """One cleaner-production indicator.

    Attributes
    ----------
    id, name_zh, name_en, area, unit, direction : str
        Identity and meaning; ``direction`` is ``lower_better`` or ``higher_better``.
    levels : tuple of str
        Where it applies: any of ``park``, ``network``, ``enterprise``.
    limiting : bool
        限定性 indicator: the composite rating requires it to meet the level.
    formula : Expression
        How the value is computed from KPIs.
    benchmarks : dict
        ``{"I": Benchmark, "II": Benchmark, "III": Benchmark}``.
    floor : Benchmark or None
        Value at or beyond which membership is entirely "below III"; when ``None`` it is
        extrapolated as III - (II - III).
    source, note : str
        Source of the indicator definition, and free text.
    """

    id: str
    name_zh: str
    name_en: str
    area: str
    unit: str
    direction: str
    levels: tuple[str, ...]
    limiting: bool
    formula: Expression
    benchmarks: dict[str, Benchmark]
    source: str
    floor: Benchmark | None = None
    note: str = ""

    @property
    def sign(self) -> float:
        """+1 for higher-better, -1 for lower-better (multiply values to make higher better)."""
        return 1.0 if self.direction == "higher_better" else -1.0

    def thresholds(self) -> tuple[float, float, float]:
        """Return the (I, II, III) benchmark values."""
        return tuple(self.benchmarks[g].value for g in ("I", "II", "III"))  # type: ignore[return-value]

    def anchors(self) -> tuple[float, float, float, float]:
        """Return (I, II, III, floor) in the indicator's own units, floor extrapolated if unset."""
        b1, b2, b3 = self.thresholds()
        b4 = self.floor.value if self.floor is not None else b3 - (b2 - b3)
        if self.floor is None and b4 == b3:  # I = II = III: fall back to 20 % beyond III
            b4 = b3 - self.sign * max(abs(b3) * 0.2, 1e-9)
        return b1, b2, b3, b4

    def meets(self, value: float, grade: str) -> bool:
        """Return True when ``value`` meets the benchmark of ``grade`` (I, II or III)."""
        return self.sign * value >= self.sign * self.benchmarks[grade].value

    def level_met(self, value: float) -> str:
        """Return the best grade met: ``I``, ``II``, ``III`` or ``below``."""
        for grade in ("I", "II", "III"):
            if self.meets(value, grade):
                return grade
        return "below"


@dataclass(frozen=True)
class IndicatorLibrary:
    """A validated set of indicators, in file order."""

    indicators: tuple[Indicator, ...]
    files: tuple[str, ...] = ()
    _by_id: dict[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({ind.id: ind for ind in self.indicators})

    def __len__(self) -> int:
        return len(self.indicators)

    def __iter__(self):  # noqa: D105
        return iter(self.indicators)

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    @property
    def ids(self) -> list[str]:
        """Indicator ids in library order."""
        return [ind.id for ind in self.indicators]

    def for_level(self, level: str) -> IndicatorLibrary:
        """Return the indicators that apply to ``level`` (park, network or enterprise)."""
        return self.subset([i.id for i in self.indicators if level in i.levels])

    def subset(self, ids: Iterable[str]) -> IndicatorLibrary:
        """Return the indicators whose id is in ``ids``, keeping library order."""
        keep = set(ids)
        return IndicatorLibrary(tuple(i for i in self.indicators if i.id in keep), self.files)

    def areas(self) -> list[str]:
        """Areas that have at least one indicator, in :data:`AREAS` order."""
        present = {i.area for i in self.indicators}
        return [a for a in AREAS if a in present]


def evaluate_indicators(library: IndicatorLibrary, kpis: Mapping[str, object]) -> pd.DataFrame:
    """Evaluate every indicator of a library over one set of KPIs.

    Parameters
    ----------
    library : IndicatorLibrary
    kpis : mapping of str to number
        KPI values by name (park, network or one enterprise).

    Returns
    -------
    pandas.DataFrame
        One row per indicator with columns ``indicator, area, unit, direction, limiting,
        value, available, reason, level_met``; ``value`` is NaN and ``reason`` says why when
        the indicator is not available (missing KPI, division by zero, ...).
    """
    rows = indicator_records(library, kpis)
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else None)


def indicator_records(library: IndicatorLibrary, kpis: Mapping[str, object]) -> list[dict]:
    """The rows of :func:`evaluate_indicators` as plain dicts (the scoring loop's form)."""
    rows = []
    for ind in library:
        try:
            value, reason = evaluate(ind.formula, kpis), ""
        except NotAvailable as exc:
            value, reason = np.nan, exc.reason
        available = not math.isnan(value)
        rows.append(
            {
                "indicator": ind.id,
                "area": ind.area,
                "unit": ind.unit,
                "direction": ind.direction,
                "limiting": ind.limiting,
                "value": value,
                "available": available,
                "reason": reason,
                "level_met": ind.level_met(value) if available else "",
            }
        )
    return rows
