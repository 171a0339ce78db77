"""Number formats of the briefing, figures and workbook: one format per unit family."""

from __future__ import annotations

import math

from symbio.report.labels.text import Lang


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
