"""The robustness study on the hydrogen-pair teaching scenario, against closed forms.

With the purchase price ``b`` of hydrogen the only uncertain number and the pipeline's
annualised cost ``PIPE`` (3 km × 3.0e6 CNY/km × CRF(8 %, 20 a)), the 6,000 t/a refinery
demand gives by hand:

    baseline = 6000 b,  optimum = min(6000 b, PIPE),  cost saving = max(0, 6000 b − PIPE)
    the pipeline is built iff b > PIPE / 6000 = 152.78 CNY/t;  CO2 saving = 54,000 t/a if built

For ``b ~ uniform(0, 400)`` the saving's q-quantile is ``max(0, 6000 · 400 q − PIPE)`` and
the build probability is ``1 − PIPE / 2.4e6 = 0.6181``. A Latin hypercube of N samples
puts one sample in each of N equal-probability strata, so each estimated quantile lies
within one stratum (price step 400 / N) of the true one.

The recommended plan (file value b = 200 > 152.78) builds the pipeline; operating it in a
sample costs PIPE, so its regret is ``PIPE − min(6000 b, PIPE) = max(0, PIPE − 6000 b)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from teaching_copies import bare

from symbio.errors import InputError
from symbio.sweep.robust import run_robust

EXAMPLE = bare("hydrogen-pair.yaml")  # without its generated ranges
PIPE = 916_669.879408
PRICE = "markets[h2_purchase].buy_cny"
CAPEX = "candidate_links[h2_pipe].capex_cny_per_km"
N = 40

pytestmark = pytest.mark.integration


def scenario_file(folder: Path, price: float, estimates: str) -> Path:
    """The hydrogen pair at purchase price ``price`` with an ``estimates:`` table."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("buy_cny: 20000", f"buy_cny: {price}")
    path = folder / "h2.yaml"
    path.write_text(text + "estimates:\n" + estimates, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("robust")
    file = scenario_file(
        folder, 200, f'  "{PRICE}": {{method: test, low: 0, high: 400, dist: uniform}}\n'
    )
    return run_robust(file, folder / "out", samples=N, executor="serial", progress=False)


def interval(report, kpi: str, quantity: str = "saving") -> pd.Series:  # noqa: ANN001
    iv = report.tables["intervals"]
    return iv[(iv["kpi"] == kpi) & (iv["quantity"] == quantity)].iloc[0]


def test_interval_and_build_probability_match_the_closed_form(study) -> None:  # noqa: ANN001
    assert study.sweep.counts == {"ok": N}
    row = interval(study, "total_cost_cny")
    step = 6000 * 400 / N  # the saving's change over one stratum of the price
    for column, q in (("p05", 0.05), ("median", 0.5), ("p95", 0.95)):
        closed = max(0.0, 6000 * 400 * q - PIPE)
        assert abs(row[column] - closed) <= step, column
    p_build = 1 - PIPE / (6000 * 400)  # 0.6181
    assert abs(row["share_positive"] - p_build) <= 1 / N
    assert row["point"] == pytest.approx(6000 * 200 - PIPE, rel=1e-6)
    builds = study.tables["builds"].set_index("id")
    assert abs(builds.loc["h2_pipe.cracker.refinery", "probability"] - p_build) <= 1 / N
    assert builds.loc["h2_pipe.cracker.refinery", "in_plan"]
    co2 = interval(study, "co2_t")
    assert (co2["p05"], co2["p95"]) == pytest.approx((0.0, 54_000.0), abs=1e-6)


def test_regret_of_the_recommended_plan_is_the_closed_form(study) -> None:  # noqa: ANN001
    index = study.sweep.index.set_index("run_id")
    regret = study.tables["regret"].set_index("run_id")
    price = index.loc[regret.index, PRICE].astype(float)
    expected = np.maximum(0.0, PIPE - 6000 * price)
    assert regret["regret"].tolist() == pytest.approx(expected.tolist(), rel=1e-6, abs=1e-3)
    assert regret["plan_feasible"].all()
    # the plan always saves the CO2 of the purchased hydrogen, whatever the price
    assert regret["plan_saving.co2_t"].tolist() == pytest.approx([54_000.0] * N)
    assert study.summary["regret"]["median"] == pytest.approx(float(expected.median()), abs=1e-3)


def test_study_files_and_resume(study) -> None:  # noqa: ANN001
    out = study.out
    for name in ("intervals", "builds", "sensitivity", "regret", "estimates", "quantiles"):
        assert (out / f"{name}.csv").exists()
    for name in ("tornado.png", "regret.png", "robust.json", "point/summary.json"):
        assert (out / name).exists()
    with pytest.raises(InputError, match="--resume"):
        run_robust(study.summary["scenario"], out, samples=N, executor="serial", progress=False)
    again = run_robust(
        study.summary["scenario"], out, samples=N, executor="serial", progress=False, resume=True
    )
    assert again.sweep.executed == 0
    pd.testing.assert_frame_equal(again.tables["intervals"], study.tables["intervals"])


def test_sensitivity_puts_the_dominant_estimate_first(tmp_path: Path) -> None:
    # saving = 6000 b − 3 km · c · CRF: b over 200..400 moves it by 1.2e6 CNY/a, the pipe's
    # capex per km c over 2.9e6..3.1e6 by only 3 · 0.2e6 · 0.1019 = 61,111 CNY/a
    file = scenario_file(
        tmp_path,
        300,
        f'  "{PRICE}": {{method: test, low: 200, high: 400, dist: uniform}}\n'
        f'  "{CAPEX}": {{method: test, low: 2.9e6, high: 3.1e6, dist: uniform}}\n',
    )
    report = run_robust(file, tmp_path / "out", samples=12, executor="serial", progress=False)
    table = report.tables["sensitivity"]
    cost = table[table["output"] == "saving.total_cost_cny"].set_index("factor")
    assert cost.loc[PRICE, "rank"] == 1 and cost.loc[CAPEX, "rank"] == 2
    assert cost.loc[PRICE, "method"] == "regression"
    # the saving is linear in both uniform factors: the fit is exact
    assert cost.loc[PRICE, "slope"] == pytest.approx(6000 * 200, rel=1e-6)
    assert cost.loc[CAPEX, "slope"] == pytest.approx(-3 * 0.2e6 * PIPE / 9e6, rel=1e-6)
    assert cost.loc[PRICE, "r2"] == pytest.approx(1.0, abs=1e-9)
    assert report.summary["top_factors"]["total_cost_cny"] == [PRICE, CAPEX]


def test_a_scenario_without_ranges_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no estimate with a range"):
        run_robust(EXAMPLE, tmp_path / "out", samples=5, executor="serial", progress=False)
    assert not (tmp_path / "out").exists()


def test_briefing_shows_intervals_probabilities_and_the_tornado(study, tmp_path: Path) -> None:  # noqa: ANN001
    from symbio.report.html.briefing import write_briefing

    for lang, interval, statement in (("en", "90% interval", "with 90% probability"),
                                      ("zh", "90% 区间", "有 90% 的概率")):  # fmt: skip
        html = write_briefing(
            [study.out / "point"], tmp_path / f"b-{lang}.html", lang=lang, robust=study.out
        ).read_text(encoding="utf-8")
        assert 'id="robust"' in html and statement in html
        # CO2 saving: 0 or 54,000 t/a, so the interval spans 0 to 54,000
        assert f"{interval}: 0–54,000" in html
        probability = study.tables["builds"].iloc[0]["probability"]
        assert f">{probability:.0%}<" in html
        assert html.count("data:image/png;base64,") >= 2 + 2  # own figures + tornado, regret


def test_rounding_follows_the_interval() -> None:
    from symbio.report.robustview import fmt_rounded, round_to

    assert round_to(750_000 - 520_000) == 10_000
    assert fmt_rounded([637_723], 10_000, "en", False, "t/a") == "640,000 t/a"
    assert fmt_rounded([5.1e8, 1.2e9], round_to(6.9e8), "zh", True) == "5.1–12.0 亿元"
    assert fmt_rounded([5.1e8, 1.2e9], round_to(6.9e8), "en", True) == "CNY 0.51–1.20 bn"


def test_cli_refuses_a_scenario_without_ranges(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from symbio.cli.app import main

    out = tmp_path / "out"
    assert main(["robust", str(EXAMPLE), "--out", str(out), "--samples", "5", "--serial"]) == 2
    err = capsys.readouterr().err
    assert "no estimate with a range" in err and "Traceback" not in err
    assert not out.exists()
