"""``symbio run``: exit codes, the result directory, atomic writing, reading results back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hand_case_helpers import SHORTFALL

from symbio.cli.app import main
from symbio.results import TABLE_NAMES, read_result

H2 = "scenarios/examples/hydrogen-pair.yaml"


def test_run_writes_every_file_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "h2"
    assert main(["run", H2, "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    expected = {"summary.json", "kpis.csv", "site_kpis.csv", "scenario.resolved.yaml"}
    expected |= {f"{t}.csv" for t in TABLE_NAMES}
    assert expected <= names
    summary = json.loads((out / "summary.json").read_text())
    for key in (
        "status",
        "objective",
        "kpis",
        "baseline_kpis",
        "savings",
        "solver",
        "timings",
        "scenario",
        "symbio_version",
        "units",
    ):
        assert key in summary
    assert summary["status"] == "optimal"
    # header of hydrogen-pair.yaml: 916,670 CNY/a optimized vs 120,000,000 baseline
    assert summary["objective"]["value"] == pytest.approx(916_670, abs=1)
    assert summary["objective"]["baseline_value"] == pytest.approx(120_000_000)
    assert summary["savings"]["co2_t"]["abs"] == pytest.approx(54_000)
    assert summary["solver"]["name"] == "highs"
    assert summary["solver"]["status"] == {"baseline": "optimal", "optimized": "optimal"}
    assert set(summary["timings"]["optimized"]) >= {"build", "handover", "solve", "load"}
    assert len(summary["scenario"]["sha256"]) == 64
    assert summary["units"]["total_cost_cny"] == "CNY/a"
    printed = capsys.readouterr().out
    assert "total_cost_cny" in printed and "916,670" in printed


def test_read_result_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "h2"
    assert main(["run", H2, "--out", str(out)]) == 0
    r = read_result(out)
    assert r.status == "optimal"
    assert r.kpi("total_cost_cny") == pytest.approx(916_670, abs=1)
    assert r.kpi("total_cost_cny", "baseline") == pytest.approx(120e6)
    assert set(r.tables) == set(TABLE_NAMES)
    assert set(r.tables["builds"]["case"]) == {"baseline", "optimized"}
    assert list(r.site_kpis.columns) == ["site", "kpi", "unit", "case", "value"]
    assert r.outcomes["optimized"].status == "optimal"


def test_objective_option_minimises_co2(tmp_path: Path) -> None:
    # Minimising CO2: the pipeline carries 6,000 t, no purchase -> 0 t CO2 (cost as in the header).
    out = tmp_path / "co2"
    assert (
        main(
            [
                "run",
                H2,
                "--out",
                str(out),
                "--objective",
                "co2",
                "--time-limit",
                "30",
                "--mip-gap",
                "0",
            ]
        )
        == 0
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective"]["name"] == "co2"
    assert summary["objective"]["value"] == pytest.approx(0, abs=1e-6)
    assert summary["objective"]["baseline_value"] == pytest.approx(54_000)


def test_unknown_objective_is_an_input_error(tmp_path: Path) -> None:
    assert main(["run", H2, "--out", str(tmp_path / "x"), "--objective", "profit"]) == 2
    assert not (tmp_path / "x").exists()


def test_infeasible_exits_3_with_diagnosis_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    file = tmp_path / "short.yaml"
    file.write_text(SHORTFALL)
    out = tmp_path / "out"
    assert main(["run", str(file), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "refinery" in err and "h2" in err and "2,000" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["short.yaml"]  # no temp directory left


def test_rerun_replaces_result_directory_atomically(tmp_path: Path) -> None:
    out = tmp_path / "h2"
    assert main(["run", H2, "--out", str(out)]) == 0
    (out / "stale.txt").write_text("from an earlier run")
    assert main(["run", H2, "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h2"]


def test_refuses_to_replace_a_directory_that_is_not_a_result(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert main(["run", H2, "--out", str(out)]) == 2
    assert (out / "notes.txt").read_text() == "keep me"


def test_failed_write_leaves_no_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import symbio.results as results

    def boom(self: object, d: Path) -> None:
        (d / "summary.json").write_text("{}")
        raise OSError("disk full")

    monkeypatch.setattr(results.Result, "_write_files", boom)
    # A file-system failure is a user error naming the path (exit 2), and nothing is left.
    assert main(["run", H2, "--out", str(tmp_path / "h2")]) == 2
    assert list(tmp_path.iterdir()) == []
