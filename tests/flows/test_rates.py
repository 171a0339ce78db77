"""Amounts with units (pint): rates per hour or second, gases in mol and Nm3; hand values."""

from __future__ import annotations

import pytest

from symbio.flows.rates import is_quantity, to_resource_unit


@pytest.mark.parametrize(
    ("text", "unit", "kwargs", "expected"),
    [
        ("20 t/h", "t", {}, 20 * 8760),  # rate x 8760 h per year
        ("20 t/h", "t", {"slice_hours": 2928}, 20 * 2928),  # in by_slice: x the slice's hours
        ("5 kg/s", "t", {}, 5e-3 * 3600 * 8760),
        ("1.5e6 m3", "1e4m3", {}, 150),
        ("3 MW", "MWh", {}, 3 * 8760),
        ("1000 Nm3/h", "kNm3", {}, 8760),
        ("1000 Nm³/h", "1e4Nm3", {}, 876),
        ("100 kmol/h", "Nm3", {"molar_volume": 22.414}, 2241.4 * 8760),
        ("100 kmol/h", "t", {"molar_mass": 44.01}, 4.401 * 8760),  # CO2
        ("2 kg/h", "ppm * t", {}, 2000 * 8760),  # 1 ppm x 1 t = 1 g
        ("2 kg/h", "mg/L * m3", {}, 2000 * 8760),  # 1 mg/L x 1 m3 = 1 g
        ("29.307 GJ", "tce", {}, 1.0),  # GB/T 2589
        ("7 unit/h", "unit", {}, 7 * 8760),
    ],
)
def test_conversions_by_hand(text: str, unit: str, kwargs: dict, expected: float) -> None:
    assert to_resource_unit(text, unit, **kwargs) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("text", "unit", "says"),
    [
        ("20 t/h", "MWh", "cannot be converted to MWh"),
        ("5 foo/h", "t", "cannot read"),
        ("100 kmol/h", "Nm3", "molar_volume_nm3_per_kmol"),
        ("100 kmol", "t", "molar_mass_kg_per_kmol"),
        ("100 Nm3", "t", "cannot be converted"),  # no density is assumed
    ],
)
def test_conversions_that_do_not_fit(text: str, unit: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        to_resource_unit(text, unit)


def test_only_number_and_unit_strings_are_quantities() -> None:
    assert is_quantity("20 t/h") and is_quantity("1.5e6 m3") and is_quantity("20t")
    assert not any(is_quantity(x) for x in ("20", "none", "abc", 20, None))
