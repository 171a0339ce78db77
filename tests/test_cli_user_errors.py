"""User errors on the command line: exit code 2, the file named, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from symbio.cli.app import main
from symbio.errors import InputError
from symbio.fileio import write_atomic
from symbio.results import read_result

H2 = "scenarios/examples/hydrogen-pair.yaml"


def _error(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_write_atomic_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        write_atomic(tmp_path, "text")
    assert info.value.file == str(tmp_path)
    assert "is a directory" in info.value.message
    assert write_atomic(tmp_path / "sub" / "f.txt", "text").read_text() == "text"
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["f.txt"]  # no temporary left


@pytest.mark.parametrize(
    "args",
    [
        ["schema", "--out", "{dir}"],
        ["export-xlsx", H2, "--out", "{dir}"],
    ],
)
def test_out_that_is_a_directory_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str]
) -> None:
    argv = [a.format(dir=tmp_path) for a in args]
    assert main(argv) == 2
    assert f"{tmp_path}: is a directory" in _error(capsys)


def test_sweep_out_that_is_a_file_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    sweep = "scenarios/examples/sweeps/h2-carbon-grid.yaml"
    out = tmp_path / "taken.txt"
    out.write_text("x")
    assert main(["sweep", sweep, "--out", str(out), "--serial"]) == 2
    assert f"{out}: is a file" in _error(capsys)


def test_empty_weights_csv_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    res, weights = tmp_path / "res", tmp_path / "weights.csv"
    assert main(["run", H2, "--out", str(res)]) == 0
    weights.write_text("")
    capsys.readouterr()
    assert main(["score", str(res), "--out", str(tmp_path / "s"), "--weights", str(weights)]) == 2
    assert f"{weights}: cannot read CSV" in _error(capsys)


def test_read_result_names_the_missing_or_broken_table(tmp_path: Path) -> None:
    res = tmp_path / "res"
    assert main(["run", H2, "--out", str(res)]) == 0
    broken = tmp_path / "broken"
    shutil.copytree(res, broken)
    (broken / "flows.csv").unlink()
    with pytest.raises(InputError) as info:
        read_result(broken)
    assert (info.value.file, info.value.message) == (
        str(broken / "flows.csv"),
        "missing from the result directory",
    )
    (broken / "flows.csv").write_text("")
    with pytest.raises(InputError) as info:
        read_result(broken)
    assert info.value.file == str(broken / "flows.csv")
    (broken / "summary.json").write_text("[1]")
    with pytest.raises(InputError) as info:
        read_result(broken)
    assert (info.value.file, info.value.message) == (
        str(broken / "summary.json"),
        "expected a JSON object",
    )
