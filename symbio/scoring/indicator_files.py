"""Reading an indicator library from its YAML files (``data/indicators/*.yaml``).

Every problem is collected, each naming its file and field, and raised together as one
:class:`LibraryError`. What an indicator is and how it is evaluated:
:mod:`symbio.scoring.indicators`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from symbio.errors import InputError, Problem
from symbio.scoring.expr import ExpressionError, parse_expression
from symbio.scoring.indicators import (
    AREAS,
    DIRECTIONS,
    LEVELS,
    Benchmark,
    Indicator,
    IndicatorLibrary,
)
from symbio.scoring.yamlfile import safe_load


class LibraryError(InputError):
    """The indicator library is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        extra = "".join(f"\n  - {p}" for p in self.problems[1:])
        super().__init__(first.file, first.path, first.message + extra)


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
            doc = safe_load(path.read_text(encoding="utf-8"))
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
    """One indicator record, or ``None`` after adding its problems (each naming its field)."""
    n0 = len(problems)

    def bad(fld: str, msg: str) -> None:
        problems.append(Problem(file, f"{where}.{fld}" if fld else where, msg))

    if not isinstance(raw, dict):
        bad("", "expected a mapping")
        return None
    name, levels = _check_fields(raw, bad)
    formula = None
    try:
        formula = parse_expression(raw.get("formula"))  # type: ignore[arg-type]
    except ExpressionError as exc:
        bad("formula", str(exc))
    benchmarks, floor = _parse_grades(raw, bad)
    if len(problems) > n0:
        return None
    return Indicator(
        id=raw["id"],
        name_zh=str(name["zh"]),
        name_en=str(name["en"]),
        area=raw["area"],
        unit=raw["unit"],
        direction=raw["direction"],
        levels=levels,
        limiting=bool(raw.get("limiting", False)),
        formula=formula,  # type: ignore[arg-type]
        benchmarks=benchmarks,
        source=raw["source"].strip(),
        floor=floor,
        note=str(raw.get("note", "") or ""),
    )


def _check_fields(raw: dict, bad: Callable[[str, str], None]) -> tuple[dict, tuple]:
    """Check the plain fields of an indicator record; its name and its levels."""
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
    return name, levels


def _parse_grades(
    raw: dict, bad: Callable[[str, str], None]
) -> tuple[dict[str, Benchmark], Benchmark | None]:
    """The I/II/III benchmarks and the floor, ordered along the indicator's direction."""
    direction = raw.get("direction")
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
    return benchmarks, floor


def _parse_benchmark(raw: object, bad) -> Benchmark | None:  # noqa: ANN001
    """``{value, source[, range]}``; an ``estimate`` source needs its ``range: [low, high]``."""
    if not isinstance(raw, dict) or "value" not in raw:
        bad("expected {value: number, source: text}")
        return None
    unknown = set(raw) - {"value", "source", "range"}
    if unknown:
        bad(f"unknown field {sorted(unknown)[0]!r} (allowed: range, source, value)")
        return None
    value = raw.get("value")
    if not _is_number(value):
        bad(f"value must be a finite number, got {value!r}")
        return None
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        bad("source is required (standard and clause, or 'estimate: reasoning')")
        return None
    bench = Benchmark(float(value), source.strip())
    span = _parse_range(raw.get("range"), float(value), bad)
    if span is None and raw.get("range") is not None:
        return None
    if span is None and bench.is_estimate:
        bad("an estimated value needs its plausible range: range: [low, high]")
        return None
    return Benchmark(bench.value, bench.source, span)


def _is_number(x: object) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)


def _parse_range(raw: object, value: float, bad) -> tuple[float, float] | None:  # noqa: ANN001
    """The optional ``range: [low, high]`` of a benchmark, with ``low <= value <= high``."""
    if raw is None:
        return None
    if not isinstance(raw, list | tuple) or len(raw) != 2 or not all(map(_is_number, raw)):
        bad(f"range must be [low, high], two finite numbers, got {raw!r}")
        return None
    low, high = float(raw[0]), float(raw[1])
    if not low <= value <= high:
        bad(f"range [{raw[0]}, {raw[1]}] must hold the value {value:g} (low <= value <= high)")
        return None
    return low, high
