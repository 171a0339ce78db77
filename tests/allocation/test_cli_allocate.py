"""``symbio allocate`` end to end: files, core statement, user errors (exit 2)."""

from __future__ import annotations

import json

import pytest
from allocation_parks import EMPTY_CORE

from symbio.cli.app import main


@pytest.fixture
def park(tmp_path):
    f = tmp_path / "park.yaml"
    f.write_text(EMPTY_CORE, encoding="utf-8")
    return f


def test_allocate_writes_the_tables_and_states_the_core(park, tmp_path, capsys) -> None:
    out = tmp_path / "alloc"
    assert main(["allocate", str(park), "--out", str(out), "--method", "nucleolus"]) == 0
    for name in (
        "enterprise_accounts.csv",
        "exchange_settlement.csv",
        "coalition_values.csv",
        "allocation.csv",
        "pair_values.csv",
        "allocation.json",
    ):
        assert (out / name).is_file(), name
    summary = json.loads((out / "allocation.json").read_text(encoding="utf-8"))
    assert summary["core_empty"] and summary["coalitions"] == 7
    text = capsys.readouterr().out
    assert "the core is empty" in text
    assert "NOT in the core" in text


def test_bad_method_and_players_exit_2(park, tmp_path, capsys) -> None:
    out = tmp_path / "alloc"
    assert main(["allocate", str(park), "--out", str(out), "--method", "banzhaf"]) == 2
    assert "--method" in capsys.readouterr().err
    assert main(["allocate", str(park), "--out", str(out), "--players", "team"]) == 2
    assert "--players" in capsys.readouterr().err
    assert not out.exists()


def test_does_not_write_into_a_foreign_directory(park, tmp_path, capsys) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert main(["allocate", str(park), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "keep me"
    assert not (out / "allocation.json").exists()


def test_players_by_zone(tmp_path) -> None:
    from hand_case_helpers import scenario

    from symbio.allocation import allocate

    text = EMPTY_CORE.replace("{id: e1, name: {en: E1}", "{id: e1, zone: west, name: {en: E1}")
    text = text.replace("{id: e2, name: {en: E2}", "{id: e2, zone: west, name: {en: E2}")
    text = text.replace("{id: e3, name: {en: E3}", "{id: e3, zone: east, name: {en: E3}")
    a = allocate(scenario(text), players="zone")
    # west (e1 + e2) fills the unit alone: v(west) = 0.5 M = v(N); east adds nothing
    v = dict(zip(a.values["coalition"], a.values["value_cny"], strict=True))
    assert v["zone:west"] == pytest.approx(0.5e6)
    assert v["zone:east"] == pytest.approx(0.0, abs=1e-6)
    assert a.allocation.set_index("player").at["zone:west", "shapley_cny"] == pytest.approx(0.5e6)
