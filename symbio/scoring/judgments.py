"""Reading expert judgments and turning a panel's matrices into a weight hierarchy.

Panel file (YAML)::

    illustrative: true            # say so when the judgments are not survey data
    experts: [{id: P1, weight: 1.0}, ...]
    hierarchy:
      goal: [resource_energy_efficiency, pollutant_emissions, ...]   # areas
      resource_energy_efficiency: [energy_intensity, water_reuse_rate, ...]
    judgments:
      P1:
        goal:
          matrix: [[1, 2, "1/3", ...], ...]      # full matrix in hierarchy order
        resource_energy_efficiency:
          pairs: [[energy_intensity, water_reuse_rate, 3], ...]   # or upper-triangle pairs

Values are numbers or fractions written as text (``"1/3"``); ``null`` (or a pair left out)
is a missing judgment, completed by Harker's method or lambda_max minimisation. A single
matrix can also be read from CSV (first column row ids, header column ids).

Direct weights (YAML ``weights: {goal: {...}, <area>: {...}}`` or CSV ``parent, element,
weight``) bypass AHP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from symbio.errors import InputError
from symbio.scoring.ahp import AHPResult, ahp_weights, check_pairwise, compose_hierarchy
from symbio.scoring.ahp_group import (
    aggregate_aij,
    aggregate_aip,
    complete_lambda_min,
    harker_weights,
    repair_consistency,
)

__all__ = ["Panel", "WeightSet", "load_pairwise_csv", "load_panel", "load_weights", "panel_weights"]

_MISSING = {"", "?", "-", "na", "nan", "null", "none"}


def parse_judgment(value: object, file: str, where: str) -> float:
    """Parse one judgment: a positive number or fraction text; missing markers give NaN."""
    if value is None or (isinstance(value, str) and value.strip().lower() in _MISSING):
        return float("nan")
    if isinstance(value, bool):
        raise InputError(file, where, f"expected a number or fraction, got {value!r}")
    if isinstance(value, int | float):
        out = float(value)
    else:
        try:
            out = float(Fraction(str(value).strip()))
        except (ValueError, ZeroDivisionError):
            raise InputError(
                file, where, f"expected a number or fraction like '1/3', got {value!r}"
            ) from None
    if not np.isfinite(out) or out <= 0:
        raise InputError(file, where, f"judgments must be positive, got {value!r}")
    return out


@dataclass(frozen=True)
class Panel:
    """A panel's judgments: ``matrices[node][expert]`` is an n x n array (NaN = missing)."""

    hierarchy: dict[str, list[str]]
    experts: list[str]
    expert_weights: list[float]
    matrices: dict[str, dict[str, np.ndarray]]
    source: str = "<panel>"
    illustrative: bool = False
    note: str = ""


def load_panel(path: str | Path) -> Panel:
    """Read an AHP panel YAML file (see the module docstring).

    Raises
    ------
    InputError
        Naming the file and field (e.g. ``judgments.P2.goal[pollutant_emissions,decoupling]``
        for a reciprocity violation).
    """
    path = Path(path)
    file = str(path)
    doc = _read_yaml(path)
    hierarchy = doc.get("hierarchy")
    if not isinstance(hierarchy, dict) or "goal" not in hierarchy:
        raise InputError(
            file, "hierarchy", "expected a mapping with a 'goal' list and one list per criterion"
        )
    hierarchy = {str(k): [str(x) for x in v] for k, v in hierarchy.items()}
    experts_raw = doc.get("experts") or []
    experts = [str(e["id"]) if isinstance(e, dict) else str(e) for e in experts_raw]
    weights = [float(e.get("weight", 1.0)) if isinstance(e, dict) else 1.0 for e in experts_raw]
    judg = doc.get("judgments")
    if not isinstance(judg, dict) or not judg:
        raise InputError(file, "judgments", "expected judgments per expert")
    if not experts:
        experts, weights = list(judg), [1.0] * len(judg)
    for ex in judg:
        if str(ex) not in experts:
            raise InputError(
                file, f"judgments.{ex}", f"expert not listed under experts ({experts})"
            )
    matrices: dict[str, dict[str, np.ndarray]] = {node: {} for node in hierarchy}
    for ex in experts:
        for node, spec in (judg.get(ex) or {}).items():
            if node not in hierarchy:
                raise InputError(
                    file,
                    f"judgments.{ex}.{node}",
                    f"unknown criterion (hierarchy has {list(hierarchy)})",
                )
            where = f"judgments.{ex}.{node}"
            m = _matrix_from_spec(spec, hierarchy[node], file, where)
            matrices[node][ex] = check_pairwise(
                m, hierarchy[node], source=file, name=where, allow_missing=True
            )
    return Panel(
        hierarchy,
        experts,
        weights,
        matrices,
        file,
        bool(doc.get("illustrative", False)),
        str(doc.get("note", "")),
    )


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise InputError(str(path), "", "file not found")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(str(path), "", f"invalid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise InputError(str(path), "", "expected a YAML mapping")
    return doc


def _matrix_from_spec(spec: object, items: list[str], file: str, where: str) -> np.ndarray:
    n = len(items)
    if isinstance(spec, dict) and "matrix" in spec:
        rows = spec["matrix"]
        if (
            not isinstance(rows, list)
            or len(rows) != n
            or any(not isinstance(r, list) or len(r) != n for r in rows)
        ):
            raise InputError(
                file, f"{where}.matrix", f"expected a {n}x{n} matrix in the order {items}"
            )
        return np.array([[parse_judgment(v, file, f"{where}.matrix[{i}][{j}]") for j, v in enumerate(r)]
                         for i, r in enumerate(rows)])  # fmt: skip
    if isinstance(spec, dict) and "pairs" in spec:
        m = np.full((n, n), np.nan)
        np.fill_diagonal(m, 1.0)
        index = {x: k for k, x in enumerate(items)}
        for k, pair in enumerate(spec["pairs"] or []):
            if (
                not isinstance(pair, list)
                or len(pair) != 3
                or pair[0] not in index
                or pair[1] not in index
            ):
                raise InputError(
                    file,
                    f"{where}.pairs[{k}]",
                    f"expected [row id, column id, value] with ids in {items}",
                )
            i, j = index[pair[0]], index[pair[1]]
            v = parse_judgment(pair[2], file, f"{where}.pairs[{k}]")
            if not np.isnan(m[i, j]) and i != j:
                raise InputError(
                    file, f"{where}.pairs[{k}]", f"pair ({pair[0]}, {pair[1]}) given twice"
                )
            m[i, j], m[j, i] = v, 1.0 / v
        return m
    raise InputError(file, where, "expected 'matrix:' or 'pairs:'")


def load_pairwise_csv(path: str | Path) -> tuple[list[str], np.ndarray]:
    """Read one pairwise matrix from CSV (first column: row ids; header: column ids).

    Returns
    -------
    (labels, matrix)

    Raises
    ------
    InputError
        If the row and column ids differ, a value does not parse, or reciprocity fails
        (the cell is named).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "", "file not found")
    df = pd.read_csv(
        path, comment="#", index_col=0, dtype=str, keep_default_na=False, skipinitialspace=True
    )
    rows, cols = [str(x).strip() for x in df.index], [str(x).strip() for x in df.columns]
    if rows != cols:
        raise InputError(str(path), "header", f"row ids {rows} and column ids {cols} differ")
    m = np.array([[parse_judgment(df.iat[i, j], str(path), f"[{rows[i]},{cols[j]}]") for j in range(len(cols))]
                  for i in range(len(rows))])  # fmt: skip
    return rows, check_pairwise(m, rows, source=str(path), name=path.stem, allow_missing=True)


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


def _complete(m: np.ndarray, labels: Sequence[str], incomplete: str) -> np.ndarray:
    if not np.isnan(m).any():
        return m
    if incomplete == "harker":
        return harker_weights(m, labels)[1]
    if incomplete == "lambda_min":
        return complete_lambda_min(m, labels)
    raise ValueError(f"incomplete must be 'harker' or 'lambda_min', not {incomplete!r}")


def panel_weights(
    panel: Panel,
    *,
    method: str = "eigenvector",
    aggregation: str = "aij",
    ri_table: str = "saaty1980",
    incomplete: str = "harker",
    repair: str | None = None,
    threshold: float = 0.10,
    expert_weights: str = "panel",
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
    threshold : float
        CR acceptance threshold.
    expert_weights : {"panel", "equal"}
        Use the weights given in the panel file, or equal weights.

    Returns
    -------
    WeightSet
    """
    if aggregation not in ("aij", "aip"):
        raise ValueError(f"aggregation must be 'aij' or 'aip', not {aggregation!r}")
    crit_rows, repair_logs, local = [], [], {}
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
            full = _complete(mats[ex], items, incomplete)
            res = ahp_weights(full, items, method=method, ri_table=ri_table, threshold=threshold)
            individual[ex] = res
            crit_rows.append(_crow(node, ex, res))
        group = aggregate_aij([mats[e] for e in experts], lam)
        group = _complete(group, items, incomplete)
        if repair is not None and ahp_weights(group, items, ri_table=ri_table).cr >= threshold:
            rep = repair_consistency(
                group, items, method=repair, target=threshold, ri_table=ri_table
            )
            group = rep.matrix
            log = rep.log.copy()
            log.insert(0, "node", node)
            log["original_cr"] = rep.original_cr
            repair_logs.append(log)
        gres = ahp_weights(group, items, method=method, ri_table=ri_table, threshold=threshold)
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
    }
    cons = pd.DataFrame(crit_rows)
    reps = pd.concat(repair_logs, ignore_index=True) if repair_logs else pd.DataFrame()
    return WeightSet(areas, flat, area_of, compose_hierarchy(areas, local), cons, reps, info)


def _crow(node: str, expert: str, res: AHPResult) -> dict:
    return {"node": node, "expert": expert, "n": res.n, "lambda_max": res.lambda_max, "ci": res.ci,
            "ri": res.ri, "cr": res.cr, "consistent": res.consistent}  # fmt: skip


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
        df = pd.read_csv(path, comment="#", skipinitialspace=True)
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
