"""Cleaner-production scoring: indicators, Delphi, AHP, fuzzy evaluation, composite index.

Each method is usable on its own::

    from symbio.scoring import ahp_weights, fuzzy_evaluate, kendall_w
    ahp_weights([[1, 3], [1/3, 1]]).weights

and :func:`score_result` chains them over an optimization result::

    scores = score_result("out/run1")           # bundled library, ILLUSTRATIVE judgments
    scores.grade("park", "optimized")
"""

from symbio.scoring.ahp import (
    RI_TABLES,
    AHPResult,
    JudgmentError,
    ahp_weights,
    check_pairwise,
    compose_hierarchy,
    consistency,
    priority_vector,
    random_index,
)
from symbio.scoring.ahp_group import (
    RepairResult,
    aggregate_aij,
    aggregate_aip,
    complete_lambda_min,
    harker_weights,
    repair_consistency,
)
from symbio.scoring.composite import CompositeResult, composite_index, effective_weights
from symbio.scoring.decoupling import (
    TAPIO_STATES,
    decoupling_series,
    load_timeseries,
    tapio_state,
    timeseries_kpis,
)
from symbio.scoring.delphi import (
    DelphiResult,
    KendallW,
    authority_coefficients,
    delphi_analysis,
    delphi_round_stats,
    kendall_w,
    load_delphi,
    screen_indicators,
)
from symbio.scoring.expr import (
    Expression,
    ExpressionError,
    NotAvailable,
    evaluate,
    parse_expression,
)
from symbio.scoring.fuzzy import (
    DEFAULT_GRADE_SCORES,
    OPERATORS,
    FCEResult,
    compose,
    fuzzy_evaluate,
    grade_from_score,
    membership,
)
from symbio.scoring.fuzzy_ahp import FuzzyAHPResult, fuzzy_ahp_buckley, tfn_from_crisp
from symbio.scoring.indicators import (
    AREAS,
    GRADES,
    LEVELS,
    Indicator,
    IndicatorLibrary,
    LibraryError,
    evaluate_indicators,
    load_library,
)
from symbio.scoring.judgments import Panel, load_pairwise_csv, load_panel
from symbio.scoring.output import scores_to_json, write_scores
from symbio.scoring.pipeline import Scores, default_paths, score_result
from symbio.scoring.weightset import WeightSet, load_weights, panel_weights

__all__ = [
    "AREAS",
    "DEFAULT_GRADE_SCORES",
    "GRADES",
    "LEVELS",
    "OPERATORS",
    "RI_TABLES",
    "TAPIO_STATES",
    "AHPResult",
    "CompositeResult",
    "DelphiResult",
    "Expression",
    "ExpressionError",
    "FCEResult",
    "FuzzyAHPResult",
    "Indicator",
    "IndicatorLibrary",
    "JudgmentError",
    "KendallW",
    "LibraryError",
    "NotAvailable",
    "Panel",
    "RepairResult",
    "Scores",
    "WeightSet",
    "aggregate_aij",
    "aggregate_aip",
    "ahp_weights",
    "authority_coefficients",
    "check_pairwise",
    "complete_lambda_min",
    "compose",
    "compose_hierarchy",
    "composite_index",
    "consistency",
    "decoupling_series",
    "default_paths",
    "delphi_analysis",
    "delphi_round_stats",
    "effective_weights",
    "evaluate",
    "evaluate_indicators",
    "fuzzy_ahp_buckley",
    "fuzzy_evaluate",
    "grade_from_score",
    "harker_weights",
    "kendall_w",
    "load_delphi",
    "load_library",
    "load_pairwise_csv",
    "load_panel",
    "load_timeseries",
    "load_weights",
    "membership",
    "panel_weights",
    "parse_expression",
    "priority_vector",
    "random_index",
    "repair_consistency",
    "score_result",
    "scores_to_json",
    "screen_indicators",
    "tapio_state",
    "tfn_from_crisp",
    "timeseries_kpis",
    "write_scores",
]
