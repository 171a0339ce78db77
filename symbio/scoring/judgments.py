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

Turning a panel into weights: :mod:`symbio.scoring.weightset`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import yaml

from symbio.errors import InputError
from symbio.scoring.ahp import check_pairwise
from symbio.scoring.csvfile import read_input_csv
from symbio.scoring.yamlfile import safe_load

__all__ = ["Panel", "load_pairwise_csv", "load_panel", "parse_judgment"]

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
        doc = safe_load(path.read_text(encoding="utf-8"))
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
        return np.array(
            [
                [parse_judgment(v, file, f"{where}.matrix[{i}][{j}]") for j, v in enumerate(r)]
                for i, r in enumerate(rows)
            ]
        )
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
    df = read_input_csv(
        path, comment="#", index_col=0, dtype=str, keep_default_na=False, skipinitialspace=True
    )
    rows, cols = [str(x).strip() for x in df.index], [str(x).strip() for x in df.columns]
    if rows != cols:
        raise InputError(str(path), "header", f"row ids {rows} and column ids {cols} differ")
    m = np.array(
        [
            [
                parse_judgment(df.iat[i, j], str(path), f"[{rows[i]},{cols[j]}]")
                for j in range(len(cols))
            ]
            for i in range(len(rows))
        ]
    )
    return rows, check_pairwise(m, rows, source=str(path), name=path.stem, allow_missing=True)
