"""Size variables of candidates with continuous capacity sizing (links and processes alike).

min_cap * <family>_build[i] <= <family>_size[i] <= max_cap * <family>_build[i]
"""

from __future__ import annotations

from collections.abc import Mapping

import pyomo.environ as pyo

from symbio.flows.schema import Sizing


def add_size_variables(
    m: pyo.ConcreteModel, family: str, sizing: Mapping[str, Sizing], unit: str
) -> None:
    """Add ``<family>_size`` with ``<family>_size_max`` / ``<family>_size_min`` tied to ``<family>_build``.

    Parameters
    ----------
    m
        The model; ``<family>_build`` must exist.
    family
        ``link`` or ``process``.
    sizing
        Sizing record of each sized candidate, by id.
    unit
        What the size is measured in (for the variable's doc).
    """
    ids = list(sizing)
    build = getattr(m, f"{family}_build")
    size = pyo.Var(
        ids,
        within=pyo.NonNegativeReals,
        bounds=lambda m, i: (0, sizing[i].max_capacity),
        doc=f"chosen capacity of the sized candidate ({unit})",
    )
    setattr(m, f"{family}_size", size)
    setattr(
        m,
        f"{family}_size_max",
        pyo.Constraint(
            ids,
            rule=lambda m, i: size[i] <= sizing[i].max_capacity * build[i],
            doc="size only when built, up to max_capacity",
        ),
    )
    setattr(
        m,
        f"{family}_size_min",
        pyo.Constraint(
            [i for i in ids if sizing[i].min_capacity > 0],
            rule=lambda m, i: size[i] >= sizing[i].min_capacity * build[i],
            doc="minimum size",
        ),
    )
