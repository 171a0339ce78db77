"""A robustness figure drawn once in a process (by the robust step) is not drawn again for the
briefing when the tables it reads back hold the same content, and is drawn when they do not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import symbio.report.figures.robust as robust

SAVING = [12.0e8, 14.5e8, 9.8e8, 13.1e8]


def _tables() -> dict[str, pd.DataFrame]:
    sensitivity = pd.DataFrame(
        {
            "output": ["saving.total_cost_cny"] * 2,
            "factor": ["resources[naphtha].price", "sites[secco].supplies[h2].amount"],
            "rank": [1, 2],
            "low": [-2.0e8, -0.5e8],
            "high": [1.5e8, 0.7e8],
            "method": ["regression"] * 2,
            "r2": [0.91, 0.91],
        }
    )
    intervals = pd.DataFrame(
        {"kpi": ["total_cost_cny"], "quantity": ["saving"], "median": [12.6e8]}
    )
    regret = pd.DataFrame(
        {
            "run_id": [0, 1, 2, 3],
            "saving.total_cost_cny": SAVING,
            "plan_saving.total_cost_cny": [s - 0.2e8 for s in SAVING],
            "plan_feasible": [True] * 4,
        }
    )
    return {"sensitivity": sensitivity, "intervals": intervals, "regret": regret}


def _read_back(tables: dict[str, pd.DataFrame], folder: Path) -> dict[str, pd.DataFrame]:
    """The tables written as the robust step writes them and read as the briefing reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, table in tables.items():
        (folder / f"{name}.csv").write_text(table.to_csv(index=False), encoding="utf-8")
        out[name] = pd.read_csv(folder / f"{name}.csv")
    return out


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setattr(robust, "_DRAWN", {})
    drawn: list[int] = []
    real = robust.figure_png

    def figure_png(fig) -> bytes:  # noqa: ANN001
        drawn.append(1)
        return real(fig)

    monkeypatch.setattr(robust, "figure_png", figure_png)
    return drawn


def test_the_briefing_takes_what_the_robust_step_drew(counted: list[int], tmp_path: Path):
    tables = _tables()
    written = robust.write_figures(tmp_path / "robust", tables, lang="en")
    assert len(counted) == 2
    again = {k: draw() for k, draw in robust.png_drawers(_read_back(tables, tmp_path / "r"), "en").items()}  # fmt: skip
    assert len(counted) == 2  # nothing drawn again
    assert [again["tornado"], again["regret"]] == [p.read_bytes() for p in written]
    robust.figures(tables, "zh")  # another language is another figure
    assert len(counted) == 4


def test_other_content_is_drawn_again(counted: list[int], tmp_path: Path):
    tables = _tables()
    robust.figures(tables, "en")
    changed = _read_back(tables, tmp_path / "r")
    changed["regret"].loc[0, "plan_saving.total_cost_cny"] += 1.0  # one value
    typed = _read_back(tables, tmp_path / "t")
    typed["sensitivity"]["rank"] = typed["sensitivity"]["rank"].astype(float)  # one type
    for other, redrawn in ((changed, {"regret"}), (typed, {"tornado"})):
        before = len(counted)
        pngs = {k: draw() for k, draw in robust.png_drawers(other, "en").items()}
        assert len(counted) - before == len(redrawn), redrawn
        assert all(p[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs.values())
