"""Names, units and mass factors of the KPIs (:mod:`symbio.model.kpis` computes them)."""

from __future__ import annotations

from symbio.flows.units import UNITS, conversion
from symbio.model.index import ModelIndex

#: KPI of each optimization criterion (the objective's saving is this KPI's saving).
CRITERION_KPI = {
    "cost": "total_cost_cny",
    "energy": "energy_tce",
    "co2": "co2_t",
    "co2e": "co2e_t",
}


def criterion_kpi(criterion: str) -> str:
    """The park KPI of a criterion: ``cost`` -> ``total_cost_cny``, a species -> ``emission_<sp>_t``."""
    return CRITERION_KPI.get(criterion, f"emission_{criterion}_t")


WATER = ("water", "reclaimed_water", "wastewater")

#: Unit of every KPI family (``exchanged_<r>`` is in the resource's unit).
UNITS_OF = {
    "total_cost_cny": "CNY/a",
    "energy_tce": "tce/a",
    "fossil_energy_tce": "tce/a",
    "co2_t": "t/a",
    "co2e_t": "t CO2e/a",
    "fresh_water_t": "t/a",
    "water_use_t": "t/a",
    "reused_water_t": "t/a",
    "wastewater_discharge_t": "t/a",
    "hazardous_waste_t": "t/a",
    "hazardous_waste_utilised_t": "t/a",
    "solid_waste_t": "t/a",
    "solid_waste_utilised_t": "t/a",
    "byproduct_supply_t": "t/a",
    "byproduct_utilised_t": "t/a",
    "waste_heat_available_tce": "tce/a",
    "waste_heat_recovered_tce": "tce/a",
    "renewable_energy_tce": "tce/a",
    "symbiosis_links": "count",
    "value_added_1e4cny": "1e4 CNY/a",
    "output_value_1e4cny": "1e4 CNY/a",
    "land_km2": "km2",
    "employees": "persons",
    "enterprises": "count",
    "key_enterprises": "count",
    "key_enterprises_audited": "count",
    "enterprises_audited": "count",
    "enterprises_multi_round_audit": "count",
}


def kpi_unit(ix: ModelIndex, name: str) -> str:
    """Unit of a KPI name."""
    if name in UNITS_OF:
        return UNITS_OF[name]
    if name.startswith("emission_"):
        return "t/a"
    if name.startswith("byproduct_utilisation_"):
        return "share"
    if name.startswith("exchanged_"):
        r = ix.resources.get(name.removeprefix("exchanged_"))
        return f"{r.unit}/a" if r else ""
    return ""


def tonnes(ix: ModelIndex, resource: str) -> float | None:
    """Factor from the resource's unit to t, or None when it is not a mass (or water volume)."""
    rec = ix.resources[resource]
    dim = UNITS.get(rec.unit, ("", 0))[0]
    if dim == "mass":
        return conversion(rec.unit, "t")
    if dim == "volume" and rec.category in WATER:
        return conversion(rec.unit, "m3")
    return None
