"""The sweep file: a base scenario plus a grid of overrides or Monte Carlo distributions.

A sweep file is YAML, validated strictly (unknown keys are errors) and every problem is
reported together, each naming the file, the line and the field::

    base: ../hydrogen-pair.yaml          # relative to this file
    seed: 7
    runs: 200
    sample:
      markets[h2_purchase].buy_cny: {dist: triangular, low: 15000, mode: 20000, high: 30000}
      sites[refinery].demands[h2].amount: {dist: normal, mean: 6000, sd: 600, low: 0}
      candidate_links[h2_pipe].capex_cny_per_km: {dist: uniform, low: 0.8, high: 1.5, relative: true}

Field paths are those of ``symbio run --set`` (see :mod:`symbio.flows.overrides`).
"""

from __future__ import annotations

import difflib
import math
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from symbio.errors import InputError, Problem
from symbio.flows.fieldpath import parse_path
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located, read_yaml

MAX_RUNS = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class _Dist(_Strict):
    relative: bool = False
    """Multiply the base scenario's value by the draw instead of replacing it."""

    def check(self) -> str | None:
        """Return what is wrong with the parameters, or None."""
        return None


class Uniform(_Dist):
    """Uniform on [low, high]."""

    dist: Literal["uniform"]
    low: float
    high: float

    def check(self) -> str | None:  # noqa: D102
        return None if self.low <= self.high else "needs low <= high"


class Triangular(_Dist):
    """Triangular with minimum ``low``, most likely ``mode`` and maximum ``high``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    def check(self) -> str | None:  # noqa: D102
        ok = self.low <= self.mode <= self.high and self.low < self.high
        return None if ok else "needs low <= mode <= high and low < high"


class Normal(_Dist):
    """Normal with ``mean`` and ``sd``, optionally truncated to [low, high]."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float | None = None
    high: float | None = None

    def check(self) -> str | None:  # noqa: D102
        lo, hi = bounds(self.low, self.high)
        return None if lo < hi else "needs low < high"


class LogNormal(_Dist):
    """Log-normal whose own ``mean`` and ``sd`` are given (not those of its logarithm)."""

    dist: Literal["lognormal"]
    mean: float = Field(gt=0)
    sd: float = Field(gt=0)
    low: float | None = None
    high: float | None = None

    def check(self) -> str | None:  # noqa: D102
        lo, hi = bounds(self.low, self.high)
        return None if max(lo, 0.0) < hi else "needs 0 <= low < high"


Distribution = Annotated[Uniform | Triangular | Normal | LogNormal, Field(discriminator="dist")]
DIST_NAMES = ("uniform", "triangular", "normal", "lognormal")


def bounds(low: float | None, high: float | None) -> tuple[float, float]:
    """Return ``(low, high)`` with a missing bound as minus or plus infinity."""
    return (-math.inf if low is None else low, math.inf if high is None else high)


class SweepSpec(_Strict):
    """A sweep: one base scenario, varied by a grid or by Monte Carlo sampling."""

    base: str
    """Base scenario file, relative to the sweep file."""
    name: str | None = None
    description: str | None = None
    grid: dict[str, Annotated[list[Any], Field(min_length=1)]] | None = None
    """Field path → values; the runs are the Cartesian product, in file order."""
    sample: dict[str, Distribution] | None = None
    """Field path → distribution; each run draws every path once."""
    runs: int | None = Field(default=None, ge=1, le=MAX_RUNS)
    """Number of Monte Carlo runs (with ``sample`` only)."""
    seed: int = Field(default=0, ge=0)
    """Seed of the Monte Carlo draws; run *i* depends only on (seed, i)."""
    score: bool = True
    """Score each run with the indicator system (grade, composite index)."""
    objective: str | None = None
    """Objective of the optimized case (default: the scenario's own)."""
    time_limit_s: float | None = Field(default=None, gt=0)
    """Solver time limit per solve (default: the scenario's own)."""

    @model_validator(mode="after")
    def _one_kind(self) -> SweepSpec:
        if (self.grid is None) == (self.sample is None):
            raise ValueError("give either 'grid' or 'sample' (exactly one of them)")
        if self.sample is not None and self.runs is None:
            raise ValueError("'sample' needs 'runs' (the number of Monte Carlo runs)")
        if self.grid is not None and self.runs is not None:
            raise ValueError("'runs' is for 'sample'; a grid runs every combination once")
        if self.grid is not None and math.prod(len(v) for v in self.grid.values()) > MAX_RUNS:
            raise ValueError(f"the grid has more than {MAX_RUNS} combinations")
        return self

    @property
    def paths(self) -> list[str]:
        """The overridden field paths, in file order."""
        return list(self.grid or self.sample or {})


class SweepFileError(InputError):
    """A sweep file is invalid; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.file, first.path, first.message)

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in sweep input:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def load_sweep(path: str | Path) -> tuple[SweepSpec, Path]:
    """Read and validate a sweep file.

    Returns
    -------
    (SweepSpec, Path)
        The sweep and the absolute path of its base scenario.

    Raises
    ------
    SweepFileError
        Listing every problem: syntax, unknown or missing fields, bad distributions,
        field paths that do not exist in the scenario format, a missing base file.
    """
    path = Path(path)
    problems: list[Problem] = []
    located = read_yaml(path, problems)
    if located is None:
        raise SweepFileError(problems)
    if not isinstance(located.data, dict):
        raise SweepFileError([Problem(str(path), "", "a sweep file must be a mapping of fields")])
    try:
        spec = SweepSpec.model_validate(located.data)
    except ValidationError as exc:
        raise SweepFileError(_problems(exc, located, str(path))) from None
    for key in spec.paths:
        section = "grid" if spec.grid is not None else "sample"
        message = check_field_path(key)
        if message:
            problems.append(_problem(located, str(path), (section, key), message))
    for key, dist in (spec.sample or {}).items():
        message = dist.check()
        if message:
            problems.append(_problem(located, str(path), ("sample", key), message))
    base = (path.parent / spec.base).resolve()
    if not base.exists():
        problems.append(_problem(located, str(path), ("base",), f"file not found: {base}"))
    if problems:
        raise SweepFileError(problems)
    return spec, base


def check_field_path(path: str) -> str | None:
    """Return why ``path`` is not a field path of the scenario format, or None if it is.

    Mapping keys are checked against the schema (so a typo is caught before any run);
    record names in brackets and keys of free mappings (``emissions.co2``) are checked
    later, against the base scenario.
    """
    try:
        segments = parse_path(path)
    except InputError as exc:
        return exc.message
    model: object = Scenario
    for i, seg in enumerate(segments):
        if seg.startswith("["):
            if not _is_list(model):
                return f"{'.'.join(segments[:i]) or 'the scenario'} is not a list of records"
            model = _inner_model(model)
            continue
        fields = _fields(model)
        if fields is None:  # a free mapping (e.g. emissions, caps): any key
            model = _value_type(model)
            continue
        if seg not in fields:
            allowed = ", ".join(sorted(fields))
            return f"unknown field {seg!r} in the scenario format; allowed here: {allowed}"
        model = fields[seg]
    return None


def _fields(annotation: object) -> dict[str, object] | None:
    inner = _strip_optional(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return {(f.alias or n): f.annotation for n, f in inner.model_fields.items()}
    return None


def _strip_optional(annotation: object) -> object:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, _union_type()) and len(args) == 1:
        return args[0]
    return annotation


def _union_type() -> object:
    import types

    return types.UnionType


def _is_list(annotation: object) -> bool:
    return typing.get_origin(_strip_optional(annotation)) is list


def _inner_model(annotation: object) -> object:
    args = typing.get_args(_strip_optional(annotation))
    return args[0] if args else object


def _value_type(annotation: object) -> object:
    inner = _strip_optional(annotation)
    if typing.get_origin(inner) is dict:
        return typing.get_args(inner)[1]
    return object


def _problem(located: Located, file: str, loc: tuple, message: str) -> Problem:
    line = None
    for n in range(len(loc), 0, -1):
        hit = located.where.get(tuple(str(p) for p in loc[:n]))
        if hit:
            line = hit[1]
            break
    return Problem(file, _format(loc), message, line)


def _format(loc: tuple) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int) or i > 0 and loc[0] in ("grid", "sample") and i == 1:
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _problems(exc: ValidationError, located: Located, file: str) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # A tagged union adds the tag to the location: sample.<path>.triangular.mode.
        if len(loc) > 2 and loc[0] == "sample" and loc[2] in DIST_NAMES:
            loc = loc[:2] + loc[3:]
        message = _message(err)
        where_loc = tuple(f"[{p}]" if isinstance(p, int) else p for p in loc)
        problem = _problem(located, file, where_loc, message)
        out.append(Problem(problem.file, _format(loc), message, problem.line))
    return out


def _message(err: dict) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        hint = (
            difflib.get_close_matches(name, SweepSpec.model_fields, n=1)
            if len(err["loc"]) == 1
            else []
        )
        return f"unknown field {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
    if kind == "union_tag_invalid":
        return (
            f"unknown distribution {err['input'].get('dist')!r}; use one of {', '.join(DIST_NAMES)}"
        )
    if kind == "union_tag_not_found":
        return f"needs 'dist:' (one of {', '.join(DIST_NAMES)})"
    msg = err["msg"].replace("Input should be", "must be").replace("Value error, ", "")
    got = err.get("input")
    if kind != "model_type" and not isinstance(got, dict | list) and got is not None:
        msg += f" (got {got!r})"
    return msg
