"""The plan of a sweep: a stable list of runs, each a run id and its field-path overrides.

The plan is a pure function of the sweep file and the base scenario, so a resumed sweep
finds the same runs under the same ids. Monte Carlo draws for run *i* come from their own
random stream ``numpy.random.default_rng([seed, i])``: adding runs to a sweep leaves the
earlier runs unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from symbio.errors import InputError, Problem
from symbio.flows.fieldpath import parse_path
from symbio.flows.load import scenario_from_data, scenario_sha256
from symbio.flows.overrides import read_base, set_value
from symbio.flows.schema import RECORD_KEYS
from symbio.sweep.runspec import RunOptions, RunSpec
from symbio.sweep.spec import (
    LogNormal,
    Normal,
    SweepFileError,
    SweepSpec,
    Triangular,
    Uniform,
    bounds,
)


@dataclass(frozen=True)
class Plan:
    """Every run of a sweep, in order, plus what identifies the sweep."""

    runs: list[RunSpec]
    paths: list[str]
    base_sha256: str
    measures: list[str] = field(default_factory=list)
    """Ids of the base scenario's measures (for the build-frequency summary)."""

    @property
    def fingerprint(self) -> str:
        """sha256 of the base scenario, the options and every run's overrides."""
        text = json.dumps(self.as_json(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def as_json(self) -> dict:
        """The plan as JSON-ready data (``plan.json``)."""
        return {
            "base_sha256": self.base_sha256,
            "paths": self.paths,
            "options": asdict(self.runs[0].options) if self.runs else {},
            "runs": [{"run_id": r.run_id, "overrides": r.overrides} for r in self.runs],
        }

    def table(self) -> pd.DataFrame:
        """One row per run: ``run_id`` and one column per field path (``plan.csv``)."""
        rows = [
            {"run_id": r.run_id, **{p: _cell(r.overrides.get(p)) for p in self.paths}}
            for r in self.runs
        ]
        return pd.DataFrame(rows, columns=["run_id", *self.paths])


def run_ids(n: int) -> list[str]:
    """Return ``run-0001`` … (at least four digits, wider for big sweeps)."""
    width = max(4, len(str(n)))
    return [f"run-{i:0{width}d}" for i in range(1, n + 1)]


def make_plan(
    spec: SweepSpec, base: Path, sweep_file: str = "sweep", runner: str | None = None
) -> Plan:
    """Expand a sweep into its runs.

    Raises
    ------
    SweepFileError
        When a field path names a record the base scenario does not have, or a relative
        distribution points at a field without a number.
    symbio.errors.ScenarioError
        When the base scenario itself is invalid.
    """
    located = read_base(base)  # kept: the fork server gets it (symbio.sweep.basememo)
    scenario = scenario_from_data(located.data, located, str(base))
    resolved = scenario.model_dump(mode="json", by_alias=True)
    section = "grid" if spec.grid is not None else "sample"
    problems = []
    for path in spec.paths:
        try:
            set_value(located.data, path, 0)
        except InputError as exc:
            problems.append(Problem(sweep_file, f"{section}[{path}]", exc.message))
    if problems:
        raise SweepFileError(problems)
    if spec.grid is not None:
        combos = list(itertools.product(*spec.grid.values()))
        overrides = [dict(zip(spec.paths, c, strict=True)) for c in combos]
    else:
        base_values = {}
        for path, dist in spec.sample.items():
            if dist.relative:
                value = get_value(resolved, path)
                if not isinstance(value, int | float) or isinstance(value, bool):
                    msg = f"relative: true needs a number in the base scenario (found {value!r})"
                    raise SweepFileError([Problem(sweep_file, f"sample[{path}]", msg)])
                base_values[path] = float(value)
        overrides = [_draw_run(spec, i, base_values) for i in range(spec.runs)]
    options = RunOptions(score=spec.score, objective=spec.objective, time_limit_s=spec.time_limit_s)
    if runner:
        options = RunOptions(**{**asdict(options), "runner": runner})
    ids = run_ids(len(overrides))
    runs = [RunSpec(rid, str(base), ov, options) for rid, ov in zip(ids, overrides, strict=True)]
    measures = [m.id for m in scenario.measures]
    return Plan(runs, spec.paths, scenario_sha256(scenario), measures)


def _draw_run(spec: SweepSpec, index: int, base_values: dict[str, float]) -> dict[str, object]:
    rng = np.random.default_rng([spec.seed, index])
    out = {}
    for path, dist in spec.sample.items():
        value = draw(dist, rng)
        out[path] = value * base_values[path] if dist.relative else value
    return out


def draw(dist: Uniform | Triangular | Normal | LogNormal, rng: np.random.Generator) -> float:
    """Draw one value by inverting the CDF of one uniform number from ``rng``.

    One number per draw keeps the streams aligned whatever the distributions, and the
    inverse CDF makes truncation to ``[low, high]`` exact (no rejection loop).
    """
    return quantile(dist, float(rng.random()))


def quantile(dist: Uniform | Triangular | Normal | LogNormal, u: float) -> float:
    """The value of ``dist`` at cumulative probability ``u`` (the inverse CDF)."""
    if isinstance(dist, Uniform):
        return dist.low + u * (dist.high - dist.low)
    if isinstance(dist, Triangular):
        a, c, b = dist.low, dist.mode, dist.high
        if u < (c - a) / (b - a):
            return a + math.sqrt(u * (b - a) * (c - a))
        return b - math.sqrt((1 - u) * (b - a) * (b - c))
    if isinstance(dist, Normal):
        normal, low, high, back = NormalDist(dist.mean, dist.sd), dist.low, dist.high, float
    else:
        # the log of a log-normal with mean m and sd s is normal(mu, sigma):
        sigma = math.sqrt(math.log1p((dist.sd / dist.mean) ** 2))
        normal = NormalDist(math.log(dist.mean) - sigma**2 / 2, sigma)
        low = math.log(dist.low) if dist.low is not None and dist.low > 0 else None
        high = math.log(dist.high) if dist.high is not None else None
        back = math.exp
    lo = normal.cdf(low) if low is not None else 0.0
    hi = normal.cdf(high) if high is not None else 1.0
    p = min(max(lo + u * (hi - lo), _TINY), 1 - 2**-53)
    value = back(normal.inv_cdf(p))
    # inv_cdf(cdf(x)) may miss x by an ulp: keep the value inside the truncation bounds
    low_, high_ = bounds(dist.low, dist.high)
    return min(max(value, low_), high_)


_TINY = 2.0**-60


def get_value(data: object, path: str) -> object:
    """Return the value at a field path of plain scenario data (None when absent)."""
    node = data
    name = ""
    for seg in parse_path(path):
        if seg.startswith("["):
            key = seg[1:-1]
            if not isinstance(node, list):
                return None
            field_ = RECORD_KEYS.get(name, "id")
            node = next(
                (r for r in node if isinstance(r, dict) and str(r.get(field_)) == key), None
            )
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(seg)
            name = seg
    return node


def _cell(value: object) -> object:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value
