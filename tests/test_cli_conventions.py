"""CLI conventions: --version alone, -v/-q through logging, --json summaries, completion, no <bool>."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbio import __version__
from symbio.cli.app import main

REPO = Path(__file__).resolve().parents[1]
PAIR = REPO / "scenarios" / "examples" / "hydrogen-pair.yaml"


def test_version_alone_exits_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"symbio {__version__}"


def test_help_shows_flags_without_a_type(capsys):
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--no-baseline" in out and "--json" in out
    assert "<bool>" not in out


def test_completion_is_offered(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--install-completion" in out and "--show-completion" in out


@pytest.fixture(scope="module")
def pair_run(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("run") / "pair"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["run", str(PAIR), "--out", str(out), "--json"]) == 0
    return out, json.loads(buf.getvalue())


def test_run_json_is_the_summary(pair_run):
    out, payload = pair_run
    assert payload["out"] == str(out)
    on_disk = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(on_disk) <= set(payload)
    assert payload["status"] == on_disk["status"]


def test_score_and_compare_json(pair_run, tmp_path: Path, capsys):
    out, _ = pair_run
    capsys.readouterr()
    assert main(["score", str(out), "--out", str(tmp_path / "s"), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert {r["case"] for r in scored["overall"]} >= {"optimized"}
    assert scored["illustrative"]["weights"] is True
    assert main(["compare", str(out), "--out", str(tmp_path / "c"), "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in compared["scenarios"]] == [1]


def test_progress_goes_to_stderr_and_quiet_drops_it(tmp_path: Path, capsys):
    book = tmp_path / "pair.xlsx"
    assert main(["export-xlsx", str(PAIR), "--out", str(book)]) == 0
    assert f"workbook written to {book}" in capsys.readouterr().err
    assert main(["-q", "export-xlsx", str(PAIR), "--out", str(book)]) == 0
    assert capsys.readouterr().err == ""


def test_validate_warns_about_missing_translations(tmp_path: Path, capsys):
    text = PAIR.read_text(encoding="utf-8")
    import yaml

    data = yaml.safe_load(text)
    data["resources"][0]["name"] = {"en": data["resources"][0]["name"]["en"]}
    bad = tmp_path / "pair.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(bad)]) == 0  # a warning, not an error
    rid = data["resources"][0]["id"]
    assert f"resources[{rid}].name: no Chinese name (zh)" in capsys.readouterr().err
