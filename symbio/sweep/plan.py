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

import numpy as np
import pandas as pd
from scipy import stats

from symbio.errors import InputError, Problem
from symbio.flows.load import load_raw, scenario_from_data, scenario_sha256
from symbio.flows.overrides import parse_path, set_value
from symbio.flows.schema import RECORD_KEYS
from symbio.sweep.spec import LogNormal, Normal, SweepFileError, SweepSpec, Triangular, Uniform


@dataclass(frozen=True)
class RunOptions:
    """How every run of a sweep is solved and scored."""

    score: bool = True
    objective: str | None = None
    time_limit_s: float | None = None
    runner: str = "symbio.sweep.execute:solve_and_score"
    """``module:function`` that solves (and scores) one scenario variant; see ``run_one``."""


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: everything a worker needs, nothing it must look up."""

    run_id: str
    base: str
    """Absolute path of the base scenario file."""
    overrides: dict[str, object]
    options: RunOptions = field(default_factory=RunOptions)


@dataclass(frozen=True)
class Plan:
    """Every run of a sweep, in order, plus what identifies the sweep."""

    runs: list[RunSpec]
    paths: list[str]
    base_sha256: str
    spec: dict
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
    located = load_raw(base)
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
    dump = spec.model_dump(mode="json")
    return Plan(runs, spec.paths, scenario_sha256(scenario), dump, measures)


def _draw_run(spec: SweepSpec, index: int, base_values: dict[str, float]) -> dict[str, object]:
    rng = np.random.default_rng([spec.seed, index])
    out = {}
    for path, dist in spec.sample.items():
        value = draw(dist, rng)
        out[path] = value * base_values[path] if dist.relative else value
    return out


def draw(dist: Uniform | Triangular | Normal | LogNormal, rng: np.random.Generator) -> float:
    """Draw one value; every distribution uses exactly one uniform number from ``rng``."""
    u = float(rng.random())
    if isinstance(dist, Uniform):
        return dist.low + u * (dist.high - dist.low)
    if isinstance(dist, Triangular):
        return float(stats.triang.ppf(u, _c(dist), loc=dist.low, scale=dist.high - dist.low))
    if isinstance(dist, Normal):
        frozen = stats.norm(loc=dist.mean, scale=dist.sd)
    else:
        sigma = math.sqrt(math.log1p((dist.sd / dist.mean) ** 2))
        frozen = stats.lognorm(s=sigma, scale=dist.mean / math.sqrt(1 + (dist.sd / dist.mean) ** 2))
    # Truncation by inverse CDF: u maps into [F(low), F(high)].
    lo = frozen.cdf(dist.low) if dist.low is not None else 0.0
    hi = frozen.cdf(dist.high) if dist.high is not None else 1.0
    return float(frozen.ppf(lo + u * (hi - lo)))


def _c(dist: Triangular) -> float:
    return (dist.mode - dist.low) / (dist.high - dist.low)


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
