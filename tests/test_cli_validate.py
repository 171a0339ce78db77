"""``symbio validate``, ``schema`` and ``show``: output, exit codes, no tracebacks."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symbio.cli.app import main
from symbio.paths import scenarios_dir

EXAMPLES = scenarios_dir() / "examples"
SMALL_PARK = EXAMPLES / "small-park.yaml"
HYDROGEN_PAIR = EXAMPLES / "hydrogen-pair.yaml"


def _bad_cases() -> list:
    # tests/flows has no __init__.py: load its shared case table by path.
    spec = importlib.util.spec_from_file_location(
        "bad_cases_for_cli", Path(__file__).parent / "flows" / "bad_cases.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.CASES


CASES = _bad_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_validate_reports_each_bad_input_class(case, capsys: pytest.CaptureFixture) -> None:
    code = main(["validate", str(case.file)])
    out, err = capsys.readouterr()
    assert code == 2
    lines = out.splitlines()
    prefix = f"{case.problem_file}:{case.line}: "
    if case.path:
        prefix += f"{case.path}: "
    hits = [line for line in lines if line.startswith(prefix)]
    assert len(hits) == 1, out
    assert case.message in hits[0]
    assert lines[-1] == "1 problem in 1 of 1 file"
    assert err == ""
    assert "Traceback" not in out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_validate_json_reports_each_bad_input_class(case, capsys: pytest.CaptureFixture) -> None:
    code = main(["validate", "--json", str(case.file)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == ""
    report = json.loads(out)
    assert report["valid"] is False
    assert report["files"] == [{"file": str(case.file), "valid": False, "problems": 1}]
    (problem,) = report["problems"]
    assert os.path.samefile(problem["file"], case.problem_file)
    assert problem["path"] == case.path
    assert problem["line"] == case.line
    assert case.message in problem["message"]


def test_validate_valid_files_exit_0(capsys: pytest.CaptureFixture) -> None:
    files = sorted(str(f) for f in EXAMPLES.glob("*.yaml"))
    assert len(files) >= 3
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out
    for f in files:
        assert f"{f}: valid" in out
    assert out.splitlines()[-1] == f"all {len(files)} files valid"


def test_validate_several_files_reports_each(capsys: pytest.CaptureFixture) -> None:
    bad = [c for c in CASES if c.name in ("negative-amount", "unknown-key")]
    files = [str(HYDROGEN_PAIR), *(str(c.file) for c in bad)]
    assert main(["validate", *files]) == 2
    out = capsys.readouterr().out
    assert f"{HYDROGEN_PAIR}: valid" in out
    for c in bad:
        assert f"{c.file}:{c.line}: {c.path}: " in out
    assert out.splitlines()[-1] == "2 problems in 2 of 3 files"


def test_validate_json_of_valid_and_invalid_files(capsys: pytest.CaptureFixture) -> None:
    bad = next(c for c in CASES if c.name == "wrong-type")
    assert main(["validate", "--json", str(HYDROGEN_PAIR), str(bad.file)]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert [f["valid"] for f in report["files"]] == [True, False]
    assert [p["path"] for p in report["problems"]] == [bad.path]


def test_validate_lists_every_problem_of_a_file(tmp_path: Path, capsys) -> None:
    text = HYDROGEN_PAIR.read_text(encoding="utf-8")
    text = text.replace("amount: 6000", "amount: -6000").replace(
        "xy_km: [3.0, 0.0]", "xy_kms: [3.0, 0.0]"
    )
    text = text.replace("site: refinery", "site: refinary")
    file = tmp_path / "three-problems.yaml"
    file.write_text(text, encoding="utf-8")
    assert main(["validate", str(file)]) == 2
    out = capsys.readouterr().out
    assert "sites[refinery].demands[h2].amount: must be greater than or equal to 0" in out
    assert "sites[refinery].xy_kms: unknown field 'xy_kms'" in out
    assert "markets[h2_purchase].site: site 'refinary' is not defined" in out
    assert out.splitlines()[-1] == "3 problems in 1 of 1 file"


def test_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["validate", str(missing)]) == 2
    assert f"{missing}: file not found" in capsys.readouterr().out


def test_validate_without_files_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    assert main(["validate"]) == 2
    assert "Missing argument" in capsys.readouterr().err


def _symbio() -> list[str]:
    exe = shutil.which("symbio", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "symbio.cli.app"]


def test_console_script_exits_2_without_traceback() -> None:
    bad = next(c for c in CASES if c.name == "quality-mixing")
    run = subprocess.run(
        [*_symbio(), "validate", str(bad.file)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    assert f"{bad.file}:{bad.line}: {bad.path}: " in run.stdout
    assert "non-linear" in run.stdout


def test_show_prints_tables(capsys: pytest.CaptureFixture) -> None:
    assert main(["show", str(SMALL_PARK)]) == 0
    out = capsys.readouterr().out
    for title in ("Resources", "Sites", "Processes", "Links", "Supply and demand per resource"):
        assert title in out
    assert "hp_steam.incinerator.utility" in out  # a generated candidate link
    assert "candidate (from hp_steam)" in out
    # 84 numbers are teaching estimates: 78 ranged ±50 % in the generated block, 6 listed as
    # choices (4 audit years and rounds, 2 zero coordinates); 6 come from the factor set
    assert "numbers: 90: estimates 87% (78)" in out
    assert "estimates with a range 78, without a range 0" in out


def test_show_json(capsys: pytest.CaptureFixture) -> None:
    assert main(["show", "--json", str(HYDROGEN_PAIR)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [lk["id"] for lk in summary["links"]] == ["h2_pipe.cracker.refinery"]
    (h2,) = summary["balance"]
    assert (h2["supplied"], h2["demanded"]) == (10000, 6000)
    assert h2["buy"] == [{"id": "h2_purchase", "site": "refinery", "price_cny": 20000, "cap": None}]
    # the file's 14 numbers: 9 teaching estimates with ±50 % ranges, 5 zeros listed as choices
    # (3 zero coordinates, the flare's cost, the carbon price; see test_provenance.py)
    assert summary["provenance"]["counts"] == {"estimate": 9, "source": 5, "factor": 0, "none": 0}
    assert (summary["provenance"]["ranged"], summary["provenance"]["unranged"]) == (9, 0)


def test_show_of_a_bad_file_exits_2(capsys: pytest.CaptureFixture) -> None:
    bad = next(c for c in CASES if c.name == "undeclared-unit")
    assert main(["show", str(bad.file)]) == 2
    err = capsys.readouterr().err
    assert f"{bad.file}:{bad.line}: {bad.path}: " in err  # brackets survive rich output


def test_schema_is_the_json_schema_of_the_format(capsys: pytest.CaptureFixture) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["required"] == ["name", "resources", "sites"]
    assert schema["additionalProperties"] is False
    link = schema["$defs"]["Link"]
    assert "from" in link["properties"] and "from_" not in link["properties"]
    assert "Share of the flow lost" in link["properties"]["loss"]["description"]


def test_schema_out_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sub" / "scenario.schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Scenario"
    assert capsys.readouterr().out == ""


def test_schema_variant_has_no_required_fields_and_allows_remove(capsys) -> None:
    assert main(["schema", "--variant"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "required" not in json.dumps(schema)
    assert schema["$defs"]["Market"]["properties"]["remove"]["type"] == "boolean"


def test_schema_accepts_quantities_and_plain_names(capsys: pytest.CaptureFixture) -> None:
    import re

    assert main(["schema"]) == 0
    defs = json.loads(capsys.readouterr().out)["$defs"]
    amount = defs["SiteFlow"]["properties"]["amount"]["anyOf"]
    pattern = next(a["pattern"] for a in amount if a.get("type") == "string")
    assert re.match(pattern, "20 t/h") and not re.match(pattern, "twenty")
    assert {"type": "string"} in defs["Names"]["anyOf"]
    (load,) = defs["Process"]["properties"]["quality_load"]["patternProperties"].values()
    assert any(a.get("type") == "string" for a in load["anyOf"])
