"""Every report figure is drawn, holds what it should, and saves a non-empty PNG."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, PathPatch, Rectangle
from PIL import Image

from symbio.report.bundle import ResultBundle, kpi_rows, load_result
from symbio.report.figures.built import built_ids
from symbio.report.figures.overview import (
    cocontrol_plot,
    cocontrol_points,
    flow_sankey,
    grade_bars,
    indicator_radar,
    kpi_comparison,
    macc_curve,
    pareto_front,
    park_map,
    report_figures,
    save_figure,
)
from symbio.report.scoreview import score_view


@pytest.fixture(scope="module")
def mini(mini_result: Path) -> ResultBundle:
    return load_result(mini_result)


@pytest.fixture(scope="module")
def variant(mini_variant: Path) -> ResultBundle:
    return load_result(mini_variant)


def _texts(fig: Figure) -> str:
    out = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return " ".join(out)


def _check_png(fig: Figure, path: Path) -> np.ndarray:
    save_figure(fig, path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 8_000
    img = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)
    assert img.shape[0] > 200 and img.shape[1] > 400
    assert img.std() > 5  # not a blank canvas
    return img


FIGURES: dict[str, Callable[[ResultBundle, ResultBundle], Figure]] = {
    "map": lambda b, v: park_map(b.scenario, b.table("flows"), b.table("builds"), lang="zh"),
    "sankey_park": lambda b, v: flow_sankey(b.tables, b.scenario, lang="zh"),
    "sankey_h2": lambda b, v: flow_sankey(b.tables, b.scenario, "h2", lang="en"),
    "kpi": lambda b, v: kpi_comparison({"A": kpi_rows(b), "B": kpi_rows(v)}, lang="zh"),
    "pareto": lambda b, v: pareto_front(
        b.extras["pareto"], lang="en", marks={"baseline": (4.1e8, 5.2e5)}
    ),
    "macc": lambda b, v: macc_curve(b.extras["macc"], lang="zh", carbon_price=80),
    "cocontrol": lambda b, v: cocontrol_plot(
        cocontrol_points({"A": (b.baseline_kpis, b.kpis), "B": (v.baseline_kpis, v.kpis)}),
        lang="en",
    ),
    "radar": lambda b, v: indicator_radar({"A": score_view(b)}, lang="zh"),
    "grade": lambda b, v: grade_bars({"A": score_view(b)}, lang="en"),
}


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_is_drawn_and_saved(
    name: str, mini: ResultBundle, variant: ResultBundle, tmp_path: Path
):
    fig = FIGURES[name](mini, variant)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    drawn = len(ax.patches) + len(ax.lines) + len(ax.collections)
    assert drawn >= 3, f"{name}: only {drawn} artists"
    legend_titles = [lg.get_title().get_text() for lg in fig.legends]
    assert ax.get_title(loc="left") or any(legend_titles)
    _check_png(fig, tmp_path / f"{name}.png")


def test_map_shows_existing_and_new_links_by_flow(mini: ResultBundle):
    fig = park_map(mini.scenario, mini.table("flows"), mini.table("builds"), lang="zh")
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 4  # steam (existing) + three new links; no unbuilt candidates
    solid = [a for a in arrows if a.get_linestyle() == "-"]
    dashed = [a for a in arrows if a.get_linestyle() != "-"]
    assert len(solid) == 1 and len(dashed) == 3
    widths = sorted(
        a.get_linewidth() for a in dashed if a.get_edgecolor()[:3] == dashed[0].get_edgecolor()[:3]
    )
    assert widths[0] < widths[-1]  # hydrogen: 3,000 t thinner than 6,000 t
    text = _texts(fig)
    assert "园区地图" in text and "乙烯裂解" in text and "中区" in text
    sites = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    markers = sum(len(c.get_offsets()) for c in sites)  # one scatter per run of like sites
    assert markers == len(mini.scenario.sites) + 1  # one marker per site + a ring for the new unit


def test_map_baseline_has_no_new_links(mini: ResultBundle):
    fig = park_map(
        mini.scenario, mini.table("flows"), mini.table("builds"), lang="en", case="baseline"
    )
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert [a.get_linestyle() for a in arrows if a.get_alpha() > 0.5] == ["-"]


def test_existing_rows_of_builds_are_not_new():
    builds = pd.DataFrame(
        {"case": ["optimized"] * 3, "kind": ["link"] * 3, "id": ["old", "new", "skipped"],
         "candidate": [False, True, True], "built": ["True", "True", "False"]}
    )  # fmt: skip
    assert built_ids(builds, "optimized", "link") == {"new"}


def test_sankey_ribbons_carry_the_flows(mini: ResultBundle):
    fig = flow_sankey(mini.tables, mini.scenario, "h2", lang="en")
    ribbons = [p for p in fig.axes[0].patches if isinstance(p, PathPatch)]
    nodes = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_width() < 0.2]
    assert len(ribbons) == 3  # cracker -> chlor, cracker -> gasco, cracker -> flare
    assert len(nodes) == 4
    text = _texts(fig)
    assert "12,000 t" in text and "6,000 t" in text and "disposed" in text


def test_macc_leaves_measures_without_abatement_off(mini: ResultBundle):
    fig = macc_curve(mini.extras["macc"], lang="en", carbon_price=80)
    bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_height() != 0]
    assert len(bars) == 3
    assert sorted(round(b.get_width()) for b in bars) == [8000, 26750, 54000]
    assert "no effect" not in _texts(fig)


def test_cocontrol_points_are_reduction_rates(mini: ResultBundle):
    pts = cocontrol_points({"A": (mini.baseline_kpis, mini.kpis)})
    nox = pts[pts["species"] == "nox"].iloc[0]
    assert nox["x"] == pytest.approx((520_000 - 431_250) / 520_000 * 100)
    assert nox["y"] == pytest.approx((120.5 - 98.2) / 120.5 * 100)


def test_missing_inputs_give_a_message_figure(tmp_path: Path):
    for fig, message in (
        (pareto_front(pd.DataFrame(), lang="zh"), "未计算"),
        (macc_curve(pd.DataFrame({"x": [1]}), lang="en"), "not computed"),
        (cocontrol_plot(pd.DataFrame(columns=["label", "species", "x", "y"])), "not available"),
        (indicator_radar({}, lang="zh"), "未计算"),
    ):
        assert isinstance(fig, Figure)
        assert message in _texts(fig)


def test_report_figures_for_a_bare_result(pair_result: Path):
    figs = report_figures([load_result(pair_result)], "en")
    assert {"map", "sankey_park", "sankey_h2", "kpi"} <= set(figs)
    assert not {"pareto", "macc", "radar", "grade"} & set(figs)


def _unchanged(rows: list[dict]) -> list[dict]:
    """The KPI rows of a baseline compared with itself."""
    return [{**r, "optimized": r["baseline"], "change": 0.0, "pct": 0.0} for r in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_chart_has_a_legend_of_scenarios_and_leaves_out_the_baseline(
    lang: str, mini: ResultBundle, variant: ResultBundle
):
    results = {
        "Main": kpi_rows(mini),
        "Base 2021": _unchanged(kpi_rows(mini)),
        "Half": kpi_rows(variant),
    }
    fig = kpi_comparison(results, lang=lang)  # type: ignore[arg-type]
    assert len(fig.legends) == 1
    legend = fig.legends[0]
    assert [tx.get_text() for tx in legend.get_texts()] == ["Main", "Half"]
    assert legend.get_title().get_text() == (
        "相对基准情景的变化" if lang == "zh" else "Change against the baseline"
    )
    # The scenario left out is named under the chart; no "+0.0%" clutter.
    note = fig.get_supxlabel()
    assert "Base 2021" in note
    assert "+0.0%" not in _texts(fig)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    n_kpis = len(ax.get_yticks())
    assert len(bars) == 2 * n_kpis
    # Height grows with KPIs x scenarios, not with a fixed minimum that leaves gaps.
    assert fig.get_figheight() < 2.0 + n_kpis * (0.17 * 2 + 0.2) + 0.5


def test_kpi_chart_cuts_outliers_and_keeps_their_value(mini: ResultBundle):
    rows = kpi_rows(mini)
    kpi = next(r["kpi"] for r in rows if r["kpi"] == "co2_t")
    rows = [{**r, "pct": 3000.0} if r["kpi"] == kpi else r for r in rows]
    fig = kpi_comparison({"A": rows, "B": rows}, lang="en")
    text = _texts(fig)
    assert "+3000.0% »" in text  # the true value, marked as cut
    assert "bar cut" in fig.get_supxlabel()
    widths = [abs(p.get_width()) for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert max(widths) < 300  # cut well short of 3000


def test_pct_cap_skips_several_outliers():
    from symbio.report.figures.kpichart import PCT_CAP_MIN, pct_cap

    assert pct_cap([3333.3, 300.0, 14.0, 11.5, 9.7, 3.0]) == PCT_CAP_MIN
    assert pct_cap([50.0, 40.0, 30.0]) == 50.0  # nothing to cut
    assert pct_cap([200.0, 30.0, 20.0]) == 45.0


@pytest.mark.parametrize(
    ("lang", "x_label", "y_label"),
    [("zh", "亿元/年", "Mt/a"), ("en", "bn CNY/a", "Mt/a")],
)
def test_pareto_axes_use_the_reports_number_scales(lang: str, x_label: str, y_label: str):
    # SCIP-sized: 26.9 bn CNY/a (= 269 亿元/年) and 5.9 Mt CO2/a.
    front = pd.DataFrame({"cost": [2.69e10, 2.71e10], "co2": [5.9e6, 5.6e6]})
    fig = pareto_front(front, lang=lang, marks={"baseline": (2.75e10, 6.1e6)})
    ax = fig.axes[0]
    assert ax.get_xlabel().endswith(f"({x_label})") and ax.get_ylabel().endswith(f"({y_label})")
    ticks = [ax.xaxis.get_major_formatter()(v, 0) for v in (2.7e10, 2.75e10)]
    assert ticks == (["270", "275"] if lang == "zh" else ["27", "27.5"])
    assert ax.yaxis.get_major_formatter()(5.5e6, 0) == "5.5"


def test_macc_abatement_axis_on_the_mass_scale():
    macc = pd.DataFrame(
        {"name": ["a", "b"], "abatement_t": [300_000.0, 150_000.0], "cost_cny_per_t": [-50, 120]}
    )
    ax = macc_curve(macc, lang="zh").axes[0]
    assert ax.get_xlabel() == "累计 CO₂ 减排量(kt/a)"
    assert ax.xaxis.get_major_formatter()(450_000, 0) == "450"
    small = macc_curve(macc.assign(abatement_t=[300.0, 150.0]), lang="en").axes[0]
    assert small.get_xlabel() == "Cumulative CO2 abatement (t/a)"
