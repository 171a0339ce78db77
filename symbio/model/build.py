"""Build the park model: an ordered list of ``add_<family>`` calls and nothing else.

See ``docs/formulation.md`` for the full formulation; each family's module opens with its
equations.
"""

from __future__ import annotations

import time

import pyomo.environ as pyo

from symbio.flows.graph import ParkGraph, build_graph
from symbio.flows.schema import Scenario
from symbio.model.balance import add_balance
from symbio.model.disposal import add_disposal
from symbio.model.expr import paused_gc
from symbio.model.groups import add_build_groups
from symbio.model.index import ModelIndex, build_index
from symbio.model.links import add_links
from symbio.model.markets import add_markets
from symbio.model.objectives import (
    add_costs,
    add_criteria,
    add_emissions,
    add_energy,
    add_objective,
)
from symbio.model.operations import add_operations
from symbio.model.options import ModelOptions
from symbio.model.policy import add_policy
from symbio.model.processes import add_processes
from symbio.model.quality import add_quality
from symbio.model.record import record_columns, record_expressions
from symbio.model.record_join import join_at_build
from symbio.model.substitutes import add_substitutes

#: The families in build order (later ones use earlier ones' components).
FAMILIES = (
    add_links,
    add_processes,
    add_markets,
    add_disposal,
    add_substitutes,
    add_balance,
    add_quality,
    add_operations,
    add_build_groups,
    add_emissions,
    add_energy,
    add_costs,
    add_criteria,
    add_policy,
    add_objective,
)


def build_model(
    source: Scenario | ParkGraph | ModelIndex, options: ModelOptions | None = None
) -> pyo.ConcreteModel:
    """Build the Pyomo model of a park.

    Parameters
    ----------
    source
        A validated scenario, its park graph, or a precomputed model index (reuse the
        index to build the baseline and optimized models from one set of bounds).
    options
        Objective, baseline (``candidates=False``), caps, elastic diagnosis.

    Returns
    -------
    pyomo.environ.ConcreteModel
        With ``m.symbio_index`` (the :class:`ModelIndex`), ``m.symbio_options`` and
        ``m.symbio_build_seconds``; criteria in ``m.objective_expr``, the active
        ``m.objective``, caps in the mutable ``m.policy_cap`` and epsilon limits in
        ``m.objective_eps``.

    Examples
    --------
    >>> import symbio
    >>> s = symbio.load_scenario("scenarios/examples/hydrogen-pair.yaml")  # doctest: +SKIP
    >>> m = symbio.build_model(s)  # doctest: +SKIP
    >>> sorted(m.link_build)  # doctest: +SKIP
    ['h2_pipe.cracker.refinery']
    """
    start = time.perf_counter()
    options = options or ModelOptions()
    with paused_gc():
        if isinstance(source, ModelIndex):
            ix = source
        else:
            ix = build_index(source if isinstance(source, ParkGraph) else build_graph(source))
        m = pyo.ConcreteModel(name=ix.scenario.name.en)
        for add in FAMILIES:
            add(m, ix, options)
        record_columns(m)
        record_expressions(m)
        join_at_build(m)
    m.symbio_index = ix
    m.symbio_options = options
    m.symbio_build_seconds = time.perf_counter() - start
    return m


def build(scenario: Scenario, options: ModelOptions | None = None) -> pyo.ConcreteModel:
    """Alias of :func:`build_model` for a scenario."""
    return build_model(scenario, options)
