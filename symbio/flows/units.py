"""Units symbio knows, and conversion between units of the same dimension.

Units are declared, never assumed: a resource's unit must be one of :data:`UNITS`, and a
factor (``tCO2/MWh``) can only be applied to a resource whose unit has the same dimension
as the factor's denominator.
"""

from __future__ import annotations

#: unit -> (dimension, size in the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "t": ("mass", 1.0),
    "kg": ("mass", 1e-3),
    "kt": ("mass", 1e3),
    "MWh": ("energy", 3.6),
    "kWh": ("energy", 3.6e-3),
    "GWh": ("energy", 3.6e3),
    "GJ": ("energy", 1.0),
    "MJ": ("energy", 1e-3),
    "TJ": ("energy", 1e3),
    "tce": ("energy", 29.307),
    "m3": ("volume", 1.0),
    "km3": ("volume", 1e3),
    "1e4m3": ("volume", 1e4),
    "Nm3": ("gas_volume", 1.0),
    "kNm3": ("gas_volume", 1e3),
    "1e4Nm3": ("gas_volume", 1e4),
    "unit": ("count", 1.0),
}


def conversion(from_unit: str, to_unit: str) -> float:
    """Return the factor ``k`` with ``amount[to_unit] = k * amount[from_unit]``.

    Raises
    ------
    ValueError
        When either unit is unknown or the dimensions differ.
    """
    for u in (from_unit, to_unit):
        if u not in UNITS:
            raise ValueError(f"unknown unit {u!r}; known units: {', '.join(UNITS)}")
    (dim_a, size_a), (dim_b, size_b) = UNITS[from_unit], UNITS[to_unit]
    if dim_a != dim_b:
        raise ValueError(f"cannot convert {from_unit} ({dim_a}) to {to_unit} ({dim_b})")
    return size_a / size_b


def per_unit_factor(value: float, factor_unit: str, resource_unit: str) -> float:
    """Convert a factor given as ``<numerator>/<denominator>`` to per ``resource_unit``.

    ``per_unit_factor(0.42, "tCO2/MWh", "kWh")`` is ``0.00042`` tCO2 per kWh.
    """
    try:
        _, denominator = factor_unit.split("/", 1)
    except ValueError:
        raise ValueError(f"factor unit {factor_unit!r} is not of the form 'x/unit'") from None
    # value per denominator -> value per resource unit: multiply by denominators per resource unit
    return value * conversion(resource_unit, denominator)
