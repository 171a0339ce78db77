"""symbio pareto and symbio measures from the command line."""

import pandas as pd
import pytest

from symbio.cli.app import main


def test_pareto_command(data, tmp_path, capsys):
    code = main(
        [
            "pareto",
            str(data / "h2-front.yaml"),
            "--x",
            "cost",
            "--y",
            "co2",
            "--points",
            "3",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    assert "efficient points" in capsys.readouterr().out
    pts = pd.read_csv(tmp_path / "pareto.csv")
    assert list(pts["co2"].round(2)) == [18000.0, 9000.0, 0.0]
    assert "build:h2_pipe.cracker.refinery" in pts.columns
    payoff = pd.read_csv(tmp_path / "payoff.csv", index_col=0)
    assert list(payoff.index) == ["cost", "co2"]
    assert (tmp_path / "pareto.png").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"), [(["--x", "nope"], "unknown criterion"), (["--y", "cost"], "different")]
)
def test_pareto_bad_criteria_exit_2(data, tmp_path, capsys, args, message):
    code = main(["pareto", str(data / "h2-front.yaml"), "--out", str(tmp_path), *args])
    assert code == 2
    assert message in capsys.readouterr().err


def test_measures_command(data, tmp_path, capsys):
    assert main(["measures", str(data / "macc-toy.yaml"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "h2_pipeline" in out and "2,041" in out
    for name in (
        "macc.csv",
        "macc_removed.csv",
        "cocontrol.csv",
        "measure_runs.csv",
        "macc.png",
        "cocontrol.png",
    ):
        assert (tmp_path / name).exists(), name


@pytest.mark.parametrize(
    "scenario", ["scenarios/scip/symbiosis-2025.yaml", "scenarios/examples/small-park.yaml"]
)
def test_measures_command_on_park_scenarios(scenario, tmp_path, capsys):
    """Every run of the analysis solves (the 2025 baseline was wrongly infeasible)."""
    from pathlib import Path

    from symbio import load_scenario

    file = Path(__file__).parents[2] / scenario
    assert main(["measures", str(file), "--out", str(tmp_path)]) == 0
    runs = pd.read_csv(tmp_path / "measure_runs.csv")
    assert set(runs["status"]) <= {"optimal", "feasible"}, runs[["run", "status"]]
    measures = {ms.id for ms in load_scenario(file).measures}
    assert set(pd.read_csv(tmp_path / "macc.csv")["measure"]) == measures
    assert not pd.read_csv(tmp_path / "cocontrol.csv").empty
    assert (tmp_path / "macc.png").exists() and (tmp_path / "cocontrol.png").exists()
