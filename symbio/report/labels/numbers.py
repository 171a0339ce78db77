"""Number formats of the briefing, figures and workbook: one format per unit family."""

from __future__ import annotations

import math
from dataclasses import dataclass

from symbio.report.labels.text import Lang

#: Display precision of float noise: values closer to 0 than this are shown as 0 (and -0
#: as 0). Presentation only: the stored result tables keep the solver's values.
NOISE = 1e-9


def denoise(v: float) -> float:
    """``v`` for display: 0.0 for float noise (``|v| < NOISE``, ``-0.0``), else ``v``."""
    return 0.0 if abs(v) < NOISE else v


def fmt_num(x: object, digits: int = 4) -> str:
    """Format a number for a table: whole numbers from 1,000 up, else ``digits`` significant digits.

    Examples
    --------
    >>> fmt_num(120000000.0), fmt_num(916670.4), fmt_num(120.5), fmt_num(0.012345), fmt_num(2.80)
    ('120,000,000', '916,670', '120.5', '0.01235', '2.8')
    """
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "" if x is None else str(x)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    v = denoise(v)
    a = abs(v)
    if a >= 1000 or v == int(v) and a >= 1:
        return f"{v:,.0f}"
    if a == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(a)))
    text = f"{v:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_pct(x: object, signed: bool = True) -> str:
    """Format a percentage value (already in %), e.g. ``-99.2%``."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return "–"
    v = round(denoise(v), 1) + 0.0  # no "-0.0%"
    return f"{v:+.1f}%" if signed else f"{v:.1f}%"


def fmt_money(x: object, lang: Lang) -> str:
    """Format an amount of CNY for a headline: 万元/亿元 in Chinese, M/bn CNY in English.

    Examples
    --------
    >>> fmt_money(119083330, "zh"), fmt_money(119083330, "en")
    ('1.19 亿元', 'CNY 119.1 M')
    """
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    v = denoise(v)
    a = abs(v)
    if lang == "zh":
        if a >= 1e8:
            return f"{v / 1e8:,.2f} 亿元"
        if a >= 1e4:
            return f"{v / 1e4:,.1f} 万元"
        return f"{v:,.0f} 元"
    if a >= 1e9:
        return f"CNY {v / 1e9:,.2f} bn"
    if a >= 1e6:
        return f"CNY {v / 1e6:,.1f} M"
    return f"CNY {v:,.0f}"


@dataclass(frozen=True)
class Scale:
    """How one row or column of numbers is shown: divide by ``factor``, label with ``unit``."""

    factor: float
    unit: str
    family: str


#: Units of each family as results spell them (``/a``: per year).
_MONEY = {"CNY": 1.0, "1e4 CNY": 1e4, "M CNY": 1e6}
_MASS = {"t": 1.0, "kt": 1e3, "Mt": 1e6}


def unit_family(unit: str) -> tuple[str, float, bool]:
    """(family, factor to the family's base unit, per year) of a result unit, e.g.
    ``"1e4 CNY/a"`` -> ``("money", 1e4, True)``; families: money, mass, energy, share, other.
    """
    u = unit.strip()
    per_year = u.endswith("/a")
    base = u.removesuffix("/a").removesuffix(" CO2e")
    if base in _MONEY:
        return "money", _MONEY[base], per_year
    if base in _MASS:
        return "mass", _MASS[base], per_year
    if base == "tce":
        return "energy", 1.0, per_year
    if base in ("share", "%"):
        return "share", 1.0 if base == "share" else 0.01, False
    return "other", 1.0, per_year


def scale_for(unit: str, values: object, lang: Lang) -> Scale:
    """The one scale of a row or column of ``values`` in ``unit``: money in 元/万元/亿元 (zh)
    or CNY / M CNY / bn CNY (en); mass in t / kt / Mt; energy in tce; shares in %.

    Examples
    --------
    >>> scale_for("CNY/a", [26_892_075_634, 25_100_000_000], "zh")
    Scale(factor=100000000.0, unit='亿元/年', family='money')
    >>> scale_for("t/a", [5_915_000.0], "en").unit
    'Mt/a'
    """
    family, base, per_year = unit_family(unit)
    finite = [abs(float(v)) * base for v in _numbers(values)]
    big = max(finite, default=0.0)
    if family == "money":
        steps = ((1e8, "亿元"), (1e4, "万元"), (1.0, "元")) if lang == "zh" else (
            (1e9, "bn CNY"), (1e6, "M CNY"), (1.0, "CNY"))  # fmt: skip
        factor, name = next(((f, n) for f, n in steps if big >= f), steps[-1])
        suffix = ("/年" if lang == "zh" else "/a") if per_year else ""
        return Scale(factor / base, name + suffix, family)
    if family == "mass":
        factor, name = next(((f, n) for f, n in ((1e6, "Mt"), (1e3, "kt"), (1.0, "t")) if big >= f),
                            (1.0, "t"))  # fmt: skip
        qualifier = " CO2e" if " CO2e" in unit else ""
        return Scale(factor / base, name + qualifier + ("/a" if per_year else ""), family)
    if family == "energy":
        return Scale(1.0, "tce" + ("/a" if per_year else ""), family)
    if family == "share":
        return Scale(0.01 / base, "%", family)
    return Scale(1.0, unit, family)


def _numbers(values: object) -> list[float]:
    out = []
    for v in values if isinstance(values, list | tuple) else [values]:  # type: ignore[union-attr]
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out.append(f)
    return out


def fmt_scaled(x: object, scale: Scale, signed: bool = False) -> str:
    """``x`` (in the result's unit) in ``scale``, four significant digits, e.g. ``2.689``."""
    try:
        v = float(x) / scale.factor  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    text = fmt_num(v)
    return f"+{text}" if signed and v > 0 else text.replace("-", "−", 1)


def fmt_change_pct(change: object, pct: object, scale: Scale, lang: Lang) -> str:
    """The relative change shown beside an absolute one: percentage points for shares
    (0.9081 → 1 is "+9.2 pp", "+9.2 个百分点"), else the relative change in %.
    """
    if scale.family == "share":
        try:
            pp = float(change) / scale.factor  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return ""
        if not math.isfinite(pp):
            return "–"
        return f"{pp:+.1f} " + ("个百分点" if lang == "zh" else "pp")
    return fmt_pct(pct)
