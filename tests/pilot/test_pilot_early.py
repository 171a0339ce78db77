"""The main job's figures drawn early (while the allocation and the robustness study run) make
the same briefings, byte for byte, as drawing everything at the end; an error while drawing
early stops the job at the briefing step with the same clear error, nothing written half-way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symbio.cli.app import main
from symbio.paths import scenarios_dir
from symbio.pilot import run_pilot
from symbio.report.figures import overview
from symbio.report.html import ahead, inparallel

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not inparallel.can_fork(), reason="draws early only where it forks"),
]
EXAMPLES = scenarios_dir() / "examples"


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small teaching park and its 200 CNY/t variant, named as the briefing's scenarios."""
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "symbiosis-2025.yaml").write_text((EXAMPLES / "small-park.yaml").read_text())
    variant = (EXAMPLES / "small-park-carbon-200.yaml").read_text()
    assert "extends: small-park.yaml" in variant
    (folder / "carbon-price-200.yaml").write_text(
        variant.replace("extends: small-park.yaml", "extends: symbiosis-2025.yaml")
    )
    return folder


def _pilot(out: Path, folder: Path):  # noqa: ANN202
    return run_pilot(out, scenarios=folder, pareto_points=3, robust_samples=4)


def _page(path: Path, out: Path) -> str:
    """The page without what differs between two runs: solver seconds and the output path."""
    text = path.read_text(encoding="utf-8").replace(str(out), "OUT")
    return "\n".join(
        re.sub(r"[0-9.]+", "#", line) if "<td>highs" in line else line for line in text.splitlines()
    )


def test_figures_drawn_early_make_the_same_briefings(small_set, tmp_path, monkeypatch):
    early_out = tmp_path / "early"
    report = _pilot(early_out, small_set)
    assert report.failed == []
    steps = [s["step"] for s in report.steps]
    assert steps.index("figures") < steps.index("briefing")  # drawn early, by a child
    with monkeypatch.context() as m:
        m.setattr(ahead, "draw_ahead", lambda figures: None)  # everything drawn at the end
        late_out = tmp_path / "late"
        assert "figures" not in [s["step"] for s in _pilot(late_out, small_set).steps]
    for lang in ("zh", "en"):
        page = f"briefing-{lang}.html"
        assert _page(early_out / page, early_out) == _page(late_out / page, late_out)
        pngs = sorted(p.name for p in (late_out / "figures" / lang).glob("*.png"))
        assert "map.png" in pngs and "robust_tornado.png" in pngs
        assert pngs == sorted(p.name for p in (early_out / "figures" / lang).glob("*.png"))
        for name in pngs:
            a, b = (o / "figures" / lang / name for o in (early_out, late_out))
            assert a.read_bytes() == b.read_bytes(), (lang, name)


def test_an_error_drawing_early_is_the_briefing_steps_clear_error(
    small_set, tmp_path, monkeypatch, capsys
):
    from symbio.errors import InputError

    def broken(*_args, **_kwargs):
        raise InputError("kpis.csv", "value", "not a number")

    monkeypatch.setattr(overview, "kpi_comparison", broken)  # drawn by the forked child
    out = tmp_path / "out"
    args = ["pilot", "--out", str(out), "--scenarios", str(small_set), "--robust-samples", "0",
            "--no-measures", "--no-allocation", "--pareto-points", "2"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "kpis.csv" in err and "not a number" in err and "Traceback" not in err
    assert (out / "runs" / "symbiosis-2025" / "summary.json").exists()  # the steps before ran
    assert not list(out.glob("briefing-*")) and not (out / "figures").exists()
