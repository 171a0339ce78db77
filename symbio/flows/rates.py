"""Amounts written with a unit: rates per hour or second, gas amounts in mol or Nm³.

A scenario gives amounts per year in the unit of the resource. Where a planner has a rate
or another unit, a field may instead hold a *quantity string*, converted with pint before
validation::

    amount: 20 t/h            # 20 t/h x 8760 h/a = 175,200 t/a
    capacity: 5 kg/s          # 5 kg/s x 3600 s/h x 8760 h/a
    amount: 1200 Nm3/h        # hydrogen in Nm3, per hour
    amount: 40 kmol/h         # a gas in kmol: the resource's molar_volume_nm3_per_kmol
                              # (or molar_mass_kg_per_kmol) states the conversion
    by_slice: {summer: 20 t/h, winter: 25 t/h}    # per slice: rate x the slice's hours

A rate is per year as ``rate x 8760 h``, so slice ``t`` gets ``rate x h_t`` (the model's
share ``h_t / 8760``); a rate inside ``by_slice`` is multiplied by that slice's own hours.
Without a time unit the quantity is an amount per year (per slice in ``by_slice``).

pint does the arithmetic (prefixes, kg/t, s/h, m³/L, ppm x t = g). The project's own unit
names without a pint spelling (``Nm3``, ``1e4m3``, ``tce``, ``unit``) are defined here;
``Nm3`` is its own dimension (gas at normal conditions), so converting between mol and Nm3
always needs the molar volume stated by the resource: pint cannot know whether 0 °C or
20 °C was meant.
"""

from __future__ import annotations

import re
from functools import cache

import pint

#: Project unit -> pint expression (units pint already knows map to themselves).
PINT_NAMES: dict[str, str] = {
    "m3": "m**3",
    "km3": "1e3 * m**3",  # symbio's km3 is 10^3 m3 (see flows.units), not a cubic kilometre
    "1e4m3": "1e4 * m**3",
    "1e4Nm3": "1e4 * Nm3",
    "kNm3": "1e3 * Nm3",
    "unit": "count",
}
_RATE = re.compile(r"^\s*[-+]?(\d[\d_,]*\.?\d*|\.\d+)([eE][-+]?\d+)?\s*[A-Za-z%/µ]")
HOURS_PER_YEAR = 8760.0


@cache
def registry() -> pint.UnitRegistry:
    """pint's registry with the project's extra units (``Nm3``, ``tce``)."""
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("Nm3 = [normal_gas_volume]")
    ureg.define("tce = 29.307 * GJ")  # GB/T 2589: 1 kgce = 29,307 kJ
    return ureg


def is_quantity(value: object) -> bool:
    """True for a string that starts with a number and has a unit after it."""
    return isinstance(value, str) and bool(_RATE.match(value))


def _unit(name: str) -> pint.Quantity:
    q = registry()(PINT_NAMES.get(name, name))
    return q if isinstance(q, pint.Quantity) else registry().Quantity(q)


def parse(text: str) -> pint.Quantity:
    """Parse ``"20 t/h"`` into a pint quantity (ValueError with the reason if it is not one)."""
    ureg = registry()
    text = text.strip().replace("Nm³", "Nm3").replace("m³", "m**3").replace(",", "")
    for name, expr in PINT_NAMES.items():
        text = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w*])", f"({expr})", text)
    try:
        q = ureg(text)
    except (pint.PintError, AttributeError, TypeError, SyntaxError, ValueError) as exc:
        raise ValueError(f"cannot read {text!r} as an amount with a unit ({exc})") from None
    if not isinstance(q, pint.Quantity):
        raise ValueError(f"{text!r} has no unit; write a plain number for the resource's unit")
    return q


def to_resource_unit(
    text: str,
    unit: str,
    *,
    slice_hours: float | None = None,
    molar_volume: float | None = None,
    molar_mass: float | None = None,
    per: str = "",
) -> float:
    """Convert a quantity string to a number in ``unit`` (per year, or per slice).

    Parameters
    ----------
    text
        E.g. ``"20 t/h"``, ``"1.5e6 m3"``, ``"40 kmol/h"``.
    unit
        The target: the resource's unit, optionally times a quality unit for loads
        (``"ppm * t"``), in project or pint spelling.
    slice_hours
        For a value of ``by_slice``: a rate is multiplied by the slice's hours; ``None``:
        a rate is multiplied by 8760 h (per year).
    molar_volume, molar_mass
        Nm³ per kmol and kg per kmol of the resource, to convert amounts of substance.
    per
        The activity a coefficient refers to, for messages only.

    Raises
    ------
    ValueError
        With a planner's explanation when the units do not fit.
    """
    ureg = registry()
    q = parse(text)
    target = parse(f"1 {unit}")
    hours = HOURS_PER_YEAR if slice_hours is None else slice_hours
    if q.check("[substance]") or q.check("[substance] / [time]"):
        q = _from_substance(q, target, molar_volume, molar_mass)
    if not q.is_compatible_with(target) and q.is_compatible_with(target / ureg.hour):
        q = q * ureg.Quantity(hours, "hour")
    if not q.is_compatible_with(target):
        what = f" per unit of {per}" if per else ""
        raise ValueError(
            f"{text!r} cannot be converted to {unit}{what} (nor, as a rate, to {unit} per hour)"
        )
    return float((q / target).to("dimensionless").magnitude)


def _from_substance(
    q: pint.Quantity, target: pint.Quantity, molar_volume: float | None, molar_mass: float | None
) -> pint.Quantity:
    ureg = registry()
    per_kmol = ureg.Quantity(1, "kmol")
    if target.check("[normal_gas_volume]"):
        if molar_volume is None:
            raise ValueError(
                "an amount in mol needs the resource's molar_volume_nm3_per_kmol "
                "(22.414 at 0 °C and 101.325 kPa; 24.055 at 20 °C)"
            )
        return q * ureg.Quantity(molar_volume, "Nm3") / per_kmol
    if target.check("[mass]"):
        if molar_mass is None:
            raise ValueError("an amount in mol needs the resource's molar_mass_kg_per_kmol")
        return q * ureg.Quantity(molar_mass, "kg") / per_kmol
    return q
