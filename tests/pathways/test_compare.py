"""symbio compare on the two teaching scenarios."""

import pandas as pd
import pytest

from symbio.cli.app import main
from symbio.errors import InputError
from symbio.pathways.compare import compare, write_compare


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    from pathlib import Path

    ex = Path(__file__).parents[2] / "scenarios" / "examples"
    out = tmp_path_factory.mktemp("cmp")
    table, entries = compare([ex / "hydrogen-pair.yaml", ex / "small-park.yaml"], out)
    return table, entries, out


def test_table_has_kpis_savings_builds_status_and_grade(compared):
    table, _, _ = compared
    assert len(table) == 2
    assert list(table["rank"]) == [1, 2]
    t = table.set_index("scenario")
    # hydrogen pair (its header comment): 120 M -> 916,670 CNY/a, 54,000 t CO2 avoided
    assert t.loc["hydrogen-pair", "total_cost_cny"] == pytest.approx(916_670, abs=1)
    assert t.loc["hydrogen-pair", "total_cost_cny__saving"] == pytest.approx(120e6 - 916_670, abs=1)
    assert t.loc["hydrogen-pair", "co2_t__saving"] == pytest.approx(54_000)
    assert t.loc["hydrogen-pair", "builds"] == "h2_pipe.cracker.refinery"
    assert (t["status"] == "optimal").all()
    for col in ("score", "grade", "composite_rating", "n_builds", "co2_t__saving_pct"):
        assert col in t.columns
    assert t["score"].notna().all()
    # ranked by score, highest first
    assert table["score"].is_monotonic_decreasing


def test_written_and_readable_back(compared, tmp_path):
    table, entries, out = compared
    files = write_compare(table, entries, out)
    back = pd.read_csv(files["table"])
    assert list(back["scenario"]) == list(table["scenario"])
    long = pd.read_csv(files["kpis"])
    assert set(long["scenario"]) == {"hydrogen-pair", "small-park"}
    # result directories written by the first compare can be compared again, unsolved
    again, _ = compare([out / "runs" / "small-park", out / "runs" / "hydrogen-pair"], tmp_path)
    pd.testing.assert_series_equal(
        again.set_index("scenario")["co2_t"].sort_index(),
        table.set_index("scenario")["co2_t"].sort_index(),
    )


def test_unknown_source(tmp_path):
    with pytest.raises(InputError, match="neither"):
        compare([tmp_path / "missing.yaml"], tmp_path)


def test_cli_prints_and_writes(examples, tmp_path, capsys):
    code = main(
        [
            "compare",
            str(examples / "hydrogen-pair.yaml"),
            str(examples / "small-park.yaml"),
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "hydrogen-pair" in printed and "small-park" in printed and "grade" in printed
    assert (tmp_path / "compare.csv").exists()
    assert (tmp_path / "runs" / "small-park" / "summary.json").exists()


def test_scores_given_are_used_not_computed_again(compared, monkeypatch):
    """A result directory whose scores are passed in is not scored a second time."""
    import symbio.scoring
    from symbio.scoring import score_result

    table, entries, _ = compared
    dirs = [e.result_dir for e in entries]
    given = {d: score_result(d) for d in dirs}

    def refuse(*_a, **_k):
        raise AssertionError("scored again")

    monkeypatch.setattr(symbio.scoring, "score_result", refuse)
    again, _ = compare(dirs, compared[2] / "again", scored=given)
    cols = ["scenario", "score", "grade"]
    pd.testing.assert_frame_equal(
        again[cols].reset_index(drop=True), table[cols].reset_index(drop=True)
    )


def test_results_given_are_used_not_read_back(compared, monkeypatch, tmp_path):
    """Results still in memory are not read from their directories, and the files are the
    same as from the directories."""
    import symbio.results

    table, entries, _ = compared
    dirs = [e.result_dir for e in entries]
    given = {e.result_dir: e.result for e in entries}  # the solved results, in memory
    read = compare(dirs, tmp_path / "read")
    files_read = write_compare(*read, tmp_path / "read")

    def refuse(*_a, **_k):
        raise AssertionError("read back")

    monkeypatch.setattr(symbio.results, "read_result", refuse)
    kept = compare(dirs, tmp_path / "kept", results=given)
    files_kept = write_compare(*kept, tmp_path / "kept")
    for key in ("table", "kpis"):
        assert files_kept[key].read_bytes() == files_read[key].read_bytes()
    assert all(e.result is given[e.result_dir] for e in kept[1])
