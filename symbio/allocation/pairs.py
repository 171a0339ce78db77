"""The pair view: the value each pair of accounts' direct links create.

For every pair of accounts joined by at least one link (existing or candidate), the park is
solved with every candidate allowed and without the links between the two (existing links'
flows fixed at 0, candidates not built): ``value = C(without) - C(with)``. A pair whose
links the park cannot do without (no feasible solution without them) is *indispensable*.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from symbio.allocation.coalitions import CoalitionSolver
from symbio.errors import SolverError

PAIR_COLUMNS = [
    "account_a",
    "account_b",
    "links",
    "cost_with_cny",
    "cost_without_cny",
    "value_cny",
    "status",
]


def pair_links(solver: CoalitionSolver) -> dict[tuple[str, str], list[str]]:
    """Links between two different accounts, by unordered pair."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    acc = solver.players.account
    for lid, lk in solver.index.links.items():
        a, b = acc[lk.from_], acc[lk.to]
        if a != b:
            out[tuple(sorted((a, b)))].append(lid)
    return dict(out)


def pair_values(solver: CoalitionSolver, grand_cost: float) -> pd.DataFrame:
    """Value of each pair's direct links (see the module docstring)."""
    m = solver.model
    rows = []
    grand = frozenset(solver.players.all)
    for (a, b), links in sorted(pair_links(solver).items()):
        flows = [m.link_flow[lid, t] for lid in links for t in solver.index.slices]
        for var in flows:
            var.fix(0)
        try:
            cost, status = solver.solve(grand).cost, "ok"
        except SolverError:
            cost, status = float("nan"), "indispensable"
        finally:
            for var in flows:
                var.unfix()
        rows.append([a, b, " ".join(links), grand_cost, cost, cost - grand_cost, status])
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)
