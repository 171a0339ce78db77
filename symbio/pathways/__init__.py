"""Pathways: objective modes, Pareto fronts, parameter sweeps, measures (MACC, co-control), compare.

Python API::

    from symbio.pathways import open_session, pareto_front, write_pareto
    session = open_session(symbio.load_scenario("park.yaml"), criteria=["cost", "co2"])
    front = pareto_front(session, "cost", "co2", points=11)   # AUGMECON2, persistent HiGHS
    write_pareto(front, "out/pareto")

    table = run_grid("park.yaml", ["policy.carbon_price_cny_t=0,100,200"])  # symbio run --set
    write_grid(table, "out/sweep")

    analysis = analyse_measures(symbio.load_scenario("park.yaml"))          # MACC, co-control
    write_measures(analysis, "out/measures")

    table, entries = compare(["a.yaml", "out/b"], "out/compare")            # symbio compare

Figures take tables and return matplotlib Figures (:mod:`symbio.pathways.figures`).
"""

from symbio.pathways.augmecon import epsilon_grid, nondominated, walk_grid
from symbio.pathways.cocontrol import QUADRANTS, classify, cocontrol_table, measure_classes
from symbio.pathways.compare import CompareEntry, compare, compare_table, write_compare
from symbio.pathways.equivalents import PollutionEquivalents, load_equivalents
from symbio.pathways.figures import (
    cocontrol_figure,
    grid_figure,
    macc_figure,
    pareto_figure,
    save_figure,
)
from symbio.pathways.grid import entry_values, run_grid, write_grid
from symbio.pathways.macc import macc_table
from symbio.pathways.measures import MeasureAnalysis, analyse_measures, measure_members
from symbio.pathways.modes import (
    ParetoFront,
    PayoffTable,
    lexicographic,
    pareto_front,
    payoff_table,
    weighted,
)
from symbio.pathways.output import write_measures, write_pareto
from symbio.solvers.payoff import weighted_scales
from symbio.solvers.session import (
    ModelSession,
    Step,
    open_session,
    persistent_solve,
)

__all__ = [
    "QUADRANTS",
    "CompareEntry",
    "MeasureAnalysis",
    "ModelSession",
    "ParetoFront",
    "PayoffTable",
    "PollutionEquivalents",
    "Step",
    "analyse_measures",
    "classify",
    "cocontrol_figure",
    "cocontrol_table",
    "compare",
    "compare_table",
    "entry_values",
    "epsilon_grid",
    "lexicographic",
    "load_equivalents",
    "macc_figure",
    "macc_table",
    "measure_classes",
    "measure_members",
    "nondominated",
    "open_session",
    "pareto_figure",
    "pareto_front",
    "payoff_table",
    "persistent_solve",
    "run_grid",
    "save_figure",
    "grid_figure",
    "walk_grid",
    "weighted",
    "weighted_scales",
    "write_compare",
    "write_measures",
    "write_pareto",
    "write_grid",
]
