"""``score_result``: KPIs -> indicators -> Delphi-screened set, AHP weights -> grades.

For each case (baseline, optimized) and each level -- the park, the inter-enterprise
network, every enterprise -- the indicators that apply are evaluated from the KPIs;
unavailable ones are excluded and the weights re-normalised (within areas, then over
areas). The available ones get fuzzy memberships and a two-level fuzzy comprehensive
evaluation (indicators -> areas -> overall), and the composite index of the 2013 通则.
Every method choice is recorded in :attr:`Scores.method`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from symbio.paths import data_dir
from symbio.scoring.decoupling import load_timeseries, timeseries_kpis
from symbio.scoring.delphi import DelphiResult, delphi_analysis
from symbio.scoring.delphi_io import load_delphi
from symbio.scoring.entity import score_entity
from symbio.scoring.explain import grading_rule
from symbio.scoring.fuzzy import DEFAULT_GRADE_SCORES, resolve_operator
from symbio.scoring.indicator_files import load_library
from symbio.scoring.indicators import GRADES, LEVELS, IndicatorLibrary
from symbio.scoring.memo import memoised
from symbio.scoring.resultdir import ResultKPIs, kpis_from_mapping, load_result_kpis
from symbio.scoring.weightset import WeightSet, check_against_library, load_weights

__all__ = ["Scores", "default_paths", "score_result"]


def default_paths() -> dict[str, Path]:
    """The bundled indicator library, AHP panel and Delphi sheet (under ``data/``)."""
    root = data_dir()
    return {
        "indicators": root / "indicators",
        "weights": root / "experts" / "ahp_panel.yaml",
        "delphi": root / "experts" / "delphi_scores.csv",
    }


@dataclass(frozen=True)
class Scores:
    """All scoring results as tables, plus the record of every method choice.

    Attributes
    ----------
    indicators : pandas.DataFrame
        One row per (level, entity, case, indicator): value, availability and reason,
        level met, memberships ``mu_I..mu_below``, local/area/effective weights.
    areas : pandas.DataFrame
        One row per (level, entity, case, area): composed memberships ``b_*``, score,
        grades.
    overall : pandas.DataFrame
        One row per (level, entity, case): memberships, score, grades, ``Y_I, Y_II,
        Y_III`` and the composite rating.
    weights, consistency, repairs : pandas.DataFrame
        The weight hierarchy, CR of every matrix (per expert and group), repair log.
    delphi, delphi_concordance, decoupling : pandas.DataFrame
        Delphi statistics, Kendall's W per round, Tapio table (empty when not used).
    method : dict
        Method choices, sources and exclusions.
    """

    indicators: pd.DataFrame
    areas: pd.DataFrame
    overall: pd.DataFrame
    weights: pd.DataFrame
    consistency: pd.DataFrame
    repairs: pd.DataFrame = field(default_factory=pd.DataFrame)
    delphi: pd.DataFrame = field(default_factory=pd.DataFrame)
    delphi_concordance: pd.DataFrame = field(default_factory=pd.DataFrame)
    decoupling: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: dict = field(default_factory=dict)

    def grade(
        self, level: str = "park", case: str = "optimized", entity: str | None = None
    ) -> dict:
        """Return score, grades and composite rating of one level/case as a dict."""
        df = self.overall[(self.overall["level"] == level) & (self.overall["case"] == case)]
        if entity is not None:
            df = df[df["entity"] == entity]
        if df.empty:
            raise KeyError(
                f"no overall score for level={level!r}, case={case!r}, entity={entity!r}"
            )
        return df.iloc[0].to_dict()


def score_result(
    result: str | Path | Mapping[str, object] | ResultKPIs,
    *,
    indicators: str | Path | Sequence[str | Path] | IndicatorLibrary | None = None,
    weights: str | Path | WeightSet | None = None,
    delphi: str | Path | bool | None = None,
    timeseries: str | Path | None = None,
    levels: Sequence[str] = LEVELS,
    weight_method: str = "eigenvector",
    aggregation: str = "aij",
    ri_table: str = "saaty1980",
    cr_threshold: float | str = 0.10,
    ri_beyond: str = "error",
    incomplete: str = "harker",
    repair: str | None = None,
    operator: str = "M(·,⊕)",
    grade_scores: Sequence[float] = DEFAULT_GRADE_SCORES,
    membership_shape: str = "linear",
    composite_rule: str = "literal",
    delphi_rule: str = "threshold",
    delphi_min_mean: float = 3.5,
    delphi_max_cv: float = 0.25,
) -> Scores:
    """Score an optimization result (or a KPI mapping) with the indicator system.

    Parameters
    ----------
    result : path, mapping or ResultKPIs
        A result directory of ``symbio run``, or KPIs ``{name: value}`` (scored as case
        ``optimized``) or ``{case: {name: value}}``.
    indicators : path(s) or IndicatorLibrary, optional
        Indicator library (default: bundled ``data/indicators``).
    weights : path or WeightSet, optional
        AHP panel judgments or direct weights (default: the bundled ILLUSTRATIVE panel
        ``data/experts/ahp_panel.yaml``, AIJ then eigenvector).
    delphi : path or bool, optional
        Delphi score sheet whose final-round retained set filters the library (default:
        the bundled ILLUSTRATIVE sheet; ``False`` disables screening).
    timeseries : path, optional
        CSV ``year, value_added, energy_tce, co2_t`` for the decoupling KPIs.
    levels : sequence of str
        Which of park, network, enterprise to score.
    weight_method, aggregation, ri_table, incomplete, repair
        AHP choices (see :func:`symbio.scoring.weightset.panel_weights`).
    cr_threshold : float or "saaty_by_size"
        CR acceptance threshold (0.05 / 0.08 / 0.10 for n = 3 / 4 / >= 5 by size).
    ri_beyond : {"error", "skip"}
        A matrix larger than the RI table: stop with an error, or skip CR (GCI decides).
    operator : str
        Fuzzy composition operator (default ``M(·,⊕)``).
    grade_scores : 4 floats
        Scores of grades I, II, III, below (default 95/85/70/50).
    membership_shape : {"linear", "step"}
    composite_rule : {"literal", "strict"}
        Reading of the 通则 rating rule (see :mod:`symbio.scoring.composite`).
    delphi_rule, delphi_min_mean, delphi_max_cv
        Delphi screening rule and cut-offs.

    Returns
    -------
    Scores

    Raises
    ------
    symbio.errors.InputError
        For a missing or malformed input file (file and field named).
    """
    # Long: the docstring documents every option (44 lines); the code is 58.
    paths = default_paths()
    data = _as_kpis(result)
    lib = (
        indicators
        if isinstance(indicators, IndicatorLibrary)
        else memoised(load_library, indicators or paths["indicators"])
    )
    operator = resolve_operator(operator)
    if isinstance(weights, WeightSet):
        wset = weights
    else:
        wset = memoised(
            load_weights,
            weights or paths["weights"],
            method=weight_method,
            aggregation=aggregation,
            ri_table=ri_table,
            incomplete=incomplete,
            repair=repair,
            threshold=cr_threshold,
            beyond=ri_beyond,
        )
    check_against_library(wset, lib)
    method = _method_record(lib, wset, operator, grade_scores, membership_shape, composite_rule)
    delphi_res = _screen(
        lib, delphi, paths["delphi"], delphi_rule, delphi_min_mean, delphi_max_cv, method
    )
    if delphi_res is not None:
        lib = lib.subset(
            [
                i
                for i in lib.ids
                if i in set(delphi_res.retained) or i not in set(delphi_res.stats["indicator"])
            ]
        )
    no_weight = [i for i in lib.ids if i not in wset.local_weights]
    if no_weight:
        method["excluded"]["no_weight"] = no_weight
        lib = lib.subset([i for i in lib.ids if i in wset.local_weights])
    tapio = _add_decoupling(data, timeseries, method)
    ind_rows, area_rows, overall_rows = _score_levels(
        data, lib, levels, wset, method, (operator, grade_scores, membership_shape, composite_rule)
    )
    method["scenario"] = data.scenario
    method["source"] = data.source
    return Scores(
        indicators=pd.DataFrame(ind_rows),
        areas=pd.DataFrame(area_rows),
        overall=pd.DataFrame(overall_rows),
        weights=wset.table,
        consistency=wset.consistency,
        repairs=wset.repairs,
        delphi=delphi_res.stats.copy() if delphi_res is not None else pd.DataFrame(),
        delphi_concordance=(
            delphi_res.concordance.copy() if delphi_res is not None else pd.DataFrame()
        ),
        decoupling=tapio,
        method=method,
    )


def _method_record(
    lib: IndicatorLibrary,
    wset: WeightSet,
    operator: str,
    grade_scores: Sequence[float],
    membership_shape: str,
    composite_rule: str,
) -> dict:
    """The ``method`` record of the scores: library, weights, fuzzy and composite choices."""
    return {
        "indicator_library": list(lib.files),
        "weights": wset.method,
        "fuzzy": {
            "operator": operator,
            "membership": f"{membership_shape} between benchmarks I/II/III and the floor",
            "grade_scores": dict(zip(GRADES, map(float, grade_scores), strict=True)),
            "grade_by_score": "cut-offs at midpoints between adjacent grade scores",
            "grading_rule": grading_rule(grade_scores, GRADES),
            "evaluation": "two-level: indicators -> areas -> overall",
        },
        "composite": {
            "rule": composite_rule,
            "pass_score": 85.0,
            "standard": "清洁生产评价指标体系编制通则 (2013)",
        },
        "availability": "unavailable indicators excluded; local weights re-normalised within areas, area weights over areas",
        "excluded": {},
    }


def _add_decoupling(data: ResultKPIs, timeseries: str | Path | None, method: dict) -> pd.DataFrame:
    """Add the decoupling KPIs of ``timeseries`` to every case missing them; the Tapio table."""
    if timeseries is None:
        return pd.DataFrame()
    basis, ts_kpis, tapio = memoised(_decoupling_inputs, timeseries)
    for case in data.park.values():
        case.update({k: v for k, v in ts_kpis.items() if k not in case})
    method["decoupling"] = {
        "timeseries": str(timeseries),
        "basis": basis,
        "kpis": dict(ts_kpis),
        "boundaries": [0.8, 1.2],
        "closed": "coupling",
        "window": "first to last year",
    }
    return tapio.copy()


def _decoupling_inputs(path: str | Path) -> tuple[str, dict[str, float], pd.DataFrame]:
    """Basis, KPIs and Tapio table of a time series file (read once per process, see
    :mod:`.memo`; callers copy what they hand out)."""
    ts_data = load_timeseries(path)
    ts_kpis, tapio = timeseries_kpis(ts_data)
    return ts_data.attrs.get("basis", "value added"), ts_kpis, tapio


def _score_levels(
    data: ResultKPIs,
    lib: IndicatorLibrary,
    levels: Sequence[str],
    wset: WeightSet,
    method: dict,
    fuzzy: tuple,
) -> tuple[list, list, list]:
    """Score every entity of each level: indicator, area and overall rows."""
    ind_rows, area_rows, overall_rows = [], [], []
    for level in levels:
        sub = lib.for_level(level)
        if not len(sub):
            continue
        for case, entity, kpis in _entities(data, level):
            i_rows, a_rows, o_row = _score_entity_once(sub, kpis, wset, fuzzy)
            if level == "enterprise" and o_row["n_available"] == 0:
                # a site node without any enterprise indicator (header, hub, grid)
                method["excluded"].setdefault("sites_without_indicators", []).append(
                    f"{entity} ({case})"
                )
                continue
            key = {"level": level, "entity": entity, "case": case}
            ind_rows.extend({**key, **r} for r in i_rows)
            area_rows.extend({**key, **r} for r in a_rows)
            overall_rows.append({**key, **o_row})
    return ind_rows, area_rows, overall_rows


#: Scored entities of this process by their inputs (see :func:`_score_entity_once`).
_ENTITIES: dict[tuple, tuple] = {}
#: Entities kept before the memo starts again.
MAX_ENTITIES = 4096


def _score_entity_once(lib: IndicatorLibrary, kpis: Mapping, wset: WeightSet, fuzzy: tuple):  # noqa: ANN202
    """:func:`score_entity`, computed once per process for the same inputs.

    The scenarios of a comparison share many entities (an enterprise that runs alike in
    several scenarios, the baselines): about half of the pilot's 578 entity scorings repeat
    one already made. The key is the indicators and the weight set themselves (by identity:
    the memo holds them, so an identity is never reused for another object), the fuzzy
    choices and each KPI's name and ``repr`` (``-0.0`` and ``0.0``, ``1`` and ``1.0`` stay
    apart). The rows returned are shared: the caller copies them into its tables.
    """
    try:
        key = (
            tuple(map(id, lib.indicators)),
            id(wset),
            fuzzy[0],
            tuple(fuzzy[1]),
            *fuzzy[2:],
            tuple((k, repr(v)) for k, v in kpis.items()),
        )
        hash(key)
    except TypeError:  # an unhashable fuzzy choice: no memo
        return score_entity(lib, kpis, wset, *fuzzy)
    hit = _ENTITIES.get(key)
    if hit is None:
        if len(_ENTITIES) >= MAX_ENTITIES:
            _ENTITIES.clear()
        hit = (lib.indicators, wset, score_entity(lib, kpis, wset, *fuzzy))
        _ENTITIES[key] = hit
    return hit[2]


def _as_kpis(result: object) -> ResultKPIs:
    if isinstance(result, ResultKPIs):
        return ResultKPIs(
            {c: dict(d) for c, d in result.park.items()},
            result.sites,
            result.scenario,
            result.status,
            result.source,
        )
    if isinstance(result, Mapping):
        return kpis_from_mapping(result)
    return load_result_kpis(result)  # type: ignore[arg-type]


def _delphi_result(path: Path, **options: object) -> DelphiResult:
    """The Delphi analysis of a score sheet (read once per process, see :mod:`.memo`)."""
    scores, experts = load_delphi(path)
    return delphi_analysis(scores, experts, **options)


def _screen(lib, delphi, default, rule, min_mean, max_cv, method) -> DelphiResult | None:  # noqa: ANN001
    if delphi is False:
        method["delphi"] = {"used": False}
        return None
    path = default if delphi in (None, True) else Path(delphi)
    if delphi is None and not Path(path).is_file():
        method["delphi"] = {"used": False, "note": f"no Delphi sheet at {path}"}
        return None
    res = memoised(_delphi_result, path, rule=rule, min_mean=min_mean, max_cv=max_cv)
    rated = set(res.stats["indicator"])
    dropped = [i for i in lib.ids if i in rated and i not in res.retained]
    head = Path(path).read_text(encoding="utf-8", errors="replace")[:2000]
    method["delphi"] = {
        "used": True,
        "source": str(path),
        "illustrative": "ILLUSTRATIVE" in head.upper(),
        **res.method,
        "kendall_w_final_round": float(res.concordance["w"].iloc[-1]),
        "p_value_final_round": float(res.concordance["p_value"].iloc[-1]),
        "not_rated_kept": [i for i in lib.ids if i not in rated],
    }
    if dropped:
        method["excluded"]["delphi_screening"] = dropped
    return res


def _entities(data: ResultKPIs, level: str):  # noqa: ANN202
    if level in ("park", "network"):
        for case, kpis in data.park.items():
            yield case, level, kpis
    else:
        for case, sites in data.sites.items():
            for site, kpis in sites.items():
                yield case, site, kpis
