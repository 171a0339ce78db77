"""Recording of ``process_link_build`` (the valid inequalities of :mod:`symbio.model.processes`).

Kept apart from :mod:`symbio.model.processes` so that the family's file only calls it. A
row ``link_flow[l, t] <= B * process_build[p]`` with one candidate process at the link's
end compiles as ``link_flow - B * build <= 0`` (two terms, see :func:`record_pairs`). A
row with several candidates (``B * (build_1 + build_2)``, a product Pyomo's visitor
linearises) is not recorded: the component is then compiled from its expressions.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from symbio.model.record import record_pairs


def record_link_build(m: pyo.ConcreteModel, ix: object, ends: dict) -> bool:
    """Record ``process_link_build`` when every row has one candidate; False otherwise.

    ``ends`` maps ``(link, slice)`` to the candidate processes at the link's end (the
    rows' index, in build order).
    """
    if any(len(procs) != 1 for procs in ends.values()):
        return False
    n_t = len(ix.slices)
    link_at = {lid: k for k, lid in enumerate(ix.links)}
    slice_at = {t: s for s, t in enumerate(ix.slices)}
    build_at = {p: k for k, p in enumerate(ix.candidate_processes)}
    keys = list(ends)
    flow = [link_at[lid] * n_t + slice_at[t] for lid, t in keys]
    build = [build_at[ends[key][0]] for key in keys]
    bound = -np.array([ix.link_bound[key] for key in keys], dtype=float)
    names = ("link_flow", "process_build")
    return record_pairs(m, "process_link_build", keys, names, (0, flow, 1.0, 1, build, bound))
