"""``symbio score``: output files, method options, errors as exit code 2."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from symbio.cli.score import _parse_methods, register
from symbio.errors import InputError


@pytest.fixture
def app():
    a = typer.Typer()
    register(a)

    @a.callback()
    def _root() -> None:  # keep "score" as a subcommand
        pass

    return a


def test_score_command_writes_outputs(app, result_dir, tmp_path):
    out = tmp_path / "scores"
    res = CliRunner().invoke(
        app,
        [
            "score",
            str(result_dir),
            "--out",
            str(out),
            "--method",
            "geometric_mean",
            "--method",
            "operator=min_max",
            "--method",
            "composite=strict",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Cleaner-production grade" in res.output and "ILLUSTRATIVE" in res.output
    doc = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert doc["method"]["weights"]["weight_method"] == "geometric_mean"
    assert doc["method"]["fuzzy"]["operator"] == "M(∧,∨)"
    assert doc["method"]["composite"]["rule"] == "strict"
    assert (out / "indicator_scores.csv").is_file() and (out / "delphi_stats.csv").is_file()


def test_score_command_custom_inputs(app, result_dir, tmp_path):
    w = tmp_path / "w.csv"
    w.write_text(
        "parent,element,weight\ngoal,resource_energy_efficiency,1\n"
        "resource_energy_efficiency,water_reuse_rate,2\nresource_energy_efficiency,energy_intensity,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    res = CliRunner().invoke(
        app, ["score", str(result_dir), "--out", str(out), "--weights", str(w), "--no-delphi"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert doc["weights"]["source"] == str(w)
    assert "ILLUSTRATIVE" not in doc["weights"]["note"]


def test_bad_input_raises_symbio_error(app, tmp_path):
    res = CliRunner().invoke(
        app, ["score", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]
    )
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)
    assert "result directory not found" in str(res.exception)


def test_main_maps_input_error_to_exit_2(tmp_path, capsys):
    app_module = pytest.importorskip("symbio.cli.app")
    code = app_module.main(["score", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "result directory not found" in err and "Traceback" not in err


def test_method_option_parsing():
    assert _parse_methods(
        ["eigenvector", "ri=saaty2005", "repair=none", "grade_scores=100,80,60,40"]
    ) == {
        "weight_method": "eigenvector",
        "ri_table": "saaty2005",
        "repair": None,
        "grade_scores": (100.0, 80.0, 60.0, 40.0),
    }
    with pytest.raises(InputError, match="unknown method key"):
        _parse_methods(["speed=fast"])
    with pytest.raises(InputError, match="four numbers"):
        _parse_methods(["grade_scores=1,2"])
    with pytest.raises(InputError, match=r"--method: weights: unknown value 'fastest'"):
        _parse_methods(["fastest"])
    assert _parse_methods(["operator=M(*,+)", "operator=min_max"]) == {"operator": "min_max"}
