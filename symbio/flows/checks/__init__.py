"""Cross-reference checks on a structurally valid Scenario, one small function per rule.

The checks live in themed modules: ``ids`` (ids, units, references, species, slices),
``network`` (quality, mixing, reachability, link lengths), ``numbers`` (prices, shares,
estimates, magnitudes) and ``forms`` (second-pass forms); :data:`CHECKS` lists them all.

Each ``check_*`` returns a list of :class:`~symbio.errors.Problem`; :func:`run_checks` runs
them all so a planner sees every problem of a file at once.
"""

from __future__ import annotations

from collections.abc import Callable

from symbio.errors import Problem
from symbio.flows.checks.context import ANY_ID, Ctx
from symbio.flows.checks.forms import FORMAT_CHECKS, FORMAT_GRAPH_CHECKS
from symbio.flows.checks.ids import (
    check_duplicate_ids,
    check_references,
    check_species,
    check_time_slices,
    check_units,
)
from symbio.flows.checks.network import (
    check_link_lengths,
    check_mixing,
    check_quality,
    check_reachable_demands,
)
from symbio.flows.checks.numbers import (
    check_by_slice,
    check_estimates,
    check_magnitudes,
    check_prices,
    check_sources,
)
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located

__all__ = ["ANY_ID", "CHECKS", "GRAPH_CHECKS", "Ctx", "run_checks"]

CHECKS: tuple[Callable[[Ctx], None], ...] = (
    check_magnitudes,
    check_duplicate_ids,
    check_units,
    check_references,
    check_species,
    check_time_slices,
    check_quality,
    check_prices,
    check_by_slice,
    *FORMAT_CHECKS,
    check_estimates,
    check_sources,
)
#: Checks that assume references resolve; they run only when the ones above pass.
GRAPH_CHECKS: tuple[Callable[[Ctx], None], ...] = (
    check_link_lengths,
    check_mixing,
    check_reachable_demands,
    *FORMAT_GRAPH_CHECKS,
)


def run_checks(
    scenario: Scenario,
    file: str,
    located: Located,
    *,
    known: dict[str, set[str]] | None = None,
) -> list[Problem]:
    """Run every check and return all problems found.

    Parameters
    ----------
    scenario
        A structurally valid scenario (possibly only the well-formed part of a file).
    file, located
        The file name and the line of each field path, for the messages.
    known
        Ids of records set aside as malformed (see :mod:`symbio.flows.partial`):
        references to them are not reported, and the graph checks, which need the whole
        park, are skipped.
    """
    c = Ctx(scenario, file, located, known)
    for check in CHECKS:
        check(c)
    if not c.problems and known is None:
        for check in GRAPH_CHECKS:
            check(c)
    return c.problems
