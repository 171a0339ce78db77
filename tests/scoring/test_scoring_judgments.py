"""Reading judgment files and deriving the weight hierarchy from a panel."""

from __future__ import annotations

import numpy as np
import pytest

from symbio.errors import InputError
from symbio.scoring import JudgmentError, load_pairwise_csv, load_panel, load_weights, panel_weights
from symbio.scoring.pipeline import default_paths

PANEL = """
illustrative: true
experts: [{id: A, weight: 2}, {id: B, weight: 1}]
hierarchy:
  goal: [x, y]
  x: [x1, x2, x3]
  y: [y1]
judgments:
  A:
    goal: {matrix: [[1, 3], ["1/3", 1]]}
    x: {pairs: [[x1, x2, 2], [x1, x3, 4], [x2, x3, 2]]}
    y: {matrix: [[1]]}
  B:
    goal: {matrix: [[1, 1], [1, 1]]}
    x: {pairs: [[x1, x2, 2], [x2, x3, 2]]}
    y: {matrix: [[1]]}
"""


def _write(tmp_path, text, name="panel.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_panel_aij_weights(tmp_path):
    ws = load_weights(_write(tmp_path, PANEL))
    # goal: weighted geometric mean of 3 (weight 2) and 1 (weight 1) = 3^(2/3)
    a = 3 ** (2 / 3)
    assert ws.area_weights["x"] == pytest.approx(a / (1 + a))
    # x: A is consistent (4:2:1); B misses x1-x3, Harker-completed; AIJ keeps 4:2:1
    assert [ws.local_weights[k] for k in ("x1", "x2", "x3")] == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert ws.local_weights["y1"] == 1.0
    assert ws.table["global_weight"].sum() == pytest.approx(1.0)
    assert ws.method["illustrative"] is True and ws.method["aggregation"].startswith("AIJ")
    cons = ws.consistency.set_index(["node", "expert"])
    assert cons.loc[("goal", "group"), "cr"] == 0.0
    assert set(ws.area_of) == {"x1", "x2", "x3", "y1"}


def test_panel_aip_and_options(tmp_path):
    p = _write(tmp_path, PANEL)
    aip = panel_weights(
        load_panel(p), aggregation="aip", method="geometric_mean", expert_weights="equal"
    )
    assert aip.area_weights["x"] == pytest.approx(
        np.sqrt(0.75 * 0.5) / (np.sqrt(0.75 * 0.5) + np.sqrt(0.25 * 0.5))
    )
    assert aip.method["expert_weights"] == "equal"
    lam = panel_weights(load_panel(p), incomplete="lambda_min")
    assert lam.local_weights["x1"] == pytest.approx(4 / 7)


def test_bundled_panel(weights):
    assert weights.method["illustrative"] is True
    assert sum(weights.area_weights.values()) == pytest.approx(1.0)
    assert len(weights.area_weights) == 6 and len(weights.local_weights) == 22
    group = weights.consistency[weights.consistency["expert"] == "group"]
    assert (group["cr"] < 0.1).all()
    # P4's area matrix is deliberately inconsistent; P5 left one pair blank
    p4 = weights.consistency.set_index(["node", "expert"]).loc[("goal", "P4"), "cr"]
    assert p4 > 0.1
    panel = load_panel(default_paths()["weights"])
    assert np.isnan(panel.matrices["industrial_chain"]["P5"]).sum() == 2


def test_reciprocity_violation_in_panel_names_cell(tmp_path):
    bad = PANEL.replace('goal: {matrix: [[1, 3], ["1/3", 1]]}', "goal: {matrix: [[1, 3], [2, 1]]}")
    with pytest.raises(JudgmentError) as err:
        load_panel(_write(tmp_path, bad))
    msg = str(err.value)
    assert (
        "panel.yaml" in msg
        and "judgments.A.goal[x,y]" in msg
        and "a[x,y]=3" in msg
        and "a[y,x]=2" in msg
    )


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("[x1, x2, 2], [x1, x3, 4]", "[x1, x2, 2], [x1, x2, 4]", "given twice"),
        ("[x1, x2, 2], [x1, x3, 4]", "[x1, x9, 2], [x1, x3, 4]", "pairs[0]"),
        ('[[1, 3], ["1/3", 1]]', '[[1, 3], ["one third", 1]]', "matrix[1][0]"),
        ('[[1, 3], ["1/3", 1]]', "[[1, 3]]", "expected a 2x2 matrix"),
        ("    y: {matrix: [[1]]}\n  B:", "    z: {matrix: [[1]]}\n  B:", "unknown criterion"),
    ],
)
def test_panel_errors_name_the_field(tmp_path, old, new, fragment):
    assert old in PANEL
    with pytest.raises(InputError, match=None) as err:
        load_panel(_write(tmp_path, PANEL.replace(old, new, 1)))
    assert fragment in str(err.value) and "panel.yaml" in str(err.value)


def test_pairwise_csv(tmp_path):
    p = _write(tmp_path, "# comment\n,a,b,c\na,1,2,4\nb,1/2,1,2\nc,1/4,1/2,1\n", "m.csv")
    labels, m = load_pairwise_csv(p)
    assert labels == ["a", "b", "c"] and m[2, 0] == 0.25
    p = _write(tmp_path, ",a,b\na,1,2\nb,3,1\n", "bad.csv")
    with pytest.raises(JudgmentError, match=r"bad\[a,b\]: not reciprocal"):
        load_pairwise_csv(p)


def test_direct_weights_yaml(tmp_path):
    p = _write(
        tmp_path, "weights:\n  goal: {x: 3, y: 1}\n  x: {x1: 1, x2: 1}\n  y: {y1: 5}\n", "w.yaml"
    )
    ws = load_weights(p)
    assert ws.area_weights == pytest.approx({"x": 0.75, "y": 0.25})
    assert ws.local_weights == pytest.approx({"x1": 0.5, "x2": 0.5, "y1": 1.0})
    p = _write(tmp_path, "weights:\n  goal: {x: -1}\n", "w2.yaml")
    with pytest.raises(InputError, match=r"goal\.x: weight must be a nonnegative number"):
        load_weights(p)


def test_disconnected_judgments_name_the_matrix(tmp_path):
    text = PANEL.replace("x: {pairs: [[x1, x2, 2], [x2, x3, 2]]}", "x: {pairs: [[x1, x2, 2]]}")
    with pytest.raises(InputError, match=r"panel\.yaml: judgments\.B\.x: .*do not connect"):
        load_weights(_write(tmp_path, text))
