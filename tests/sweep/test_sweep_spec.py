"""The sweep file: validation with located errors, and the plan it expands to."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from symbio.cli.app import main
from symbio.sweep import SweepFileError, load_sweep, make_plan
from symbio.sweep.plan import draw, run_ids
from symbio.sweep.spec import LogNormal, Normal, Triangular, Uniform, check_field_path

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
BASE = EXAMPLES / "hydrogen-pair.yaml"


def write(tmp_path: Path, text: str, name: str = "sweep.yaml") -> Path:
    file = tmp_path / name
    file.write_text(text.replace("BASE", str(BASE)), encoding="utf-8")
    return file


def problems(file: Path) -> list[str]:
    with pytest.raises(SweepFileError) as info:
        spec, base = load_sweep(file)
        make_plan(spec, base, str(file))
    return [str(p) for p in info.value.problems]


def test_examples_load_and_plan() -> None:
    for file in sorted((EXAMPLES / "sweeps").glob("*.yaml")):
        spec, base = load_sweep(file)
        plan = make_plan(spec, base)
        assert plan.runs and base.exists(), file


def test_grid_is_the_cartesian_product_in_file_order(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "base: BASE\ngrid:\n  policy.carbon_price_cny_t: [0, 100]\n"
        "  markets[h2_purchase].buy_cny: [1, 2, 3]\n",
    )
    plan = make_plan(*load_sweep(file))
    assert [r.run_id for r in plan.runs] == run_ids(6) == [f"run-000{i}" for i in range(1, 7)]
    assert [tuple(r.overrides.values()) for r in plan.runs] == [
        (0, 1), (0, 2), (0, 3), (100, 1), (100, 2), (100, 3),
    ]  # fmt: skip
    assert list(plan.table().columns) == ["run_id", *plan.paths]


def test_run_ids_widen_for_big_sweeps() -> None:
    assert run_ids(12345)[-1] == "run-12345"
    assert run_ids(3) == ["run-0001", "run-0002", "run-0003"]


MC = """base: BASE
seed: SEED
runs: RUNS
sample:
  markets[h2_purchase].buy_cny: {dist: triangular, low: 100, mode: 200, high: 1000}
  candidate_links[h2_pipe].capex_cny_per_km: {dist: uniform, low: 0.5, high: 2, relative: true}
"""


def mc_plan(tmp_path: Path, seed: int, runs: int) -> list[dict]:
    text = MC.replace("SEED", str(seed)).replace("RUNS", str(runs))
    file = write(tmp_path, text, f"mc-{seed}-{runs}.yaml")
    return [r.overrides for r in make_plan(*load_sweep(file)).runs]


def test_monte_carlo_is_seeded_and_extensible(tmp_path: Path) -> None:
    a = mc_plan(tmp_path, 7, 20)
    assert a == mc_plan(tmp_path, 7, 20)
    assert a != mc_plan(tmp_path, 8, 20)
    assert mc_plan(tmp_path, 7, 30)[:20] == a  # more runs keep the earlier ones
    for run in a:
        assert 100 <= run["markets[h2_purchase].buy_cny"] <= 1000
        # relative: the base value 3.0e6 CNY/km times a draw in [0.5, 2]
        assert 1.5e6 <= run["candidate_links[h2_pipe].capex_cny_per_km"] <= 6.0e6


@pytest.mark.parametrize(
    ("dist", "mean", "low", "high"),
    [
        (Uniform(dist="uniform", low=2, high=6), 4.0, 2, 6),
        (Triangular(dist="triangular", low=0, mode=3, high=6), 3.0, 0, 6),
        (Normal(dist="normal", mean=10, sd=2), 10.0, -math.inf, math.inf),
        (Normal(dist="normal", mean=0, sd=1, low=0), math.sqrt(2 / math.pi), 0, math.inf),
        (LogNormal(dist="lognormal", mean=5, sd=2), 5.0, 0, math.inf),
        (LogNormal(dist="lognormal", mean=5, sd=2, high=5), None, 0, 5),
    ],
)
def test_distributions_have_their_moments_and_bounds(dist, mean, low, high) -> None:  # noqa: ANN001
    rng = np.random.default_rng(1)
    x = np.array([draw(dist, rng) for _ in range(20000)])
    assert x.min() >= low and x.max() <= high
    if mean is not None:
        assert x.mean() == pytest.approx(mean, rel=0.03, abs=0.02)
    if isinstance(dist, LogNormal) and dist.high is None:
        assert x.std() == pytest.approx(2.0, rel=0.05)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("base: BASE\ngrid: {policy.carbon_price_cny_t: [1]}\nsede: 3\n", ":3: sede: unknown field 'sede' (did you mean 'seed'?)"),
        ("base: BASE\n", "exactly one of them"),
        ("base: BASE\nsample: {policy.carbon_price_cny_t: {dist: uniform, low: 0, high: 1}}\n", "needs 'runs'"),
        ("base: BASE\nruns: 3\nsample: {policy.carbon_price_cny_t: {dist: beta, low: 0}}\n",
         "sample[policy.carbon_price_cny_t]: unknown distribution 'beta'"),
        ("base: BASE\nruns: 3\nsample:\n  policy.carbon_price_cny_t: {dist: triangular, low: 5, mode: 1, high: 9}\n",
         ":4: sample[policy.carbon_price_cny_t]: needs low <= mode <= high"),
        ("base: BASE\nruns: 3\nsample:\n  policy.carbon_price_cny_t: {dist: normal, mean: 5}\n",
         "sample[policy.carbon_price_cny_t].sd: required field is missing"),
        ("base: BASE\ngrid:\n  policy.carbon_prise: [1]\n", ":3: grid[policy.carbon_prise]: unknown field 'carbon_prise'"),
        ("base: BASE\ngrid:\n  markets[nope].buy_cny: [1]\n", "grid[markets[nope].buy_cny]: no record 'nope'"),
        ("base: BASE\ngrid:\n  policy.carbon_price_cny_t: []\n", "grid[policy.carbon_price_cny_t]"),
        ("base: missing.yaml\ngrid: {policy.carbon_price_cny_t: [1]}\n", "base: file not found"),
        ("base: BASE\nruns: 2\nsample:\n  name.en: {dist: uniform, low: 0, high: 1, relative: true}\n",
         "relative: true needs a number"),
    ],
)  # fmt: skip
def test_bad_sweep_files_name_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    file = write(tmp_path, text)
    found = problems(file)
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(file)) for p in found)


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "base: BASE\nruns: 3\nsample:\n"
        "  policy.carbon_prise: {dist: uniform, low: 0, high: 1}\n"
        "  policy.discount_rate: {dist: uniform, low: 1, high: 0}\n",
    )
    assert len(problems(file)) == 2


def test_field_paths_are_checked_against_the_schema() -> None:
    assert check_field_path("sites[secco].supplies[h2].amount") is None
    assert check_field_path("markets[grid].emissions.co2") is None
    assert check_field_path("policy.caps.co2") is None
    assert "unknown field 'amout'" in check_field_path("sites[a].supplies[h2].amout")
    assert "not a list of records" in check_field_path("policy[x].caps")


def test_cli_reports_a_bad_sweep_without_traceback(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    file = write(tmp_path, "base: BASE\ngrid:\n  policy.carbon_prise: [1]\n")
    assert main(["sweep", str(file), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "grid[policy.carbon_prise]" in err and "Traceback" not in err


def test_a_sweep_with_no_usable_run_exits_1(tmp_path) -> None:
    """Every variant is invalid (negative carbon price): recorded, but the command fails."""
    from symbio.cli.app import main
    from symbio.paths import scenarios_dir

    base = scenarios_dir() / "examples" / "hydrogen-pair.yaml"
    sweep = tmp_path / "all-invalid.yaml"
    sweep.write_text(f"base: {base}\ngrid:\n  policy.carbon_price_cny_t: [-1, -2]\nscore: false\n")
    out = tmp_path / "out"
    assert main(["sweep", str(sweep), "--out", str(out), "--serial", "--no-progress"]) == 1
    index = (out / "index.csv").read_text()
    assert index.count("invalid") == 2
