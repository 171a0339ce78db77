"""The main job end to end on the bundled SCIP scenarios (README's first command)."""

from __future__ import annotations

import json
import math

import pytest

from symbio.cli.app import main
from symbio.paths import scenarios_dir
from symbio.pilot import run_pilot

pytestmark = pytest.mark.integration
#: A small robustness study (the default is larger): enough to check that the briefing carries it.
ROBUST_SAMPLES = 8


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("pilot")
    return out, run_pilot(out, pareto_points=3, robust_samples=ROBUST_SAMPLES)


def test_every_step_succeeds_and_every_scenario_is_solved(pilot) -> None:
    out, report = pilot
    assert report.failed == []
    solved = {s["target"] for s in report.steps if s["step"] == "run"}
    assert solved == {p.stem for p in (scenarios_dir() / "scip").glob("*.yaml")}
    for stem in solved:
        summary = json.loads((out / "runs" / stem / "summary.json").read_text())
        assert summary["status"] == "optimal", stem
        assert (out / "runs" / stem / "scores" / "scores.json").exists(), stem


def test_outputs_of_the_later_steps_exist(pilot) -> None:
    out, _ = pilot
    for rel in ("compare/compare.csv", "pareto/pareto.csv", "measures/macc.csv",
                "robust/intervals.csv", "robust/tornado.png", "robust/regret.png"):  # fmt: skip
        assert (out / rel).stat().st_size > 0, rel
    # The briefing's figures in each language, drawn with that language's labels.
    zh, en = (out / "figures" / "zh" / "map.png"), (out / "figures" / "en" / "map.png")
    assert zh.read_bytes() != en.read_bytes()
    assert {p.name for p in zh.parent.glob("*.png")} == {p.name for p in en.parent.glob("*.png")}
    assert not list((out / "figures").glob("*.png"))


def test_briefings_carry_the_main_scenarios_co2_saving(pilot) -> None:
    out, _ = pilot
    summary = json.loads((out / "runs" / "symbiosis-2025" / "summary.json").read_text())
    saving = summary["savings"]["co2_t"]["abs"]
    assert saving > 0  # the 2025 options must cut CO2 against the same park's baseline
    # The headline rounds the point value to two significant digits of its 90 % interval's
    # width (docs/robustness.md): with a width w, the step is 10^(floor(log10 w) - 1).
    rows = (out / "robust" / "intervals.csv").read_text().splitlines()
    head = rows[0].split(",")
    row = next(
        dict(zip(head, r.split(","), strict=True))
        for r in rows[1:]
        if r.startswith("co2_t,saving,")
    )
    width = float(row["p95"]) - float(row["p05"])
    step = 10.0 ** (math.floor(math.log10(width)) - 1) if width > 0 else 1.0
    shown = f"{round(saving / step) * step:,.0f}"
    zh = (out / "briefing-zh.html").read_text(encoding="utf-8")
    en = (out / "briefing-en.html").read_text(encoding="utf-8")
    assert shown in zh and shown in en
    assert "要点摘要" in zh


def test_invalid_scenario_directory_exits_2_without_writing(tmp_path, capsys) -> None:
    bad = tmp_path / "scenarios"
    bad.mkdir()
    (bad / "broken.yaml").write_text("schema_version: 1\nname: {en: x}\nresources: 5\nsites: []\n")
    out = tmp_path / "out"
    assert main(["pilot", "--out", str(out), "--scenarios", str(bad)]) == 2
    assert "resources" in capsys.readouterr().err
    assert not out.exists()


def test_briefings_carry_the_robustness_study(pilot) -> None:
    out, report = pilot
    robust = next(s for s in report.steps if s["step"] == "robust")
    assert robust["status"] == "ok" and f"{ROBUST_SAMPLES} samples" in robust["note"]
    builds = json.loads((out / "robust" / "robust.json").read_text())["plan_builds"]
    assert builds  # the recommended plan builds something
    for lang, words in (("zh", ("90% 区间", "建设概率", "有 90% 的概率")),
                        ("en", ("90% interval", "Build probability", "with 90% probability"))):  # fmt: skip
        html = (out / f"briefing-{lang}.html").read_text(encoding="utf-8")
        assert 'id="robust"' in html
        for word in words:
            assert word in html, (lang, word)


def test_allocation_step_and_briefing_section(pilot) -> None:
    out, report = pilot
    assert any(s["step"] == "allocation" and s["status"] == "ok" for s in report.steps)
    for name in ("enterprise_accounts.csv", "exchange_settlement.csv", "allocation.json"):
        assert (out / "allocation" / name).stat().st_size > 0, name
    zh = (out / "briefing-zh.html").read_text(encoding="utf-8")
    en = (out / "briefing-en.html").read_text(encoding="utf-8")
    assert "谁得益、谁付费" in zh and "Who gains, who pays" in en
