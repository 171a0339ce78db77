"""The indicator library: definitions, benchmarks and evaluation over KPIs.

An indicator library is one or more YAML files (``data/indicators/*.yaml``). Each indicator
has an id, zh/en names, one of the plan's six areas, a unit, a direction, level benchmarks
I (leading) / II (advanced) / III (general) each with its source, a ``limiting`` (限定性)
flag, the levels it applies to (park / network / enterprise) and a ``formula`` over named
KPIs (see :mod:`symbio.scoring.expr`).

A value *meets* level g when it is at least as good as the level-g benchmark in the
indicator's direction; meeting I implies meeting II and III because the benchmarks are
checked to be ordered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from symbio.errors import InputError, Problem
from symbio.scoring.expr import (
    Expression,
    ExpressionError,
    NotAvailable,
    evaluate,
    parse_expression,
)

__all__ = [
    "AREAS", "GRADES", "LEVELS", "Benchmark", "Indicator", "IndicatorLibrary", "LibraryError",
    "evaluate_indicators", "indicator_records", "load_library",
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


class LibraryError(InputError):
    """The indicator library is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        extra = "".join(f"\n  - {p}" for p in self.problems[1:])
        super().__init__(first.file, first.path, first.message + extra)


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


def load_library(paths: str | Path | Sequence[str | Path]) -> IndicatorLibrary:
    """Load and validate an indicator library from YAML files or a directory.

    Parameters
    ----------
    paths : path or sequence of paths
        YAML files, or a directory whose ``*.yaml`` files are read in name order.

    Returns
    -------
    IndicatorLibrary

    Raises
    ------
    LibraryError
        With every problem found (file and field named), e.g. an unknown area, unordered
        benchmarks, a missing source or a formula outside the grammar.
    """
    files = _expand(paths)
    problems: list[Problem] = []
    indicators: list[Indicator] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(Problem(str(path), "", f"cannot read YAML: {exc}"))
            continue
        items = doc.get("indicators") if isinstance(doc, dict) else None
        if not isinstance(items, list):
            problems.append(Problem(str(path), "indicators", "expected a list of indicators"))
            continue
        for k, raw in enumerate(items):
            ind = _parse_indicator(raw, str(path), f"indicators[{k}]", problems)
            if ind is None:
                continue
            if ind.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        f"indicators[{k}].id",
                        f"duplicate id {ind.id!r} (also in {seen[ind.id]})",
                    )
                )
                continue
            seen[ind.id] = str(path)
            indicators.append(ind)
    if problems:
        raise LibraryError(problems)
    return IndicatorLibrary(tuple(indicators), tuple(str(p) for p in files))


def _expand(paths: str | Path | Sequence[str | Path]) -> list[Path]:
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    files: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            files.extend(sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(str(p), "", "indicator library file or directory not found")
    if not files:
        raise InputError(str(items[0]) if items else "", "", "no indicator YAML files found")
    return files


def _parse_indicator(
    raw: object, file: str, where: str, problems: list[Problem]
) -> Indicator | None:
    # Long: one validation per field of an indicator record, each naming its field.
    n0 = len(problems)

    def bad(fld: str, msg: str) -> None:
        problems.append(Problem(file, f"{where}.{fld}" if fld else where, msg))

    if not isinstance(raw, dict):
        bad("", "expected a mapping")
        return None
    known = {"id", "name", "area", "unit", "direction", "level", "limiting", "formula"}
    known |= {"benchmarks", "floor", "source", "note"}
    for key in raw:
        if key not in known:
            bad(str(key), f"unknown field (allowed: {', '.join(sorted(known))})")
    ind_id = raw.get("id")
    if not isinstance(ind_id, str) or not ind_id.isidentifier():
        bad("id", f"expected an identifier, got {ind_id!r}")
    name = raw.get("name") or {}
    if not isinstance(name, dict) or not name.get("zh") or not name.get("en"):
        bad("name", "expected {zh: ..., en: ...}")
        name = {}
    area = raw.get("area")
    if area not in AREAS:
        bad("area", f"unknown area {area!r} (allowed: {', '.join(AREAS)})")
    direction = raw.get("direction")
    if direction not in DIRECTIONS:
        bad("direction", f"expected one of {DIRECTIONS}, got {direction!r}")
    levels = raw.get("level", "park")
    seq = isinstance(levels, list | tuple)  # a number or a mapping is reported below
    levels = (levels,) if isinstance(levels, str) else tuple(levels) if seq else ()
    if not levels or any(not isinstance(lv, str) or lv not in LEVELS for lv in levels):
        bad("level", f"expected any of {LEVELS}, got {raw.get('level')!r}")
    if not isinstance(raw.get("limiting", False), bool):
        bad("limiting", "expected true or false")
    for fld in ("unit", "source"):
        if not isinstance(raw.get(fld), str) or not raw[fld].strip():
            bad(fld, "required text is missing")
    formula = None
    try:
        formula = parse_expression(raw.get("formula"))  # type: ignore[arg-type]
    except ExpressionError as exc:
        bad("formula", str(exc))
    benchmarks: dict[str, Benchmark] = {}
    raw_b = raw.get("benchmarks")
    if not isinstance(raw_b, dict) or set(raw_b) != {"I", "II", "III"}:
        bad("benchmarks", "expected exactly the keys I, II, III")
    else:
        for g in ("I", "II", "III"):
            b = _parse_benchmark(raw_b[g], lambda m, g=g: bad(f"benchmarks.{g}", m))
            if b is not None:
                benchmarks[g] = b
    floor = None
    if raw.get("floor") is not None:
        floor = _parse_benchmark(raw["floor"], lambda m: bad("floor", m))
    if len(benchmarks) == 3 and direction in DIRECTIONS:
        s = 1.0 if direction == "higher_better" else -1.0
        v = [s * benchmarks[g].value for g in ("I", "II", "III")]
        if not v[0] >= v[1] >= v[2]:
            order = "I >= II >= III" if s > 0 else "I <= II <= III"
            bad("benchmarks", f"values must be ordered {order} for {direction}")
        if floor is not None and s * floor.value > v[2]:
            bad("floor", "floor must lie beyond the level III benchmark")
    if len(problems) > n0:
        return None
    return Indicator(
        id=ind_id,
        name_zh=str(name["zh"]),
        name_en=str(name["en"]),
        area=area,
        unit=raw["unit"],
        direction=direction,
        levels=levels,
        limiting=bool(raw.get("limiting", False)),
        formula=formula,  # type: ignore[arg-type]
        benchmarks=benchmarks,
        source=raw["source"].strip(),
        floor=floor,
        note=str(raw.get("note", "") or ""),
    )


def _parse_benchmark(raw: object, bad) -> Benchmark | None:  # noqa: ANN001
    if not isinstance(raw, dict) or "value" not in raw:
        bad("expected {value: number, source: text}")
        return None
    value = raw.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        bad(f"value must be a finite number, got {value!r}")
        return None
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        bad("source is required (standard and clause, or 'estimate: reasoning')")
        return None
    return Benchmark(float(value), source.strip())


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
