"""Cleaner-production scoring: indicators, Delphi, AHP, fuzzy evaluation, composite index.

Each method is usable on its own::

    from symbio.scoring import ahp_weights, fuzzy_evaluate, kendall_w
    ahp_weights([[1, 3], [1/3, 1]]).weights

and :func:`score_result` chains them over an optimization result::

    scores = score_result("out/run1")           # bundled library, ILLUSTRATIVE judgments
    scores.grade("park", "optimized")

Bad input raises :class:`ScoringError` (an ``InputError``, so the CLI exits 2 without a
traceback) naming the input, the place (row, cell, field) and the value found.
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
    aggregate_aij,
    aggregate_aip,
    complete_lambda_min,
    harker_weights,
)
from symbio.scoring.ahp_repair import RepairResult, repair_consistency
from symbio.scoring.composite import CompositeResult, composite_index, effective_weights
from symbio.scoring.consistency import RI_SOURCES, cr_threshold, gci, gci_threshold
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
from symbio.scoring.errors import ScoringError
from symbio.scoring.explain import area_fixed_reason, grading_rule
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
from symbio.scoring.fuzzy_ahp import (
    ChangResult,
    FuzzyAHPResult,
    fuzzy_ahp_buckley,
    fuzzy_ahp_chang,
    tfn_from_crisp,
)
from symbio.scoring.indicator_files import LibraryError, load_library
from symbio.scoring.indicators import (
    AREAS,
    GRADES,
    LEVELS,
    Indicator,
    IndicatorLibrary,
    evaluate_indicators,
)
from symbio.scoring.judgments import Panel, load_pairwise_csv, load_panel
from symbio.scoring.objective_weights import combine_weights, critic_weights, entropy_weights
from symbio.scoring.output import scores_to_json, write_scores
from symbio.scoring.pipeline import Scores, default_paths, score_result
from symbio.scoring.weightset import WeightSet, load_weights, panel_weights

__all__ = [
    "AREAS",
    "DEFAULT_GRADE_SCORES",
    "GRADES",
    "LEVELS",
    "OPERATORS",
    "RI_SOURCES",
    "RI_TABLES",
    "TAPIO_STATES",
    "AHPResult",
    "ChangResult",
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
    "ScoringError",
    "WeightSet",
    "aggregate_aij",
    "aggregate_aip",
    "ahp_weights",
    "area_fixed_reason",
    "authority_coefficients",
    "check_pairwise",
    "combine_weights",
    "complete_lambda_min",
    "compose",
    "compose_hierarchy",
    "composite_index",
    "consistency",
    "cr_threshold",
    "critic_weights",
    "decoupling_series",
    "default_paths",
    "delphi_analysis",
    "delphi_round_stats",
    "effective_weights",
    "entropy_weights",
    "evaluate",
    "evaluate_indicators",
    "fuzzy_ahp_buckley",
    "fuzzy_ahp_chang",
    "fuzzy_evaluate",
    "gci",
    "gci_threshold",
    "grade_from_score",
    "grading_rule",
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
