"""``symbio score``: output files, method options, errors as exit code 2."""

from __future__ import annotations

import json

import pandas as pd
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


def _panel_16(path):
    """A panel whose first area has 16 elements (all judged equal): beyond Saaty's RI table."""
    import yaml

    from symbio.scoring.indicators import AREAS

    lib_ids = ["energy_intensity", "fresh_water_intensity", "water_reuse_rate"]
    items = lib_ids + [f"extra_{k}" for k in range(13)]
    doc = {
        "experts": [{"id": "P1", "weight": 1.0}],
        "hierarchy": {"goal": list(AREAS), "resource_energy_efficiency": items},
        "judgments": {
            "P1": {
                "goal": {"matrix": [[1] * 6 for _ in range(6)]},
                "resource_energy_efficiency": {"matrix": [[1] * 16 for _ in range(16)]},
            }
        },
    }
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_n16_matrix_exits_2_without_traceback_or_scores_with_skip(result_dir, tmp_path, capsys):
    app_module = pytest.importorskip("symbio.cli.app")
    panel = _panel_16(tmp_path / "panel16.yaml")
    args = [
        "score",
        str(result_dir),
        "--out",
        str(tmp_path / "o"),
        "--weights",
        str(panel),
        "--no-delphi",
    ]
    assert app_module.main(args) == 2
    err = capsys.readouterr().err
    assert "no random index for n = 16" in err and "Traceback" not in err
    assert app_module.main([*args, "--method", "ri_beyond=skip"]) == 0
    doc = json.loads((tmp_path / "o" / "scores.json").read_text(encoding="utf-8"))
    assert doc["method"]["weights"]["beyond_ri_table"] == "skip"


def test_new_method_keys():
    assert _parse_methods(
        ["cr_threshold=saaty_by_size", "ri=alonso_lamata2006", "ri_beyond=skip"]
    ) == {
        "cr_threshold": "saaty_by_size",
        "ri_table": "alonso_lamata2006",
        "ri_beyond": "skip",
    }
    assert _parse_methods(["cr_threshold=0.08"]) == {"cr_threshold": 0.08}
    with pytest.raises(InputError, match="cr_threshold"):
        _parse_methods(["cr_threshold=high"])


def test_score_output_says_why_an_area_cannot_move_and_the_rule(app, result_dir, tmp_path):
    res = CliRunner().invoke(app, ["score", str(result_dir), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert "The grade follows the fuzzy score" in res.output
    areas = pd.read_csv(tmp_path / "o" / "area_scores.csv")
    assert "fixed_reason" in areas.columns
