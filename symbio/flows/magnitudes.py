"""Magnitude ranges of scenario numbers, per unit family, and values the solver cannot see.

HiGHS works in double precision with absolute tolerances (primal feasibility 1e-7, MIP
feasibility 1e-6) and treats 1e20 as infinite. A quantity of 1e19 t, or a price of 1e300,
passes the schema and then makes HiGHS reject the model or stop with "Unknown"; a demand
of 1e-9 t is below the tolerance and is left unmet in an "optimal" result. So every number
is checked against a documented range for its family (errors), and non-zero quantities or
coefficients under :data:`TOLERANCE` are reported as warnings.

=====================  ==============================================  =================
family                 fields                                           largest |value|
=====================  ==============================================  =================
mass                   amounts, capacities, caps of a resource in t     1e9 t (1 Gt/a)
energy                 ... in MWh, GJ, tce, ...                         1e10 GJ
volume                 ... in m3                                        1e11 m3
gas_volume             ... in Nm3                                       1e12 Nm3
count                  ... in ``unit`` (process activity)               1e10
money                  every ``*_cny*`` field                           1e12 CNY
coefficient            process inputs/outputs, emissions, tce_per_unit  1e6 per unit
distance               ``xy_km``, ``length_km``, ``max_km``             1e4 km
hours                  time-slice hours                                 8784 h
other                  any other number                                 1e15
=====================  ==============================================  =================

Quantities are compared in the base unit of their dimension (a ``kt`` amount is 1000 t).
"""

from __future__ import annotations

import functools
import math

from symbio.flows.lastmemo import last_object
from symbio.flows.units import UNITS
from symbio.flows.yamlsource import format_path, item_segment

#: Largest magnitude per unit dimension, in the dimension's base unit (t, GJ, m3, Nm3, unit).
QUANTITY_MAX = {"mass": 1e9, "energy": 1e10, "volume": 1e11, "gas_volume": 1e12, "count": 1e10}
MONEY_MAX = 1e12
COEFFICIENT_MAX = 1e6
DISTANCE_MAX_KM = 1e4
HOURS_MAX = 8784.0
OTHER_MAX = 1e15
#: Non-zero quantities and coefficients below this are warned about (HiGHS's MIP
#: feasibility tolerance is 1e-6, its primal feasibility tolerance 1e-7).
TOLERANCE = 1e-6
_QUANTITY_KEYS = {
    "amount",
    "capacity",
    "max_capacity",
    "min_capacity",
    "buy_cap",
    "sell_cap",
    "cap",
}
_COEFFICIENT_MAPS = {"inputs", "outputs", "emissions"}
_SPECIES_UNIT = "t"


def check_magnitudes(data: dict) -> tuple[list[tuple[tuple, str]], list[tuple[tuple, str]]]:
    """Return (errors, warnings) as (path, message) for the numbers of a scenario's data.

    ``data`` is the scenario as plain data (``Scenario.model_dump()``); paths use the
    field names and record ids of the file. Numbers are visited depth first, in the data's
    order; a number's path is spelled out only when it is reported.
    """
    units = {
        r["id"]: r["unit"]
        for r in data.get("resources") or []
        if isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("unit"), str)
    }
    walk = _Walk(units)
    walk.node(data, None, "", "", "", None)
    return walk.errors, walk.warnings


class _Walk:
    """One depth-first visit of the data; each node knows its path as a chain of
    ``(segment, parent chain)`` pairs, its last segment and its last two field names.

    What a number's check is (its family's limit, whether small values are warned about)
    depends only on its field name, its parent's and its unit: :func:`_rule`, kept per
    such triple.
    """

    def __init__(self, units: dict) -> None:
        self.units = units
        self.errors: list[tuple[tuple, str]] = []
        self.warnings: list[tuple[tuple, str]] = []

    def node(
        self, node: object, chain: tuple | None, last: str, k1: str, k2: str, unit: str | None
    ) -> None:
        """Visit container ``node`` at ``chain``; ``k1``/``k2`` its last/previous non-item
        segments (its children's numbers are checked here)."""
        if isinstance(node, dict):
            # a malformed record may hold anything here: only a string names a unit
            own, res = node.get("activity_unit"), node.get("resource")
            rec_unit = own if isinstance(own, str) and own else None
            rec_unit = rec_unit or (self.units.get(res, unit) if isinstance(res, str) else unit)
            if chain is not None and last == "caps":
                rec_unit = _SPECIES_UNIT
            for key, value in node.items():
                if isinstance(value, bool) or not isinstance(value, _WALKED):
                    continue
                seg = str(key)
                item = seg.startswith("[")
                if isinstance(value, int | float):  # a field's number: key seg, parent k1
                    at = ("", k1, rec_unit) if item else (seg, k1, rec_unit)
                    self.number(float(value), (seg, chain), at)
                elif item:
                    self.node(value, (seg, chain), seg, k1, k2, rec_unit)
                else:
                    self.node(value, (seg, chain), seg, seg, k1, rec_unit)
        else:  # a list or tuple
            for i, item in enumerate(node):  # type: ignore[arg-type]
                if isinstance(item, bool) or not isinstance(item, _WALKED):
                    continue
                seg = item_segment(last, item, i)
                if isinstance(item, int | float):  # an item's number: no key, parent k1
                    self.number(float(item), (seg, chain), ("", k1, unit))
                else:
                    self.node(item, (seg, chain), seg, k1, k2, unit)

    def number(self, value: float, chain: tuple, at: tuple) -> None:
        """Check one number (``at``: its key, parent and unit) against its family's range
        and the solver's tolerance."""
        rule = _rule(*at)
        if rule is None:
            return
        limit, scale, shown, warn = rule
        if not math.isfinite(value) or abs(value) * scale > limit:
            msg = f"{value:g} is out of range: {shown} (see docs/hardening.md)"
            self.errors.append((_path(chain), msg))
        elif warn and 0 < abs(value) < TOLERANCE:
            self.warnings.append(
                (
                    _path(chain),
                    f"{value:g} is below the solver's tolerance ({TOLERANCE:g}) and will be "
                    "treated as 0; use a smaller unit (kg, kWh, ...) if it matters",
                )
            )


#: Types the walk visits: containers and numbers (bools are left out where met).
_WALKED = (dict, list, tuple, int, float)


@functools.lru_cache(maxsize=4096)
def _rule(key: str, parent: str, unit: str | None) -> tuple[float, float, str, bool] | None:
    """How a number at ``key`` under ``parent`` in ``unit`` is checked: its limit, the
    factor to the dimension's base unit, the limit's wording and whether values under
    :data:`TOLERANCE` are warned about; None for a number that is not checked."""
    if key in ("seed", "threads", "round", "year", "lifetime_y", "schema_version"):
        return None
    if parent == "caps" and key == "energy_tce":
        unit = "tce"
    family = _family(key, parent)
    limit, shown = _limit(family, unit)
    scale = UNITS[unit][1] if family == "quantity" and unit in UNITS else 1.0
    return limit, scale, shown, family in ("quantity", "coefficient")


def _path(chain: tuple | None) -> tuple:
    """The segments of a ``(segment, parent chain)`` chain, from the root."""
    out = []
    while chain is not None:
        seg, chain = chain
        out.append(seg)
    return tuple(reversed(out))


@functools.cache
def _limit(family: str, unit: str | None) -> tuple[float, str]:
    if family == "quantity":
        dim, _ = UNITS.get(unit or "", ("count", 1.0))
        base = {"mass": "t", "energy": "GJ", "volume": "m3", "gas_volume": "Nm3"}.get(dim, unit)
        return QUANTITY_MAX[dim], f"a {dim} quantity must be at most {QUANTITY_MAX[dim]:g} {base}"
    return {
        "money": (MONEY_MAX, f"money must be at most {MONEY_MAX:g} CNY"),
        "coefficient": (
            COEFFICIENT_MAX,
            f"a coefficient must be at most {COEFFICIENT_MAX:g} per unit",
        ),
        "distance": (
            DISTANCE_MAX_KM,
            f"a distance or map position must be at most {DISTANCE_MAX_KM:g} km",
        ),
        "hours": (HOURS_MAX, f"a time slice has at most {HOURS_MAX:g} hours"),
    }.get(family, (OTHER_MAX, f"must be at most {OTHER_MAX:g}"))


def _family(key: str, parent: str) -> str:
    if "cny" in key or "cny" in parent:
        return "money"
    if key.endswith("_km") or parent == "xy_km":
        return "distance"
    if key in _QUANTITY_KEYS or parent in ("by_slice", "caps"):
        return "quantity"
    if parent in _COEFFICIENT_MAPS or key == "tce_per_unit":
        return "coefficient"
    return "hours" if key == "hours" else "other"


@last_object
def json_dump(scenario: object) -> dict:
    """``scenario.model_dump(mode="json", by_alias=True)``, made once per scenario object.

    The magnitude checks and the scenario's hash (:func:`symbio.flows.load.scenario_sha256`)
    read the same dump one after the other; the models are frozen, so the dump of the
    object asked last is kept (:func:`~symbio.flows.lastmemo.last_object`: never for
    another scenario). The dump is shared: callers must not change it.
    """
    return scenario.model_dump(mode="json", by_alias=True)  # type: ignore[attr-defined]


def scenario_magnitudes(
    scenario: object,
) -> tuple[list[tuple[tuple, str]], list[tuple[tuple, str]]]:
    """:func:`check_magnitudes` of a scenario's data, computed once per scenario object.

    A scenario is validated (errors) and then solved (warnings) in one process; the
    models are frozen, so the second call returns the first one's result for the same
    object (:func:`~symbio.flows.lastmemo.last_object`: never for another scenario).
    """
    errors, warnings = _magnitudes_of(scenario)
    return list(errors), list(warnings)


@last_object
def _magnitudes_of(scenario: object) -> tuple[tuple, tuple]:
    errors, warnings = check_magnitudes(json_dump(scenario))
    return tuple(errors), tuple(warnings)


def magnitude_warnings(scenario: object) -> list[str]:
    """Warnings (``path: message``) for values of ``scenario`` the solver would not see."""
    _, warnings = scenario_magnitudes(scenario)
    return [f"{format_path(path)}: {msg}" for path, msg in warnings]
