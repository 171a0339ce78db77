"""Tapio decoupling of value added from fossil energy or CO2.

Elasticity ``e = (dC / C0) / (dG / G0)`` with ``C`` the pressure (fossil energy, CO2) and
``G`` industrial value added at constant prices. States (Tapio 2005, Transport Policy
12:137):

======  ======  ==============  ===============================  ===========
dG      dC      e               state                            zh
======  ======  ==============  ===============================  ===========
> 0     < 0     e < 0           strong_decoupling                强脱钩
> 0     > 0     0 .. 0.8        weak_decoupling                  弱脱钩
> 0     > 0     0.8 .. 1.2      expansive_coupling               扩张连接
> 0     > 0     > 1.2           expansive_negative_decoupling    扩张负脱钩
< 0     > 0     e < 0           strong_negative_decoupling       强负脱钩
< 0     < 0     0 .. 0.8        weak_negative_decoupling         弱负脱钩
< 0     < 0     0.8 .. 1.2      recessive_coupling               衰退连接
< 0     < 0     > 1.2           recessive_decoupling             衰退脱钩
======  ======  ==============  ===============================  ===========

Boundaries are parameters; ``closed="coupling"`` (default) puts e = 0.8 and e = 1.2 in the
coupling states, ``closed="outer"`` in the neighbouring decoupling states.

Degenerate cases, handled explicitly:

- ``dC = 0`` with ``dG != 0``: e = 0; pressure did not fall, so the state is the weak one
  (``weak_decoupling`` for dG > 0, ``weak_negative_decoupling`` for dG < 0), not strong;
- ``dG = 0``: e is undefined (NaN); the state is ``zero_growth_pressure_down``,
  ``zero_growth_pressure_up`` or ``no_change``;
- a zero base value ``G0`` or ``C0``: growth rates are undefined; state ``undefined``;
- a missing (NaN) observation or boundaries that are not ``0 <= lower < upper`` raise
  :class:`~symbio.scoring.errors.ScoringError` (no state is invented).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from symbio.errors import InputError
from symbio.scoring.errors import ScoringError

__all__ = ["TAPIO_STATES", "decoupling_series", "load_timeseries", "tapio_state", "timeseries_kpis"]

TAPIO_STATES: dict[str, str] = {
    "strong_decoupling": "强脱钩",
    "weak_decoupling": "弱脱钩",
    "expansive_coupling": "扩张连接",
    "expansive_negative_decoupling": "扩张负脱钩",
    "strong_negative_decoupling": "强负脱钩",
    "weak_negative_decoupling": "弱负脱钩",
    "recessive_coupling": "衰退连接",
    "recessive_decoupling": "衰退脱钩",
    "zero_growth_pressure_down": "零增长·压力下降",
    "zero_growth_pressure_up": "零增长·压力上升",
    "no_change": "无变化",
    "undefined": "无法判定",
}


def tapio_state(
    g0: float,
    g1: float,
    c0: float,
    c1: float,
    boundaries: tuple[float, float] = (0.8, 1.2),
    closed: str = "coupling",
) -> tuple[float, str]:
    """Tapio elasticity and decoupling state between two observations.

    Parameters
    ----------
    g0, g1 : float
        Value added at the start and end.
    c0, c1 : float
        Pressure (fossil energy or CO2) at the start and end.
    boundaries : (float, float)
        Lower and upper elasticity boundaries of the coupling band.
    closed : {"coupling", "outer"}
        Which side the boundary values belong to.

    Returns
    -------
    (float, str)
        Elasticity (NaN when undefined) and state (a key of :data:`TAPIO_STATES`).

    Examples
    --------
    >>> e, state = tapio_state(100, 110, 50, 48)
    >>> round(e, 3), state
    (-0.4, 'strong_decoupling')
    >>> tapio_state(100, 110, 50, 55)[1]
    'expansive_coupling'
    """
    # Long: the docstring documents parameters and returns (26 lines); the code is 48.
    if closed not in ("coupling", "outer"):
        raise ScoringError("tapio_state", "closed", f"'coupling' or 'outer', not {closed!r}")
    lo, hi = (float(b) for b in boundaries)
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo < hi):
        raise ScoringError(
            "tapio_state", "boundaries", f"need finite 0 <= lower < upper, got {tuple(boundaries)}"
        )
    for name, v in (("g0", g0), ("g1", g1), ("c0", c0), ("c1", c1)):
        if not math.isfinite(float(v)):
            raise ScoringError("tapio_state", name, f"must be a finite number, got {v!r}")
    if g0 == 0 or c0 == 0:
        return float("nan"), "undefined"
    dg, dc = (g1 - g0) / g0, (c1 - c0) / c0
    if dg == 0:
        state = (
            "no_change"
            if dc == 0
            else ("zero_growth_pressure_down" if dc < 0 else "zero_growth_pressure_up")
        )
        return float("nan"), state
    e = dc / dg
    if dc == 0:
        return 0.0, "weak_decoupling" if dg > 0 else "weak_negative_decoupling"
    if e < 0:
        return e, "strong_decoupling" if dg > 0 else "strong_negative_decoupling"
    for bound in (lo, hi):  # floating-point noise must not decide the closure
        if math.isclose(e, bound, rel_tol=1e-9, abs_tol=1e-12):
            e = bound
    in_band = lo <= e <= hi if closed == "coupling" else lo < e < hi
    if in_band:
        band = "coupling"
    elif e < lo or (closed == "outer" and e == lo):
        band = "weak"
    else:
        band = "high"
    names = {
        True: {
            "weak": "weak_decoupling",
            "coupling": "expansive_coupling",
            "high": "expansive_negative_decoupling",
        },
        False: {
            "weak": "weak_negative_decoupling",
            "coupling": "recessive_coupling",
            "high": "recessive_decoupling",
        },
    }
    return e, names[dg > 0][band]


def decoupling_series(
    data: pd.DataFrame,
    pressure: str,
    growth: str = "value_added",
    window: str = "consecutive",
    boundaries: tuple[float, float] = (0.8, 1.2),
    closed: str = "coupling",
) -> pd.DataFrame:
    """Tapio states over a time series.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``year``, ``growth`` and ``pressure``, one row per year.
    pressure : str
        Pressure column, e.g. ``fossil_energy_tce`` or ``co2_t``.
    growth : str
        Growth column (value added at constant prices).
    window : {"consecutive", "full"}
        Year-on-year periods, or one period from the first to the last year.
    boundaries, closed
        See :func:`tapio_state`.

    Returns
    -------
    pandas.DataFrame
        ``start, end, growth_rate, pressure_rate, elasticity, state, state_zh``.
    """
    df = data.sort_values("year").reset_index(drop=True)
    pairs = (
        list(zip(range(len(df) - 1), range(1, len(df)), strict=True))
        if window == "consecutive"
        else [(0, len(df) - 1)]
    )
    if window not in ("consecutive", "full"):
        raise ScoringError(
            "decoupling_series", "window", f"'consecutive' or 'full', not {window!r}"
        )
    rows = []
    for i, j in pairs:
        g0, g1, c0, c1 = (float(df.loc[k, col]) for col in (growth, pressure) for k in (i, j))
        e, state = tapio_state(g0, g1, c0, c1, boundaries, closed)
        rows.append(
            {
                "start": int(df.loc[i, "year"]),
                "end": int(df.loc[j, "year"]),
                "growth_rate": (g1 - g0) / g0 if g0 else float("nan"),
                "pressure_rate": (c1 - c0) / c0 if c0 else float("nan"),
                "elasticity": e,
                "state": state,
                "state_zh": TAPIO_STATES[state],
            }
        )
    return pd.DataFrame(
        rows,
        columns=["start", "end", "growth_rate", "pressure_rate", "elasticity", "state", "state_zh"],
    )


def load_timeseries(path: str | Path) -> pd.DataFrame:
    """Read a time series CSV, wide or long.

    Parameters
    ----------
    path : path
        Wide: columns ``year, value_added`` and one or more of ``energy_tce``,
        ``fossil_energy_tce``, ``co2_t``. Long (as ``data/timeseries/*.csv``): columns
        ``year, indicator, value`` (``unit, source, note`` optional) with those indicator
        names. In the long format, when ``value_added`` is absent ``industrial_output``
        (产值) is used as the growth variable, and a missing absolute pressure is derived as
        ``<energy|co2>_per_output`` (tce or t per 1e4 CNY) x ``industrial_output`` (1e8 CNY);
        the basis is recorded in ``df.attrs["basis"]``. Lines starting with ``#`` are skipped.

    Returns
    -------
    pandas.DataFrame
        One row per year with ``year``, ``value_added`` and the pressure columns.

    Raises
    ------
    InputError
        Naming the file and the column that is missing or not numeric.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "", "time series file not found")
    text = "\n".join(
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if not ln.lstrip().startswith("#")
    )
    try:
        df = pd.read_csv(io.StringIO(text), skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(str(path), "", f"cannot read CSV: {exc}") from None
    basis = "value added"
    if {"indicator", "value"} <= set(df.columns):
        df, basis = _from_long(df, str(path))
    for col in ("year", "value_added"):
        if col not in df.columns:
            raise InputError(str(path), col, f"missing column; found {list(df.columns)}")
    if not {"energy_tce", "fossil_energy_tce", "co2_t"} & set(df.columns):
        raise InputError(
            str(path), "energy_tce", "need one of energy_tce, fossil_energy_tce, co2_t"
        )
    for col in df.columns:
        num = pd.to_numeric(df[col], errors="coerce")
        if num.isna().any():
            row = int(np.flatnonzero(num.isna())[0]) + 1
            raise InputError(
                str(path), f"row {row}.{col}", f"expected a number, got {df[col].iloc[row - 1]!r}"
            )
        df[col] = num
    if len(df) < 2:
        raise InputError(
            str(path), "year", "need at least two years with value added and a pressure"
        )
    out = df.sort_values("year").reset_index(drop=True)
    out.attrs["basis"] = basis
    return out


_PER_OUTPUT = {
    "energy_tce": ("energy_per_output", "tce/1e4CNY"),
    "co2_t": ("co2_per_output", "t/1e4CNY"),
}


def _from_long(long: pd.DataFrame, file: str) -> tuple[pd.DataFrame, str]:
    if "year" not in long.columns:
        raise InputError(file, "year", f"missing column; found {list(long.columns)}")
    long = long.assign(value=pd.to_numeric(long["value"], errors="coerce"))
    wide = long.pivot_table(index="year", columns="indicator", values="value", aggfunc="first")
    units = long.groupby("indicator")["unit"].first().to_dict() if "unit" in long.columns else {}
    basis = "value added"
    if "value_added" not in wide.columns and "industrial_output" in wide.columns:
        wide["value_added"] = wide["industrial_output"]
        basis = "industrial output (产值), not value added"
    for col, (per, unit) in _PER_OUTPUT.items():
        if (
            col in wide.columns
            or per not in wide.columns
            or "industrial_output" not in wide.columns
        ):
            continue
        if units.get(per) != unit or units.get("industrial_output") != "1e8CNY":
            raise InputError(
                file, per, f"derivation needs units {unit} and 1e8CNY for industrial_output"
            )
        wide[col] = wide[per] * wide["industrial_output"] * 1e4
        basis += f"; {col} = {per} x industrial_output"
    keep = [
        c for c in ("value_added", "energy_tce", "fossil_energy_tce", "co2_t") if c in wide.columns
    ]
    wide = wide[keep].dropna(subset=["value_added"] if "value_added" in keep else None)
    pressures = [c for c in keep if c != "value_added"]
    if pressures:
        wide = wide.dropna(subset=pressures, how="all")
    return wide.reset_index().rename_axis(columns=None), basis


def timeseries_kpis(data: pd.DataFrame) -> tuple[dict[str, float], pd.DataFrame]:
    """Derived KPIs of the decoupling area from a time series (first to last year).

    Returns KPIs named ``ts_<pressure>_elasticity`` (the HJ 274 elasticity coefficient:
    growth rate of the pressure over growth rate of value added; only when value added
    grew, otherwise the KPI is omitted so that the indicator is "not available") and
    ``ts_co2_intensity_reduction_pct`` (average annual reduction rate of CO2 per value
    added, %), plus the Tapio table of every pressure column, year on year and full window.

    Parameters
    ----------
    data : pandas.DataFrame
        As returned by :func:`load_timeseries`.

    Returns
    -------
    (dict, pandas.DataFrame)
        KPIs, and the Tapio table with a ``pressure`` and ``window`` column.
    """
    df = data.sort_values("year").reset_index(drop=True)
    kpis: dict[str, float] = {}
    tables = []
    first, last = df.iloc[0], df.iloc[-1]
    for col, key in (
        ("energy_tce", "energy"),
        ("fossil_energy_tce", "fossil_energy"),
        ("co2_t", "co2"),
    ):
        if col not in df.columns:
            continue
        sub = df.dropna(subset=["value_added", col]).reset_index(drop=True)
        if len(sub) < 2:  # years without this pressure are skipped, not guessed
            continue
        f0, f1 = sub.iloc[0], sub.iloc[-1]
        e, _ = tapio_state(f0["value_added"], f1["value_added"], f0[col], f1[col])
        if f1["value_added"] > f0["value_added"] and math.isfinite(e):
            kpis[f"ts_{key}_elasticity"] = float(e)
        for window in ("consecutive", "full"):
            t = decoupling_series(sub, col, window=window)
            t.insert(0, "window", window)
            t.insert(0, "pressure", col)
            tables.append(t)
    if (
        "co2_t" in df.columns
        and first["value_added"] > 0
        and last["value_added"] > 0
        and first["co2_t"] > 0
    ):
        years = float(last["year"] - first["year"])
        ratio = (last["co2_t"] / last["value_added"]) / (first["co2_t"] / first["value_added"])
        if years > 0 and ratio > 0:
            kpis["ts_co2_intensity_reduction_pct"] = float(100.0 * (1.0 - ratio ** (1.0 / years)))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return kpis, table
