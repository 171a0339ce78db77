"""A two-level weight hierarchy from a panel's judgments (AHP) or from direct weights.

Direct weights (YAML ``weights: {goal: {...}, <area>: {...}}`` or CSV ``parent, element,
weight``) bypass AHP; an AHP panel file (see :mod:`symbio.scoring.judgments`) goes through
group aggregation, completion of missing judgments, optional repair and weighting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from symbio.errors import InputError
from symbio.scoring.ahp import AHPResult, ahp_weights, compose_hierarchy
from symbio.scoring.ahp_group import (
    aggregate_aij,
    aggregate_aip,
    complete_lambda_min,
    harker_weights,
)
from symbio.scoring.ahp_repair import repair_consistency
from symbio.scoring.csvfile import read_input_csv
from symbio.scoring.errors import ScoringError
from symbio.scoring.indicators import AREAS, IndicatorLibrary
from symbio.scoring.judgments import Panel, _read_yaml, load_panel

__all__ = ["WeightSet", "check_against_library", "load_weights", "panel_weights"]


@dataclass(frozen=True)
class WeightSet:
    """A two-level weight hierarchy with its provenance.

    Attributes
    ----------
    area_weights : dict
        Weights of the areas (``goal`` level).
    local_weights : dict
        Indicator -> weight within its area.
    area_of : dict
        Indicator -> area.
    table : pandas.DataFrame
        ``parent, element, parent_weight, local_weight, global_weight``.
    consistency : pandas.DataFrame
        ``node, expert, n, lambda_max, ci, ri, cr, consistent`` (``expert = "group"`` for
        the aggregated matrix); empty for direct weights.
    repairs : pandas.DataFrame
        Logged changes of a consistency repair (empty when none).
    method : dict
        Every choice made and the source file; ``illustrative`` tells whether the
        judgments are an illustrative example rather than survey data.
    """

    area_weights: dict[str, float]
    local_weights: dict[str, float]
    area_of: dict[str, str]
    table: pd.DataFrame
    consistency: pd.DataFrame = field(default_factory=pd.DataFrame)
    repairs: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: dict = field(default_factory=dict)


def _complete(
    m: np.ndarray, labels: Sequence[str], incomplete: str, file: str = "", where: str = ""
) -> np.ndarray:
    if incomplete not in ("harker", "lambda_min"):
        raise ScoringError("weights", "incomplete", f"'harker' or 'lambda_min', not {incomplete!r}")
    if not np.isnan(m).any():
        return m
    try:
        if incomplete == "harker":
            return harker_weights(m, labels)[1]
        return complete_lambda_min(m, labels)
    except ValueError as exc:  # e.g. judgments that do not connect all elements
        raise InputError(file, where, str(exc)) from None


def panel_weights(
    panel: Panel,
    *,
    method: str = "eigenvector",
    aggregation: str = "aij",
    ri_table: str = "saaty1980",
    incomplete: str = "harker",
    repair: str | None = None,
    threshold: float | str = 0.10,
    expert_weights: str = "panel",
    beyond: str = "error",
) -> WeightSet:
    """Aggregate a panel's judgments into area and indicator weights.

    Parameters
    ----------
    panel : Panel
    method : {"eigenvector", "geometric_mean", "column_normalisation"}
    aggregation : {"aij", "aip"}
        Aggregate judgments (weighted geometric mean, then one weighting) or priorities
        (each expert's weights, then their weighted geometric mean).
    ri_table : str
        RI table for CR.
    incomplete : {"harker", "lambda_min"}
        Completion of matrices with missing judgments.
    repair : {None, "iterative", "blend"}
        Repair group matrices whose CR >= ``threshold`` (logged; original CR kept).
    threshold : float or "saaty_by_size"
        CR acceptance threshold (0.05 / 0.08 / 0.10 by size with ``"saaty_by_size"``).
    expert_weights : {"panel", "equal"}
        Use the weights given in the panel file, or equal weights.
    beyond : {"error", "skip"}
        A matrix larger than the RI table: raise, or skip CR (the GCI decides).

    Returns
    -------
    WeightSet
    """
    # Long: the docstring documents the aggregation options (26 lines); the code is 62.
    if aggregation not in ("aij", "aip"):
        raise ScoringError("weights", "aggregation", f"'aij' or 'aip', not {aggregation!r}")
    crit_rows, repair_logs, local = [], [], {}
    # completions, group means and repairs may leave 1/9..9: the raw judgments were checked
    choices = dict(method=method, ri_table=ri_table, threshold=threshold, scale=None, beyond=beyond)
    for node, items in panel.hierarchy.items():
        mats = panel.matrices.get(node, {})
        if not mats:
            raise InputError(panel.source, f"judgments.*.{node}", "no expert judged this criterion")
        experts = [e for e in panel.experts if e in mats]
        lam = [
            panel.expert_weights[panel.experts.index(e)] if expert_weights == "panel" else 1.0
            for e in experts
        ]
        individual = {}
        for ex in experts:
            full = _complete(mats[ex], items, incomplete, panel.source, f"judgments.{ex}.{node}")
            res = ahp_weights(full, items, **choices)
            individual[ex] = res
            crit_rows.append(_crow(node, ex, res))
        group = aggregate_aij([mats[e] for e in experts], lam)
        group = _complete(group, items, incomplete, panel.source, f"judgments.*.{node}")
        check = ahp_weights(group, items, **choices)
        if repair is not None and not check.consistent:
            rep = repair_consistency(
                group, items, method=repair, target=check.threshold, ri_table=ri_table
            )
            group = rep.matrix
            log = rep.log.copy()
            log.insert(0, "node", node)
            log["original_cr"] = rep.original_cr
            repair_logs.append(log)
        gres = ahp_weights(group, items, **choices)
        crit_rows.append(_crow(node, "group", gres))
        if aggregation == "aij":
            w = gres.weights
        else:
            w = pd.Series(
                aggregate_aip([individual[e].weights.to_numpy() for e in experts], lam), index=items
            )
        local[node] = {k: float(v) for k, v in w.items()}
    areas = local.pop("goal")
    area_of = {ind: area for area, inds in local.items() for ind in inds}
    flat = {ind: w for inds in local.values() for ind, w in inds.items()}
    info = {
        "source": panel.source,
        "illustrative": panel.illustrative,
        "experts": len(panel.experts),
        "aggregation": "AIJ (weighted geometric mean of judgments)"
        if aggregation == "aij"
        else "AIP (weighted geometric mean of priorities)",
        "expert_weights": expert_weights,
        "weight_method": method,
        "ri_table": ri_table,
        "incomplete": incomplete,
        "repair": repair,
        "cr_threshold": threshold,
        "beyond_ri_table": beyond,
    }
    cons = pd.DataFrame(crit_rows)
    reps = pd.concat(repair_logs, ignore_index=True) if repair_logs else pd.DataFrame()
    return WeightSet(areas, flat, area_of, compose_hierarchy(areas, local), cons, reps, info)


def _crow(node: str, expert: str, res: AHPResult) -> dict:
    return {
        "node": node,
        "expert": expert,
        "n": res.n,
        "lambda_max": res.lambda_max,
        "ci": res.ci,
        "ri": res.ri,
        "cr": res.cr,
        "gci": res.gci,
        "consistent": res.consistent,
    }


def load_weights(path: str | Path, **options: object) -> WeightSet:
    """Read weights: an AHP panel file, direct weights in YAML, or a CSV of direct weights.

    Parameters
    ----------
    path : path
        YAML with ``judgments:`` (a panel, see :func:`load_panel`), YAML with
        ``weights: {goal: {area: w}, <area>: {indicator: w}}``, or CSV with columns
        ``parent, element, weight`` (``parent = goal`` for the areas).
    **options
        Passed to :func:`panel_weights` for a panel file.

    Returns
    -------
    WeightSet
    """
    # Long: the docstring describes the three input kinds (15 lines); the code is 50.
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        doc = _read_yaml(path)
        if "judgments" in doc:
            return panel_weights(load_panel(path), **options)  # type: ignore[arg-type]
        raw = doc.get("weights")
        if not isinstance(raw, dict) or "goal" not in raw:
            raise InputError(
                str(path),
                "weights",
                "expected 'judgments:' (AHP panel) or 'weights: {goal: ..., <area>: ...}'",
            )
        rows = [(p, e, w) for p, d in raw.items() for e, w in (d or {}).items()]
    else:
        if not path.is_file():
            raise InputError(str(path), "", "file not found")
        df = read_input_csv(path, comment="#", skipinitialspace=True)
        for col in ("parent", "element", "weight"):
            if col not in df.columns:
                raise InputError(str(path), col, f"missing column; found {list(df.columns)}")
        rows = list(df[["parent", "element", "weight"]].itertuples(index=False, name=None))
    tree: dict[str, dict[str, float]] = {}
    for k, (parent, element, w) in enumerate(rows):
        try:
            val = float(w)
        except (TypeError, ValueError):
            val = float("nan")
        if not np.isfinite(val) or val < 0:
            raise InputError(
                str(path),
                f"{parent}.{element}",
                f"weight must be a nonnegative number (row {k + 1}), got {w!r}",
            )
        tree.setdefault(str(parent), {})[str(element)] = val
    if "goal" not in tree:
        raise InputError(str(path), "goal", "no area weights (parent 'goal') given")
    norm = {
        p: {e: v / sum(d.values()) for e, v in d.items()}
        for p, d in tree.items()
        if sum(d.values()) > 0
    }
    areas = norm.pop("goal")
    area_of = {ind: area for area, inds in norm.items() for ind in inds}
    flat = {ind: w for inds in norm.values() for ind, w in inds.items()}
    info = {
        "source": str(path),
        "illustrative": False,
        "weight_method": "direct weights (normalised per parent)",
    }
    return WeightSet(areas, flat, area_of, compose_hierarchy(areas, norm), method=info)


def check_against_library(wset: WeightSet, library: IndicatorLibrary) -> None:
    """Check that a weight set fits an indicator library.

    Raises
    ------
    ScoringError
        Naming the weights file when an area name is not one of the plan's six areas,
        when an indicator sits in another area than in the library (its area weight
        would be silently recombined), or when no indicator of the library has a weight
        (every indicator would be dropped and the results would be empty).
    """
    src = str(wset.method.get("source", "<weights>"))
    for area in wset.area_weights:
        if area not in AREAS:
            raise ScoringError(src, f"goal.{area}", f"unknown area (allowed: {', '.join(AREAS)})")
    for ind, area in wset.area_of.items():
        if ind in library and library[ind].area != area:
            raise ScoringError(
                src,
                f"{area}.{ind}",
                f"indicator placed under {area!r} here but under {library[ind].area!r} in the "
                "indicator library; put it under the library's area",
            )
    if not any(i in wset.local_weights for i in library.ids):
        named = ", ".join(sorted(wset.local_weights)[:8]) or "none"
        raise ScoringError(
            src,
            "",
            f"no indicator of the library has a weight here (indicators named: {named}); "
            "check the area and indicator ids",
        )
