"""Build groups: shared, mutually exclusive and conditional build decisions.

With ``y_x`` the build binary of candidate ``x`` (``link_build`` or ``process_build``; a
candidate-link generator stands for each link it generates), a group ``g`` with members
``M_g`` adds

    y_x = y_first(g)                 x in M_g, kind ``shared``       (build_group_shared)
    sum_{x in M_g} y_x <= 1          kind ``at_most_one``, ``exactly_one``   (build_group_most)
    sum_{x in M_g} y_x >= 1          kind ``exactly_one``            (build_group_least)
    y_x <= y_a                       x in M_g, a in requires_g, kind ``requires``  (build_group_requires)

These are the tightest linear forms of the logic over binaries (the convex hull of the
allowed 0/1 points): equalities for a shared decision, a clique row for a choice, and
``y_x <= y_a`` for a precondition; no big-M enters. A shared binary is one decision: the
presolve merges the equal columns. ``build_group_least`` says *one must be built*, which the
status quo (every candidate unbuilt) does not satisfy: it is active only while some member
may be built — :func:`sync_build_groups` sets that from the build variables, and is called
wherever builds are fixed or freed (the baseline, measure analyses).

====================================  ===========================================
``build_group_shared[g, x]``          member ``x`` built exactly when the first member is
``build_group_most[g]``               at most one member built
``build_group_least[g]``              at least one member built (``exactly_one``)
``build_group_requires[g, x, a]``     member ``x`` only if ``a`` is built
====================================  ===========================================
"""

from __future__ import annotations

import pyomo.environ as pyo

from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions


def group_members(ix: ModelIndex, ids: list[str]) -> list[tuple[str, str]]:
    """``(component, id)`` of the build binaries of ``ids`` (generators expanded)."""
    out: list[tuple[str, str]] = []
    for mid in ids:
        for x in ix.graph.members(mid):
            if x in ix.processes and ix.processes[x].candidate:
                out.append(("process_build", x))
            elif x in ix.links and ix.links[x].candidate:
                out.append(("link_build", x))
    return out


def add_build_groups(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add the rows of every build group of the scenario."""
    groups = {g.id: g for g in ix.scenario.build_groups}
    members = {gid: group_members(ix, g.members) for gid, g in groups.items()}
    needs = {gid: group_members(ix, g.requires) for gid, g in groups.items()}

    def y(ref: tuple[str, str]) -> object:
        return getattr(m, ref[0])[ref[1]]

    shared = [(g, x[1]) for g in groups if groups[g].kind == "shared" for x in members[g][1:]]
    ref = {(g, x[1]): x for g in groups for x in members[g]}

    @m.Constraint(shared, doc="shared build decision")
    def build_group_shared(m: pyo.ConcreteModel, g: str, x: str) -> object:
        return y(ref[g, x]) == y(members[g][0])

    choice = [g for g in groups if groups[g].kind in ("at_most_one", "exactly_one")]

    @m.Constraint(choice, doc="at most one member built")
    def build_group_most(m: pyo.ConcreteModel, g: str) -> object:
        return pyo.quicksum(y(x) for x in members[g]) <= 1

    @m.Constraint([g for g in choice if groups[g].kind == "exactly_one"], doc="one must be built")
    def build_group_least(m: pyo.ConcreteModel, g: str) -> object:
        return pyo.quicksum(y(x) for x in members[g]) >= 1

    pairs = [
        (g, x[1], a[1]) for g in groups if groups[g].kind == "requires" for x in members[g]
        for a in needs[g]
    ]  # fmt: skip
    need_ref = {(g, a[1]): a for g in groups for a in needs[g]}

    @m.Constraint(pairs, doc="member only if the required candidate is built")
    def build_group_requires(m: pyo.ConcreteModel, g: str, x: str, a: str) -> object:
        return y(ref[g, x]) <= y(need_ref[g, a])

    m.build_group_refs = {g: members[g] for g in choice}
    sync_build_groups(m)


def sync_build_groups(m: pyo.ConcreteModel) -> None:
    """Activate ``build_group_least[g]`` iff some member of ``g`` is not fixed at 0."""
    rows = getattr(m, "build_group_least", None)
    if rows is None:
        return
    for g in rows:
        free = any(
            not (v.fixed and v.value == 0)
            for v in (getattr(m, comp)[x] for comp, x in m.build_group_refs[g])
        )
        (rows[g].activate if free else rows[g].deactivate)()
