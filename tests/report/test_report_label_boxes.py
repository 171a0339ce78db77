"""Sankey and map labels are never clipped and never overprint each other, measured on the
drawn figure: every label's text box lies inside the figure and no two boxes intersect.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from symbio.cli.app import main
from symbio.paths import scenarios_dir
from symbio.report.bundle import load_result
from symbio.report.figures.overview import report_figures, resource_colors
from symbio.report.figures.parkmap import park_map
from symbio.report.figures.sankey import flow_sankey


def _boxes(fig):  # noqa: ANN001, ANN202
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for ax in fig.axes
        for t in ax.texts
        if t.get_visible() and t.get_text().strip()
    ]


def _markers(fig) -> list[tuple[float, float, float]]:  # noqa: ANN001
    """Centre and radius (pixels) of every filled scatter marker (site markers on the map)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Affine2D

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    out = []
    for ax in fig.axes:
        for coll in ax.collections:
            filled = len(coll.get_facecolor()) and coll.get_facecolor()[0][3] > 0
            if isinstance(coll, PathCollection) and filled and len(coll.get_offsets()) == 1:
                size = Affine2D(coll.get_transforms()[0])  # marker size (points -> pixels)
                ext = coll.get_paths()[0].transformed(size).get_extents()
                x, y = ax.transData.transform(coll.get_offsets()[0])
                out.append((x, y, max(abs(ext.x0), abs(ext.x1), abs(ext.y0), abs(ext.y1))))
    return out


def _hidden(markers) -> list[tuple[int, int]]:  # noqa: ANN001
    """Pairs of markers that touch (one partly hidden under the other)."""
    return [
        (i, j)
        for (i, a), (j, b) in combinations(enumerate(markers), 2)
        if ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 < a[2] + b[2] - 1
    ]


def _overlap(a, b) -> float:  # noqa: ANN001
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _assert_fit(key: str, fig) -> None:  # noqa: ANN001
    boxes = _boxes(fig)
    assert boxes, key
    page = fig.bbox
    for text, box in boxes:
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, (key, text, "clipped left/right")
        assert box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, (key, text, "clipped top/bottom")
    for (ta, a), (tb, b) in combinations(boxes, 2):
        assert _overlap(a, b) <= 1.0, (key, ta, tb)
    markers = _markers(fig)
    assert not _hidden(markers), (key, [(markers[i], markers[j]) for i, j in _hidden(markers)])


@pytest.fixture(scope="module")
def scip_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The main SCIP scenario solved (its long English site names are the hard case)."""
    out = tmp_path_factory.mktemp("scip") / "symbiosis-2025"
    scenario = scenarios_dir() / "scip" / "symbiosis-2025.yaml"
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scip_sankey_and_map_labels_fit(scip_result: Path, lang: str):
    """Every Sankey of the SCIP pilot and its map, drawn alone (not the whole briefing)."""
    bundle = load_result(scip_result)
    sc, colors = bundle.scenario, resource_colors(bundle)
    flows = bundle.table("flows")
    opt = flows[flows["case"].astype(str) == "optimized"]
    exchanged = [r.id for r in sc.resources if r.id in set(opt["resource"].astype(str))]
    assert len(exchanged) >= 8  # the report draws up to eight resource diagrams
    figs = {"map": park_map(sc, flows, bundle.table("builds"), lang=lang, colors=colors)}
    figs["sankey_park"] = flow_sankey(bundle.tables, sc, lang=lang, colors=colors)
    for rid in exchanged[:8]:
        figs[rid] = flow_sankey(bundle.tables, sc, rid, lang=lang, colors=colors)
    for key, fig in figs.items():
        _assert_fit(f"{lang}:{key}", fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sankey_and_map_labels_fit_and_do_not_overlap(mini_result: Path, lang: str):
    figs = report_figures([load_result(mini_result)], lang)  # type: ignore[arg-type]
    checked = [k for k in figs if k == "map" or k.startswith("sankey")]
    assert "map" in checked and "sankey_park" in checked
    for key in checked:
        fig = figs[key]
        boxes = _boxes(fig)
        assert boxes, key
        page = fig.bbox
        for text, box in boxes:
            assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, (
                key,
                text,
                "clipped left/right",
            )
            assert box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, (
                key,
                text,
                "clipped top/bottom",
            )
        for (ta, a), (tb, b) in combinations(boxes, 2):
            assert _overlap(a, b) <= 1.0, (key, ta, tb)


def test_the_box_check_can_fail():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "label one")
    ax.text(0.52, 0.5, "label two")
    ax.text(1.4, 0.5, "clipped at the right edge")
    boxes = _boxes(fig)
    assert _overlap(boxes[0][1], boxes[1][1]) > 1.0
    assert boxes[2][1].x1 > fig.bbox.x1 + 1
    ax.scatter([0.5], [0.3], s=560, marker="*", fc="white")
    ax.scatter([0.51], [0.31], s=230, marker="D", fc="white")
    ax.scatter([0.9], [0.9], s=230, marker="o", fc="white")
    assert _hidden(_markers(fig)) == [(0, 1)]


def test_bundled_example_labels_fit(pair_result: Path):
    for key, fig in report_figures([load_result(pair_result)], "zh").items():
        if key == "map" or key.startswith("sankey"):
            boxes = _boxes(fig)
            for (ta, a), (tb, b) in combinations(boxes, 2):
                assert _overlap(a, b) <= 1.0, (key, ta, tb)
            for text, box in boxes:
                assert fig.bbox.x0 - 1 <= box.x0 and box.x1 <= fig.bbox.x1 + 1, (key, text)
