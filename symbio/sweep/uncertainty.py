"""The uncertainty model of a robustness study: samples of a scenario's ranged estimates.

Every number of the scenario's ``estimates:`` table is
uncertain (:func:`symbio.flows.provenance.uncertain_numbers`). Its distribution is
triangular (minimum ``low``, most likely the file's value, maximum ``high``) unless it says
``dist: uniform``. Numbers that share a ``group`` move together: they are fully correlated
and take the same quantile in every sample (e.g. all per-tonne utility uses of one plant);
every group and every ungrouped number is one independent *factor*.

The samples are a Latin hypercube over the factors (``scipy.stats.qmc``): each factor's
quantiles fall one in each of the N equal strata, so medians and 90 % intervals are
reliable with the few dozen samples a pilot can afford (plain Monte Carlo needs several
times more for the same precision of a 5 % quantile). The design is a pure function of
(factors, N, seed), so a resumed study finds the same runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import qmc

from symbio.errors import InputError
from symbio.sweep.plan import quantile
from symbio.sweep.spec import Triangular, Uniform

if TYPE_CHECKING:
    from symbio.flows.provenance import UncertainNumber


@dataclass(frozen=True)
class Factor:
    """An independent input of the study: one group of estimates, or one ungrouped estimate."""

    id: str
    """The group id, or the field path of an ungrouped number."""
    numbers: tuple[UncertainNumber, ...]
    """The :class:`~symbio.flows.provenance.UncertainNumber` s that take its quantile."""


def factors(numbers: Sequence[UncertainNumber]) -> list[Factor]:
    """Group the uncertain numbers into independent factors, in order of first appearance.

    The ranges were checked when the scenario was loaded (``low < high``, the file's value
    within them; :class:`symbio.flows.schema.EstimateRange`).
    """
    by_id: dict[str, list] = {}
    for n in numbers:
        by_id.setdefault(n.group or n.path, []).append(n)
    return [Factor(fid, tuple(ns)) for fid, ns in by_id.items()]


def distribution(number: UncertainNumber) -> Triangular | Uniform:
    """The sweep distribution of one uncertain number (triangular with mode = file value)."""
    if number.dist == "uniform":
        return Uniform(dist="uniform", low=number.low, high=number.high)
    return Triangular(dist="triangular", low=number.low, mode=number.value, high=number.high)


def design(factors_: Sequence[Factor], n: int, seed: int = 0) -> pd.DataFrame:
    """The Latin-hypercube quantiles: one row per sample, one column per factor id."""
    if n < 1:
        raise InputError("--samples", str(n), "needs at least one sample")
    ids = [f.id for f in factors_]
    if not ids:
        return pd.DataFrame(index=range(n))
    sampler = qmc.LatinHypercube(d=len(ids), rng=np.random.default_rng(seed))
    return pd.DataFrame(sampler.random(n), columns=ids)


def overrides(factors_: Sequence[Factor], quantiles: pd.DataFrame) -> list[dict[str, float]]:
    """The field-path overrides of each sample: every number at its factor's quantile."""
    dists = {n.path: distribution(n) for f in factors_ for n in f.numbers}
    out = []
    for row in quantiles.itertuples(index=False):
        u = dict(zip(quantiles.columns, row, strict=True))
        out.append({n.path: quantile(dists[n.path], u[f.id]) for f in factors_ for n in f.numbers})
    return out


def estimates_table(factors_: Sequence[Factor]) -> pd.DataFrame:
    """One row per uncertain number: path, factor, value, low, high, dist, method."""
    rows = [
        {
            "path": n.path,
            "factor": f.id,
            "value": n.value,
            "low": n.low,
            "high": n.high,
            "dist": n.dist,
            "method": n.method,
        }
        for f in factors_
        for n in f.numbers
    ]
    return pd.DataFrame(rows, columns=["path", "factor", "value", "low", "high", "dist", "method"])
