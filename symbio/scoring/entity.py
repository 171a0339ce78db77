"""Scoring one entity (park, network or enterprise) of one case: indicators -> areas -> overall.

The available indicators get fuzzy memberships; each area is a fuzzy comprehensive
evaluation of its indicators with weights re-normalised within the area, the overall
score one of the areas; the composite index of the 2013 通则 uses the same effective
weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from symbio.scoring.composite import composite_index, effective_weights
from symbio.scoring.explain import area_fixed_reason
from symbio.scoring.fuzzy import fuzzy_evaluate, indicator_membership
from symbio.scoring.indicators import GRADES, evaluate_indicators

__all__ = ["score_entity"]

_MU = [f"mu_{g}" for g in GRADES]
_B = [f"b_{g}" for g in GRADES]


def score_entity(lib, kpis, wset, operator, grade_scores, shape, rule):  # noqa: ANN001, ANN201
    """Score one entity (park, network or enterprise) of one case.

    Returns the indicator table, the area table (with ``fixed_reason``: why an area
    cannot respond, see :func:`symbio.scoring.explain.area_fixed_reason`) and the
    overall row (fuzzy score and grades, composite indices and rating).
    """
    ev = evaluate_indicators(lib, kpis)
    available = set(ev.loc[ev["available"], "indicator"])
    eff = effective_weights(
        wset.area_weights, {i: wset.local_weights[i] for i in lib.ids}, wset.area_of, available
    )
    mu = np.full((len(ev), 4), np.nan)
    for k, row in ev.iterrows():
        if row["available"]:
            mu[k] = indicator_membership(lib[row["indicator"]], row["value"], shape)
    ev[_MU] = mu
    ev["local_weight"] = [wset.local_weights[i] for i in ev["indicator"]]
    ev["area_weight"] = [wset.area_weights.get(wset.area_of[i], 0.0) for i in ev["indicator"]]
    ev["weight"] = [eff.get(i, 0.0) for i in ev["indicator"]]
    area_rows, area_b, area_w = [], [], []
    for area in lib.areas():
        row, b, w = _area_row(area, ev, lib, operator, grade_scores)
        area_rows.append(row)
        if b is not None:
            area_b.append(b)
            area_w.append(w)
    overall: dict = {"n_available": len(available), "n_indicators": len(ev)}
    if area_b:
        top = fuzzy_evaluate(
            np.array(area_w) / sum(area_w), np.array(area_b), operator, grade_scores
        )
        overall.update(dict(zip(_B, top.b_normalised, strict=True)))
        overall.update(
            score=top.score,
            grade_max_membership=top.grade_max_membership,
            grade_by_score=top.grade_by_score,
        )
    else:
        overall.update(
            dict.fromkeys(_B, np.nan), score=np.nan, grade_max_membership="", grade_by_score=""
        )
    values = dict(zip(ev["indicator"], ev["value"], strict=True))
    comp = composite_index(values, lib, {i: eff[i] for i in eff}, rule=rule)
    overall.update(
        Y_I=comp.y["I"],
        Y_II=comp.y["II"],
        Y_III=comp.y["III"],
        composite_rating=comp.rating,
        limiting_failures_I=";".join(comp.limiting_failures["I"]),
        limiting_failures_II=";".join(comp.limiting_failures["II"]),
        below_iii=";".join(comp.below_iii),
        not_available=";".join(sorted(set(ev["indicator"]) - available)),
    )
    return ev, pd.DataFrame(area_rows), overall


def _area_row(area, ev, lib, operator, grade_scores):  # noqa: ANN001, ANN202
    """One area's row; its normalised grade vector and weight (``None, 0`` if nothing is available)."""
    part = ev[(ev["area"] == area) & ev["available"]]
    n_all = int((ev["area"] == area).sum())
    w = part["weight"].to_numpy()
    fixed = area_fixed_reason(ev[ev["area"] == area], lib)
    if len(part) == 0 or w.sum() <= 0:
        row = {
            "area": area,
            "weight": 0.0,
            **dict.fromkeys(_B, np.nan),
            "score": np.nan,
            "grade_max_membership": "",
            "grade_by_score": "",
            "n_available": 0,
            "n_indicators": n_all,
            "fixed_reason": fixed,
        }
        return row, None, 0.0
    res = fuzzy_evaluate(w / w.sum(), part[_MU].to_numpy(), operator, grade_scores)
    row = {
        "area": area,
        "weight": float(w.sum()),
        **dict(zip(_B, res.b_normalised, strict=True)),
        "score": res.score,
        "grade_max_membership": res.grade_max_membership,
        "grade_by_score": res.grade_by_score,
        "n_available": len(part),
        "n_indicators": n_all,
        "fixed_reason": fixed,
    }
    return row, res.b_normalised, w.sum()
