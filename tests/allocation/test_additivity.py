"""Coalition values are not additive over players no candidate connects (SCIP 2025).

Issue 20 proposed skipping the solve of ``S ∪ T`` when no candidate link has parties in both
``S`` and ``T``, with ``v(S ∪ T) = v(S) + v(T)``. That holds only when the park's problem
splits into independent parts, and a park does not: every player's candidates connect to
the park's common infrastructure (hubs, the gate, the networks), which no player owns. On
SCIP 2025 huasheng's hydrogen reaches invista and the CO2 park through the hydrogen hub:
the candidates ``h2_huasheng_hub`` (party huasheng) and ``h2_hub_invista`` (party invista)
share no party, yet each is worth nothing without the other. From the coalition values the
allocation already writes (``coalition_values.csv``)::

    v({co2_park, invista}) = 0                 (no hydrogen to take)
    v({covestro, huasheng}) = 192,489,848      (CNY/a)
    v(all four)            = 433,777,723       (+241 M CNY/a: hydrogen to invista/CO2 park)

so the shortcut would be wrong by 241 M CNY/a, ~10^5 times the solves' gap (~2,500 CNY).
This test solves the three coalitions and shows the synergy is real, so the shortcut stays
out (see ``/work/notes/issue-20-coalitions.md``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from symbio.allocation.coalitions import CoalitionSolver
from symbio.flows.load import load_scenario

SCIP = Path(__file__).resolve().parents[2] / "scenarios" / "scip" / "symbiosis-2025.yaml"


@pytest.fixture(scope="module")
def solver() -> CoalitionSolver:
    return CoalitionSolver(load_scenario(SCIP))


def test_disjoint_unlinked_coalitions_are_not_additive(solver: CoalitionSolver) -> None:
    s, t = frozenset({"co2_park", "invista"}), frozenset({"covestro", "huasheng"})
    # no candidate has a party in both (the premise of the proposed shortcut)
    assert not any(p & s and p & t for p in solver.players.parties.values())
    # ... but the hydrogen hub joins them: huasheng feeds it, invista may draw from it
    assert solver.players.parties["h2_huasheng_hub"] == {"huasheng"}
    assert solver.players.parties["h2_hub_invista"] == {"invista"}

    def v(c: frozenset[str]) -> float:
        return solver.reference_cost - solver.solve(c).cost

    union = v(s | t)
    assert "h2_hub_invista" in solver.built()  # the union's optimum uses the hub link
    synergy = union - v(s) - v(t)
    assert synergy > 1e4 * solver.options.mip_abs_gap  # 241 M CNY/a, not round-off
