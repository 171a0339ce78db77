"""The glossary section: what each KPI of the briefing means, how it is computed, its unit."""

from __future__ import annotations

from collections.abc import Sequence

from symbio.report.bundle import ResultBundle, kpi_rows
from symbio.report.labels import Lang, kpi_name, kpi_rank, pick

#: KPI id (or prefix ending in ``_``) -> (en, zh) definition.
DEFINITIONS: dict[str, tuple[str, str]] = {
    "total_cost_cny": (
        "Annualised cost of the park: capex × capital recovery factor + fixed and variable O&M "
        "+ purchases − sales + disposal + carbon price × CO2.",
        "园区年化总成本：投资×资本回收系数 + 固定及可变运维费 + 外购 − 外售 + 处置费 + 碳价×CO₂ 排放量。",
    ),
    "energy_tce": (
        "Primary energy use in tonnes of standard coal (GB/T 2589 conversion factors).",
        "综合能源消费量，按 GB/T 2589 折标系数折算为吨标准煤。",
    ),
    "fossil_energy_tce": (
        "Primary energy from fossil fuels, in tonnes of standard coal.",
        "化石能源消费量（吨标准煤）。",
    ),
    "co2_t": (
        "CO2 emitted in the park plus that of purchased electricity and heat (factor set).",
        "园区直接排放的 CO₂ 加外购电力、热力的间接排放（按所选因子集）。",
    ),
    "co2e_t": (
        "Greenhouse gases as CO2 equivalent (GWP set of the factor set).",
        "温室气体排放，按因子集对应的全球增温潜势折算为二氧化碳当量。",
    ),
    "emission_": (
        "Emission of the pollutant from processes, purchases and disposal, tonnes per year.",
        "各工艺、外购和处置环节排放的该污染物总量（吨/年）。",
    ),
    "fresh_water_t": ("Fresh water taken from outside the park.", "从园区外取用的新鲜水量。"),
    "reused_water_t": ("Water treated and used again in the park.", "园区内处理后回用的水量。"),
    "wastewater_discharge_t": ("Wastewater discharged from the park.", "园区排放的废水量。"),
    "hazardous_waste_t": ("Hazardous waste arising in the park.", "园区产生的危险废物量。"),
    "hazardous_waste_utilised_t": (
        "Hazardous waste used as a resource (not landfilled or burnt without recovery).",
        "作为资源利用（而非填埋或无回收焚烧）的危险废物量。",
    ),
    "byproduct_supply_t": ("By-products arising at the sites.", "各企业产生的副产物总量。"),
    "byproduct_utilised_t": (
        "By-products used instead of disposed of.",
        "被利用而非处置的副产物量。",
    ),
    "byproduct_utilisation_": (
        "Share of the resource's by-product that is used; changes are in percentage points.",
        "该副产物被利用的比例；变化以百分点表示。",
    ),
    "waste_heat_recovered_tce": (
        "Waste heat put to use, in tce.",
        "被回收利用的余热（吨标准煤）。",
    ),
    "renewable_energy_tce": ("Renewable energy used, in tce.", "可再生能源利用量（吨标准煤）。"),
    "symbiosis_links": (
        "Links between enterprises that carry a flow in the case; more is better.",
        "该方案中有物质或能量流动的企业间共生链接数；越多越好。",
    ),
    "exchanged_": (
        "Net amount of the resource passed between sites (pass-through counted once).",
        "企业间净交换的该资源量（中转只计一次）。",
    ),
}


def definition(kpi: str, lang: Lang) -> str:
    """Definition of a KPI (exact id first, then its prefix); empty when none is written."""
    if kpi in DEFINITIONS:
        return pick(DEFINITIONS[kpi], lang)
    prefix = next((p for p in DEFINITIONS if p.endswith("_") and kpi.startswith(p)), None)
    return pick(DEFINITIONS[prefix], lang) if prefix else ""


def section(bundles: Sequence[ResultBundle], lang: Lang) -> dict:
    """Rows ``name, unit, definition`` for every KPI of the main scenario that has one."""
    sc = bundles[0].scenario if bundles else None
    names = {r.id: (r.name.en, r.name.zh or r.name.en) for r in sc.resources} if sc else None
    rows = sorted(kpi_rows(bundles[0]), key=lambda r: kpi_rank(r["kpi"])) if bundles else []
    return {
        "rows": [
            {"name": kpi_name(r["kpi"], lang, names), "definition": definition(r["kpi"], lang)}
            for r in rows
            if definition(r["kpi"], lang)
        ]
    }
