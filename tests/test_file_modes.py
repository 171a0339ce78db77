"""Outputs get the ordinary modes of the user's umask (not the private modes of temp files)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from symbio.fileio import atomic_dir, atomic_file, write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_written_file_is_readable_by_others(tmp_path: Path, umask_022):
    out = write_atomic(tmp_path / "a" / "summary.txt", "x")
    assert _mode(out) == 0o644


def test_atomic_file_and_dir_follow_the_umask(tmp_path: Path):
    old = os.umask(0o027)
    try:
        with atomic_file(tmp_path / "fig.png") as tmp:
            tmp.write_bytes(b"png")
        with atomic_dir(tmp_path / "run") as d:
            (d / "sub").mkdir()
            (d / "sub" / "kpis.csv").write_text("a,b\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "fig.png") == 0o640
    assert _mode(tmp_path / "run") == 0o750
    assert _mode(tmp_path / "run" / "sub" / "kpis.csv") == 0o640


def test_failed_write_leaves_the_old_file(tmp_path: Path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_failed_directory_keeps_the_old_one(tmp_path: Path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "summary.json").write_text("{}")
    with pytest.raises(RuntimeError), atomic_dir(tmp_path / "run") as d:
        (d / "summary.json").write_text("half")
        raise RuntimeError("boom")
    assert (tmp_path / "run" / "summary.json").read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
