"""What the briefing shows of ``symbio score`` output, read defensively.

Two shapes are understood: the tables ``symbio score`` writes (``overall_scores.csv``,
``area_scores.csv``, ``indicator_scores.csv``, ``scores.json`` with ``grades``,
``weights``, ``consistency``, ``method``), and a flat ``scores.json`` with ``grade``,
``overall_score``, ``area_scores``, ``weights`` and ``cr``. Whatever is missing stays empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from symbio.report.bundle import ResultBundle

#: The plan's six areas: id -> (en, zh) (ids as in symbio.scoring.indicators.AREAS).
AREA_NAMES: dict[str, tuple[str, str]] = {
    "resource_energy_efficiency": ("Resource and energy efficiency", "资源与能源利用效率"),
    "pollutant_emissions": ("Pollutant emissions", "污染物排放"),
    "decoupling": ("Decoupling of growth from fossil energy", "经济增长与化石能源脱钩"),
    "carbon_emissions": ("Carbon emission level", "碳排放水平"),
    "industrial_chain": (
        "Cleaner-production industrial chain (symbiosis)",
        "清洁生产产业链(产业共生)",
    ),
    "cp_management": ("Cleaner-production management", "清洁生产管理水平"),
}
GRADE_ORDER = ("I", "II", "III", "below")
GRADE_NAMES: dict[str, tuple[str, str]] = {
    "I": ("I – internationally leading", "Ⅰ级 国际清洁生产领先水平"),
    "II": ("II – domestically advanced", "Ⅱ级 国内清洁生产先进水平"),
    "III": ("III – domestic general level", "Ⅲ级 国内清洁生产一般水平"),
    "below": ("below III", "未达到Ⅲ级"),
}


@dataclass
class ScoreView:
    """The park's scores of one result, for the briefing and the score figures."""

    grade: str | None = None
    grade_max: str | None = None
    score: float | None = None
    rating: str | None = None
    baseline_grade: str | None = None
    baseline_score: float | None = None
    areas: dict[str, float] = field(default_factory=dict)
    baseline_areas: dict[str, float] = field(default_factory=dict)
    area_weights: dict[str, float] = field(default_factory=dict)
    membership: dict[str, float] = field(default_factory=dict)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    consistency: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rule: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when nothing was scored."""
        return self.grade is None and self.score is None and not self.areas


def _num(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _score_of(v: object) -> float | None:
    if isinstance(v, dict):
        return _num(v.get("score", v.get("value")))
    return _num(v)


def _park(df: pd.DataFrame, case: str) -> pd.DataFrame:
    if df.empty:
        return df
    out = df
    if "level" in out.columns:
        out = out[out["level"].astype(str) == "park"]
    if "case" in out.columns:
        out = out[out["case"].astype(str) == case]
    return out


def _grade(row: dict) -> str | None:
    for key in ("grade", "grade_by_score", "grade_max_membership"):
        v = row.get(key)
        if isinstance(v, str) and v:
            return v
    return None


def score_view(bundle: ResultBundle) -> ScoreView:
    """The park-level scores of ``bundle`` (empty view when it has none), collected once per
    bundle (the view is shared: do not change it)."""
    return bundle.derive("score_view", lambda: _collect(bundle))


def _collect(bundle: ResultBundle) -> ScoreView:
    view = ScoreView()
    doc = bundle.scores or {}
    tables = bundle.score_tables
    for case, is_base in (("optimized", False), ("baseline", True)):
        rows = _park(tables.get("overall_scores", pd.DataFrame()), case).to_dict("records")
        if not rows:
            level = (
                (doc.get("grades") or {}).get("park")
                if isinstance(doc.get("grades"), dict)
                else None
            )
            entities = (level or {}).get(case) if isinstance(level, dict) else None
            rows = [v for v in (entities or {}).values() if isinstance(v, dict)][:1]
        if not rows:
            continue
        row = rows[0]
        if is_base:
            view.baseline_grade, view.baseline_score = _grade(row), _num(row.get("score"))
        else:
            view.grade, view.score = _grade(row), _num(row.get("score"))
            view.grade_max = row.get("grade_max_membership") or None
            view.rating = row.get("composite_rating") or None
            view.membership = {
                g: m for g in GRADE_ORDER if (m := _num(row.get(f"b_{g}"))) is not None
            }
    for case, target in (("optimized", view.areas), ("baseline", view.baseline_areas)):
        for r in _park(tables.get("area_scores", pd.DataFrame()), case).to_dict("records"):
            if (s := _num(r.get("score"))) is not None:
                target[str(r.get("area"))] = s
            if case == "optimized" and (w := _num(r.get("weight"))) is not None:
                view.area_weights[str(r.get("area"))] = w
    _flat(view, doc)
    ind = _park(tables.get("indicator_scores", pd.DataFrame()), "optimized")
    view.indicators = ind.reset_index(drop=True)
    cons = doc.get("consistency")
    if isinstance(cons, list):
        rows = [c for c in cons if isinstance(c, dict)]
        group = [
            c for c in rows if str(c.get("expert", "")).lower() in {"group", "aggregate", "panel"}
        ]
        view.consistency = group or rows
    elif (cr := _num(doc.get("cr"))) is not None:
        view.consistency = [{"node": "goal", "cr": cr}]
    fuzzy = (doc.get("method") or {}).get("fuzzy") if isinstance(doc.get("method"), dict) else None
    if isinstance(fuzzy, dict) and isinstance(fuzzy.get("grading_rule"), dict):
        view.rule = {str(k): str(v) for k, v in fuzzy["grading_rule"].items()}
    note = (doc.get("weights") or {}).get("note") if isinstance(doc.get("weights"), dict) else None
    if isinstance(note, str):
        view.notes.append(note)
    return view


def _flat(view: ScoreView, doc: dict) -> None:
    """Fill what the tables did not give from a flat ``scores.json``."""
    if view.grade is None and isinstance(doc.get("grade"), str):
        view.grade = doc["grade"]
    if view.score is None:
        view.score = _num(doc.get("overall_score", doc.get("score")))
    if not view.membership and isinstance(doc.get("membership"), dict):
        view.membership = {
            str(k): m for k, v in doc["membership"].items() if (m := _num(v)) is not None
        }
    if not view.areas and isinstance(doc.get("area_scores"), dict):
        view.areas = {
            str(k): s for k, v in doc["area_scores"].items() if (s := _score_of(v)) is not None
        }
    weights = doc.get("weights")
    if not view.area_weights and isinstance(weights, dict):
        flat = weights.get("areas", weights.get("goal", weights))
        if isinstance(flat, dict):
            view.area_weights = {str(k): w for k, v in flat.items() if (w := _num(v)) is not None}


GRADE_SHORT: dict[str, tuple[str, str]] = {
    "I": ("Grade I", "Ⅰ级"),
    "II": ("Grade II", "Ⅱ级"),
    "III": ("Grade III", "Ⅲ级"),
    "below": ("Below III", "未达Ⅲ级"),
}


def grade_label(grade: str | None, lang: str, short: bool = False) -> str:
    """Display name of a grade (``I``, ``II``, ``III``, ``below``; other text as given)."""
    if not grade:
        return ""
    key = grade.split("_")[0] if grade.split("_")[0] in GRADE_NAMES else grade
    pair = (GRADE_SHORT if short else GRADE_NAMES).get(key)
    if pair is None:
        return grade
    return pair[1] if lang == "zh" else pair[0]


def area_label(area: str, lang: str) -> str:
    """Display name of an indicator area."""
    pair = AREA_NAMES.get(area)
    if pair is None:
        return area
    return pair[1] if lang == "zh" else pair[0]
