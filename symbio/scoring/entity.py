"""Scoring one entity (park, network or enterprise) of one case: indicators -> areas -> overall.

The available indicators get fuzzy memberships; each area is a fuzzy comprehensive
evaluation of its indicators with weights re-normalised within the area, the overall
score one of the areas; the composite index of the 2013 通则 uses the same effective
weights.

The loop works on plain dict rows (one per indicator, one per area): an entity has a few
dozen indicators and a run a hundred entities, so the tables are built once per run by the
caller, not once per entity.
"""

from __future__ import annotations

import numpy as np

from symbio.scoring.composite import composite_index, effective_weights
from symbio.scoring.explain import area_fixed_reason
from symbio.scoring.fuzzy import fuzzy_evaluate, indicator_membership
from symbio.scoring.indicators import GRADES, indicator_records

__all__ = ["score_entity"]

_MU = [f"mu_{g}" for g in GRADES]
_B = [f"b_{g}" for g in GRADES]


def score_entity(lib, kpis, wset, operator, grade_scores, shape, rule):  # noqa: ANN001, ANN201
    """Score one entity (park, network or enterprise) of one case.

    Returns the indicator rows, the area rows (with ``fixed_reason``: why an area cannot
    respond, see :func:`symbio.scoring.explain.area_fixed_reason`) and the overall row
    (fuzzy score and grades, composite indices and rating), each row a dict.
    """
    ev = indicator_records(lib, kpis)
    available = {r["indicator"] for r in ev if r["available"]}
    eff = effective_weights(
        wset.area_weights, {i: wset.local_weights[i] for i in lib.ids}, wset.area_of, available
    )
    for r in ev:
        i = r["indicator"]
        mu = (
            indicator_membership(lib[i], r["value"], shape)
            if r["available"]
            else np.full(len(_MU), np.nan)
        )
        r.update(zip(_MU, (float(x) for x in mu), strict=True))
        r["local_weight"] = wset.local_weights[i]
        r["area_weight"] = wset.area_weights.get(wset.area_of[i], 0.0)
        r["weight"] = eff.get(i, 0.0)
    area_rows, area_b, area_w = [], [], []
    for area in lib.areas():
        row, b, w = _area_row(
            area, [r for r in ev if r["area"] == area], lib, operator, grade_scores
        )
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
    values = {r["indicator"]: r["value"] for r in ev}
    comp = composite_index(values, lib, dict(eff), rule=rule)
    overall.update(
        Y_I=comp.y["I"],
        Y_II=comp.y["II"],
        Y_III=comp.y["III"],
        composite_rating=comp.rating,
        limiting_failures_I=";".join(comp.limiting_failures["I"]),
        limiting_failures_II=";".join(comp.limiting_failures["II"]),
        below_iii=";".join(comp.below_iii),
        not_available=";".join(sorted(set(values) - available)),
    )
    return ev, area_rows, overall


def _area_row(area, rows, lib, operator, grade_scores):  # noqa: ANN001, ANN202
    """One area's row from its indicator rows; its normalised grade vector and weight
    (``None, 0`` if nothing is available)."""
    part = [r for r in rows if r["available"]]
    w = np.array([r["weight"] for r in part], dtype=float)
    fixed = area_fixed_reason(rows, lib)
    if not part or w.sum() <= 0:
        row = {
            "area": area,
            "weight": 0.0,
            **dict.fromkeys(_B, np.nan),
            "score": np.nan,
            "grade_max_membership": "",
            "grade_by_score": "",
            "n_available": 0,
            "n_indicators": len(rows),
            "fixed_reason": fixed,
        }
        return row, None, 0.0
    mu = np.array([[r[c] for c in _MU] for r in part], dtype=float)
    res = fuzzy_evaluate(w / w.sum(), mu, operator, grade_scores)
    row = {
        "area": area,
        "weight": float(w.sum()),
        **dict(zip(_B, res.b_normalised, strict=True)),
        "score": res.score,
        "grade_max_membership": res.grade_max_membership,
        "grade_by_score": res.grade_by_score,
        "n_available": len(part),
        "n_indicators": len(rows),
        "fixed_reason": fixed,
    }
    return row, res.b_normalised, w.sum()
