"""Which estimates matter: standardized regression coefficients from the study's own samples.

Method choice, by cost per sample. A SCIP solve (baseline, optimum and the fixed plan) takes
about 2 CPU-seconds, and the scenario has dozens of independent factors *k*:

* Sobol indices (SALib, Saltelli design) need ``N (2k + 2)`` solves on their own design, e.g.
  512 × 82 ≈ 42,000 solves (about a day on two cores) for 40 factors;
* Morris screening needs ``r (k + 1)`` solves on trajectories, e.g. 10 × 41 = 410 solves, on
  top of the sample for the intervals (its one-at-a-time points are not draws of the joint
  distribution, so they cannot give the intervals);
* standardized regression coefficients (SRC) need no extra solve: they are fitted on the
  Latin-hypercube samples that give the intervals.

So the ranking uses SRC, with the coefficient of determination R² of the fit reported: when
R² is near 1 the saving is close to linear in the factors and ``SRC²`` is each factor's
share of the variance (the first-order Sobol index of a linear model); a low R² says the
response is strongly nonlinear (e.g. a candidate switching on and off) and the ranking is
indicative only. With fewer samples than ``2 (k + 1)`` the regression is not determined
well; the coefficients are then the correlation coefficients of each factor with the
saving (which equal the SRC of independent factors in expectation) and the table says so.

The regressors are the factors' *quantiles* (uniform on [0, 1], one per group of estimates),
so a group of fully correlated numbers is one factor and the slope ``b`` is the change of
the saving from the lowest to the highest value of the factor's range; the tornado bar of a
factor spans ``b × (0.05 − 0.5)`` to ``b × (0.95 − 0.5)`` around the median: its 90 %
swing with the other factors at their medians.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Columns of the sensitivity table.
COLUMNS = ("output", "factor", "rank", "src", "slope", "low", "high", "method", "r2", "runs")


def src_table(quantiles: pd.DataFrame, outputs: pd.DataFrame) -> pd.DataFrame:
    """Rank the factors for each output by the size of their standardized coefficient.

    Parameters
    ----------
    quantiles
        One row per sample, one column per factor: its quantile in [0, 1].
    outputs
        One row per sample (same order), one column per output (e.g. the cost saving);
        rows with a missing output are left out of that output's fit.

    Returns
    -------
    pandas.DataFrame
        One row per output and factor: ``rank`` (1 = most important), ``src``, ``slope``
        (output change over the factor's whole range), ``low`` / ``high`` (the tornado bar:
        change from the median at the factor's 5 % and 95 % quantile), ``method``
        (``regression`` or ``correlation``), ``r2`` of the linear fit and ``runs``.
    """
    frames = [_one_output(quantiles, outputs[col], col) for col in outputs.columns]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)]


def _one_output(quantiles: pd.DataFrame, y: pd.Series, name: str) -> pd.DataFrame:
    ok = pd.to_numeric(y, errors="coerce").notna().to_numpy()
    x = quantiles.to_numpy(dtype=float)[ok]
    yv = pd.to_numeric(y, errors="coerce").to_numpy(dtype=float)[ok]
    n, k = x.shape
    if n < 3 or k == 0 or not yv.std() > 1e-9 * max(1.0, abs(yv.mean())):
        return pd.DataFrame()  # an output that does not vary (beyond round-off) has no ranking
    sx, sy = x.std(axis=0, ddof=1), yv.std(ddof=1)
    if n >= 2 * (k + 1):
        design = np.column_stack([np.ones(n), x])
        coef, *_ = np.linalg.lstsq(design, yv, rcond=None)
        slope = coef[1:]
        fitted = design @ coef
        method = "regression"
    else:
        xc, yc = x - x.mean(axis=0), yv - yv.mean()
        with np.errstate(invalid="ignore", divide="ignore"):
            slope = np.where(sx > 0, (xc * yc[:, None]).sum(axis=0) / (n - 1) / sx**2, 0.0)
        fitted = yv.mean() + xc @ slope
        method = "correlation"
    src = slope * sx / sy
    resid = float(((yv - fitted) ** 2).sum())
    total = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - resid / total if total > 0 else math.nan
    table = pd.DataFrame(
        {
            "output": name,
            "factor": list(quantiles.columns),
            "src": src,
            "slope": slope,
            "low": slope * (0.05 - 0.5),
            "high": slope * (0.95 - 0.5),
            "method": method,
            "r2": max(min(r2, 1.0), 0.0) if math.isfinite(r2) else math.nan,
            "runs": n,
        }
    )
    table = table.reindex(table["src"].abs().sort_values(ascending=False, kind="stable").index)
    table["rank"] = range(1, len(table) + 1)
    return table.reset_index(drop=True)
