"""Issue 13, defects 1, 5 and 7: outputs never destroy what the user had, failures name the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from symbio.cli.app import main
from symbio.errors import InputError
from symbio.outdir import MARKER, recover_leftovers, replace_dir

H2 = "scenarios/examples/hydrogen-pair.yaml"
SWEEP = "scenarios/examples/sweeps/h2-carbon-grid.yaml"


def _err(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.fixture(scope="module")
def result_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("res") / "h2"
    assert main(["run", H2, "--out", str(out)]) == 0
    return out


def _foreign(tmp_path: Path) -> Path:
    d = tmp_path / "mine"
    d.mkdir()
    (d / "thesis.docx").write_text("years of work")
    return d


# -- defect 1: data loss ------------------------------------------------------------------
@pytest.mark.parametrize("command", ["run", "score", "pareto", "measures", "compare"])
def test_foreign_out_dir_is_refused_and_kept(
    command: str, tmp_path: Path, result_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    mine = _foreign(tmp_path)
    source = str(result_dir) if command in ("score", "compare") else H2
    if command == "measures":
        source = "scenarios/examples/small-park.yaml"
    assert main([command, source, "--out", str(mine)]) == 2
    err = _err(capsys)
    assert str(mine) in err and "--force" in err
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]
    assert (mine / "thesis.docx").read_text() == "years of work"


def test_score_force_replaces_a_foreign_dir(tmp_path: Path, result_dir: Path) -> None:
    mine = _foreign(tmp_path)
    assert main(["score", str(result_dir), "--out", str(mine), "--force"]) == 0
    assert (mine / "scores.json").is_file() and not (mine / "thesis.docx").exists()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_score_out_is_never_the_input(
    force: list[str], tmp_path: Path, result_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    before = sorted(p.name for p in result_dir.iterdir())
    assert main(["score", str(result_dir), "--out", str(result_dir), *force]) == 2
    assert "is (or holds) the input" in _err(capsys)
    assert sorted(p.name for p in result_dir.iterdir()) == before
    # nor a folder that holds it
    assert main(["score", str(result_dir), "--out", str(result_dir.parent), *force]) == 2
    assert sorted(p.name for p in result_dir.iterdir()) == before


def test_rerun_into_own_output_replaces_it(tmp_path: Path, result_dir: Path) -> None:
    out = tmp_path / "scores"
    assert main(["score", str(result_dir), "--out", str(out)]) == 0
    assert (out / MARKER).is_file()
    assert main(["score", str(result_dir), "--out", str(out)]) == 0


# -- defect 5: unwritable, occupied or hostile output paths ------------------------------
def _blocker(tmp_path: Path) -> Path:
    f = tmp_path / "a-file"
    f.write_text("x")
    return f


@pytest.mark.parametrize(
    "argv",
    [
        ["run", H2, "--out", "{under}"],
        ["score", "{res}", "--out", "{under}"],
        ["pareto", H2, "--out", "{under}"],
        ["measures", "scenarios/examples/small-park.yaml", "--out", "{under}"],
        ["compare", "{res}", "--out", "{under}"],
        ["sweep", SWEEP, "--out", "{under}", "--serial"],
        ["report", "{res}", "--out", "{under}"],
        ["report", "{res}", "--out", "{tmp}/b.html", "--xlsx", "{under}"],
        ["report", "{res}", "--out", "{tmp}/b.html", "--figures", "{under}"],
        ["run", H2, "--out", "{tmp}/r", "--log-file", "{under}"],
    ],
)
def test_output_under_a_file_is_a_user_error(
    argv: list[str], tmp_path: Path, result_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    under = _blocker(tmp_path) / "out"
    args = [a.format(under=under, res=result_dir, tmp=tmp_path) for a in argv]
    assert main(args) == 2
    assert str(under) in _err(capsys)
    assert not (tmp_path / "r").exists()


def test_report_xlsx_that_is_a_directory(
    tmp_path: Path, result_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    argv = ["report", str(result_dir), "--out", str(tmp_path / "b.html"), "--xlsx", str(tmp_path)]
    assert main(argv) == 2
    assert f"{tmp_path}: is a directory" in _err(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
@pytest.mark.parametrize("command", ["run", "pareto"])
def test_read_only_directory(command: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main([command, H2, "--out", str(ro / "out")]) == 2
    finally:
        ro.chmod(0o755)
    assert str(ro / "out") in _err(capsys)


def test_unwritable_log_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["run", H2, "--out", str(tmp_path / "r"), "--log-file", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a directory" in _err(capsys)


def test_unknown_scheduler_fails_at_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["sweep", SWEEP, "--out", str(tmp_path / "s"), "--scheduler", "foo://bar"]) == 2
    assert "foo://bar" in _err(capsys)


def test_uncaught_oserror_names_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import symbio.results as results

    def full(self: object, d: Path) -> None:
        raise OSError(28, "No space left on device", str(d / "flows.csv"))

    monkeypatch.setattr(results.Result, "_write_files", full)
    assert main(["run", H2, "--out", str(tmp_path / "r")]) == 2
    assert f"{tmp_path / 'r'}: cannot write: No space left on device" in _err(capsys)
    assert list(tmp_path.iterdir()) == []


# -- defect 7: the atomic swap and its leftovers -----------------------------------------
def _fill(text: str):  # noqa: ANN202
    return lambda d: (d / "data.txt").write_text(text)


def test_swap_replaces_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "out"
    replace_dir(out, _fill("one"), kind="test")
    replace_dir(out, _fill("two"), kind="test")
    assert (out / "data.txt").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_kill_between_renames_is_recovered(tmp_path: Path) -> None:
    # What a run killed after moving the old result aside (older two-rename writers) leaves.
    old = tmp_path / ".out.old-999999999-abcdef12"
    old.mkdir()
    (old / "summary.json").write_text("{}")
    stale = tmp_path / ".out.999999999-0badcafe.tmp"
    stale.mkdir()
    (stale / "half.csv").write_text("a,b\n")
    legacy = tmp_path / ".out.k2j3h4.tmp"
    legacy.mkdir()
    recover_leftovers(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (tmp_path / "out" / "summary.json").read_text() == "{}"


def test_old_copy_dropped_once_a_new_result_is_in_place(tmp_path: Path) -> None:
    replace_dir(tmp_path / "out", _fill("new"), kind="test")
    old = tmp_path / ".out.old-999999999-abcdef12"
    old.mkdir()
    replace_dir(tmp_path / "out", _fill("newer"), kind="test")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (tmp_path / "out" / "data.txt").read_text() == "newer"


def test_a_live_writers_temporary_is_left_alone(tmp_path: Path) -> None:
    live = tmp_path / f".out.{os.getppid()}-abcdef12.tmp"
    live.mkdir()
    recover_leftovers(tmp_path / "out")
    assert live.is_dir()


def test_swap_is_one_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an exchange the target never disappears: no rename of the target happens."""
    import symbio.outdir as outdir

    replace_dir(tmp_path / "out", _fill("one"), kind="test")
    if not outdir._exchange(tmp_path / "out", tmp_path / "out"):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here")
    renamed: list[str] = []
    real = os.rename
    monkeypatch.setattr(os, "rename", lambda a, b: (renamed.append(str(a)), real(a, b)))
    replace_dir(tmp_path / "out", _fill("two"), kind="test")
    assert str(tmp_path / "out") not in renamed
    assert (tmp_path / "out" / "data.txt").read_text() == "two"


def test_replace_dir_refuses_a_file(tmp_path: Path) -> None:
    f = _blocker(tmp_path)
    with pytest.raises(InputError, match="is a file"):
        replace_dir(f, _fill("x"), kind="test")
    assert f.read_text() == "x"


def test_pilot_refuses_a_foreign_out_dir(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    mine = _foreign(tmp_path)
    assert main(["pilot", "--out", str(mine)]) == 2
    assert "--force" in _err(capsys)
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]
