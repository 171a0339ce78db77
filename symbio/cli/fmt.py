"""Numbers in console tables: one formatter, float noise shown as 0 (``report.labels.NOISE``)."""

from __future__ import annotations

import math

from symbio.report.labels import denoise


def fmt_value(x: object, digits: int = 3, pct: bool = False) -> str:
    """``-`` for missing or infinite, whole numbers from 100 up, else ``digits`` significant.

    Examples
    --------
    >>> fmt_value(916669.88), fmt_value(-2.3e-14), fmt_value(-0.0, pct=True), fmt_value(None)
    ('916,670', '0', '0.0', '-')
    """
    if not isinstance(x, int | float) or not math.isfinite(float(x)):
        return "-"
    x = denoise(float(x)) + 0.0
    if pct:
        return f"{round(x, 1) + 0.0:.1f}"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.{digits}g}"
