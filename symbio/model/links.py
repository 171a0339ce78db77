"""Links: flow per slice, build decisions, capacity, loss.

    0 <= link_flow[l,t] <= B[l,t]                       existing links (built, bound as variable bound)
    link_flow[l,t] <= B[l,t] * link_build[l]            candidate links        (link_capacity)
    delivered[l,t] = (1 - loss_l) * link_flow[l,t]      enters the balance at the receiving site
    link_build[l] in {0, 1}
    min_cap_l * link_build[l] <= link_size[l] <= max_cap_l * link_build[l]    sized candidates
    link_flow[l,t] <= link_size[l] * h_t / 8760                               (link_size_limit)
    in[l,r] * link_flow[l,t]                            drawn from r's balance at the sending site

``link_flow`` is what leaves the sending site; ``B[l,t]`` is the tightest bound of
:mod:`symbio.model.bounds`; ``loss_l`` is ``loss`` or ``loss_per_km * length_km`` (at most
0.999). Annualised cost terms (see :mod:`symbio.model.objectives`):

    capex_l = (capex_cny + capex_cny_per_km * length_km) * CRF(discount_rate, lifetime_y)
    cost    = sum_l (capex_l + fixed_om_l) * link_build[l] + sum_{l,t} variable_cost_l * link_flow[l,t]
              + sum_{sized l} capex_cny_per_unit_l * CRF_l * link_size[l]

Existing links carry no capex (sunk) and a constant fixed O&M.

=============================  ===========================================
``link_flow[l, t]``            amount sent on link l in slice t (resource unit)
``link_build[l]``              1 if candidate link l is built
``link_capacity[l, t]``        flow only on built candidate links, up to B
``link_size[l]``               chosen capacity of a sized candidate (resource per year)
``link_size_max[l]``           size <= max_capacity * build
``link_size_min[l]``           size >= min_capacity * build (min_capacity > 0)
``link_size_limit[l, t]``      flow <= size * h_t / 8760
=============================  ===========================================
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions, fix_builds
from symbio.model.record import record_pairs
from symbio.model.sizing import add_size_variables


def add_links(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add link flow and build variables and the capacity constraints."""
    link_slices = [(lid, t) for lid in ix.links for t in ix.slices]
    m.link_flow = pyo.Var(
        link_slices,
        within=pyo.NonNegativeReals,
        bounds=lambda m, lid, t: (0, ix.link_bound[lid, t]),
        doc="amount sent on the link in the slice (resource unit)",
    )
    m.link_build = pyo.Var(
        ix.candidate_links, within=pyo.Binary, doc="1 if the candidate link is built"
    )
    fix_builds(m.link_build, opts)
    candidate_slices = [(lid, t) for lid in ix.candidate_links for t in ix.slices]

    @m.Constraint(candidate_slices, doc="flow only on a built candidate link, up to its bound")
    def link_capacity(m: pyo.ConcreteModel, lid: str, t: str) -> object:
        return m.link_flow[lid, t] <= ix.link_bound[lid, t] * m.link_build[lid]

    _record_capacity(m, ix, candidate_slices)
    sized = ix.sized_links
    sizing = {lid: ix.links[lid].sizing for lid in sized}
    add_size_variables(m, "link", sizing, "resource per year")

    @m.Constraint([(lid, t) for lid in sized for t in ix.slices], doc="flow up to the size")
    def link_size_limit(m: pyo.ConcreteModel, lid: str, t: str) -> object:
        return m.link_flow[lid, t] <= ix.share[t] * m.link_size[lid]


def _record_capacity(m: pyo.ConcreteModel, ix: ModelIndex, keys: list) -> None:
    """Record ``link_capacity`` as ``link_flow - B * link_build <= 0`` (the compiled rows)."""
    n_t = len(ix.slices)
    link_at = {lid: k for k, lid in enumerate(ix.links)}
    slice_at = {t: s for s, t in enumerate(ix.slices)}
    build_at = {lid: k for k, lid in enumerate(ix.candidate_links)}
    flow = [link_at[lid] * n_t + slice_at[t] for lid, t in keys]
    build = [build_at[lid] for lid, _ in keys]
    bound = -np.array([ix.link_bound[key] for key in keys], dtype=float)
    terms = (0, flow, 1.0, 1, build, bound)
    record_pairs(m, "link_capacity", keys, ("link_flow", "link_build"), terms)
