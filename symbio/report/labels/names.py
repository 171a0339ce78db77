"""Names of KPIs, emission species, site kinds, units, solver statuses and run phases (en, zh)."""

from __future__ import annotations

from symbio.report.labels.text import Lang, pick

#: KPI id -> (en, zh)
KPI_NAMES: dict[str, tuple[str, str]] = {
    "total_cost_cny": ("Total annual cost", "年度总成本"),
    "energy_tce": ("Primary energy", "综合能耗"),
    "fossil_energy_tce": ("Fossil energy", "化石能源消费量"),
    "co2_t": ("CO2 emissions", "二氧化碳排放"),
    "co2e_t": ("Greenhouse gases (CO2e)", "温室气体排放（二氧化碳当量）"),
    "fresh_water_t": ("Fresh water use", "新鲜水用量"),
    "water_use_t": ("Water use", "用水总量"),
    "reused_water_t": ("Water reused", "回用水量"),
    "wastewater_discharge_t": ("Wastewater discharged", "废水排放量"),
    "hazardous_waste_t": ("Hazardous waste arising", "危险废物产生量"),
    "hazardous_waste_utilised_t": ("Hazardous waste utilised", "危险废物利用量"),
    "byproduct_supply_t": ("By-products arising", "副产物产生量"),
    "byproduct_utilised_t": ("By-products utilised", "副产物利用量"),
    "waste_heat_available_tce": ("Waste heat available", "可回收余热量"),
    "waste_heat_recovered_tce": ("Waste heat recovered", "余热回收量"),
    "renewable_energy_tce": ("Renewable energy", "可再生能源利用量"),
    "symbiosis_links": ("Symbiosis links", "共生链接数"),
    "output_value_1e4cny": ("Industrial output value", "工业总产值"),
    "value_added_1e4cny": ("Industrial value added", "工业增加值"),
    "land_km2": ("Land", "占地面积"),
    "enterprises": ("Enterprises", "企业数"),
    "key_enterprises": ("Key enterprises", "重点企业数"),
    "key_enterprises_audited": ("Key enterprises audited", "已审核重点企业数"),
    "enterprises_audited": ("Enterprises audited", "已开展清洁生产审核企业数"),
    "enterprises_multi_round_audit": ("Enterprises with several audit rounds", "多轮审核企业数"),
}
#: Order of KPIs in tables and charts (prefixes end with ``_``); the rest follow.
KPI_ORDER: tuple[str, ...] = (
    "total_cost_cny",
    "energy_tce",
    "fossil_energy_tce",
    "co2_t",
    "co2e_t",
    "emission_",
    "fresh_water_t",
    "water_use_t",
    "reused_water_t",
    "wastewater_discharge_t",
    "hazardous_waste_t",
    "hazardous_waste_utilised_t",
    "byproduct_supply_t",
    "byproduct_utilised_t",
    "byproduct_utilisation_",
    "waste_heat_available_tce",
    "waste_heat_recovered_tce",
    "renewable_energy_tce",
    "symbiosis_links",
    "exchanged_",
)

#: Emission species -> (en, zh)
SPECIES_NAMES: dict[str, tuple[str, str]] = {
    "co2": ("CO2", "二氧化碳"),
    "ch4": ("CH4", "甲烷"),
    "n2o": ("N2O", "氧化亚氮"),
    "so2": ("SO2", "二氧化硫"),
    "nox": ("NOx", "氮氧化物"),
    "vocs": ("VOCs", "挥发性有机物"),
    "particulates": ("Particulates", "颗粒物"),
    "cod": ("COD", "化学需氧量"),
    "nh3n": ("NH3-N", "氨氮"),
}

#: Site kinds -> (en, zh)
KIND_NAMES: dict[str, tuple[str, str]] = {
    "enterprise": ("enterprise", "企业"),
    "utility": ("utility", "公用工程"),
    "treatment": ("treatment facility", "环保设施"),
    "hub": ("hub", "枢纽"),
    "gate": ("park gate", "园区边界"),
}

#: Units of KPIs and tables as results spell them -> (en, zh) display; others are shown as given
#: (t/a, tce/a, MWh/a, m3/a read the same in both languages).
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "CNY/a": ("CNY/a", "元/年"),
    "CNY": ("CNY", "元"),
    "1e4 CNY/a": ("10⁴ CNY/a", "万元/年"),
    "1e4 CNY": ("10⁴ CNY", "万元"),
    "M CNY/a": ("M CNY/a", "百万元/年"),
    "CNY/t": ("CNY/t", "元/吨"),
    "share": ("fraction (0–1)", "比例(0–1)"),
    "count": ("count", "个"),
    "unit": ("units", "个"),
    "km2": ("km²", "平方公里"),
    "m3/a": ("m³/a", "m³/a"),
    "%": ("%", "%"),
}

#: Solver statuses -> (en, zh)
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "optimal": ("optimal", "最优"),
    "feasible": ("feasible (not proven optimal)", "可行(未证最优)"),
    "infeasible": ("infeasible", "无可行解"),
    "unbounded": ("unbounded", "无界"),
    "time_limit": ("time limit reached", "达到时间上限"),
    "timelimit": ("time limit reached", "达到时间上限"),
    "error": ("error", "出错"),
    "not_solved": ("not solved", "未求解"),
    "ok": ("ok", "正常"),
}

#: Run phases (summary timings) -> (en, zh)
PHASE_NAMES: dict[str, tuple[str, str]] = {
    "build": ("model build", "建模"),
    "handover": ("hand-over to solver", "传递求解器"),
    "solve": ("solve", "求解"),
    "load": ("read solution", "读取解"),
    "tables": ("result tables", "生成结果表"),
    "index": ("index", "索引"),
    "steps": ("run steps", "运行步骤"),
    "baseline": ("baseline", "基准情景"),
    "optimized": ("optimized", "优化方案"),
    "audit": ("audit", "核查"),
    "canonical": ("canonical flows", "规范化流量"),
    "tighten": ("tighten baseline", "收紧基准"),
}

#: Time-slice ids without a name -> (en, zh)
SLICE_NAMES: dict[str, tuple[str, str]] = {"year": ("whole year", "全年")}


def unit_label(unit: str, lang: Lang) -> str:
    """Display form of a unit, e.g. ``CNY/a`` -> "元/年" in Chinese (unknown units as given)."""
    return pick(UNIT_NAMES.get(unit.strip()), lang, unit)


def status_name(status: str, lang: Lang) -> str:
    """Display form of a solver status (unknown statuses as given)."""
    return pick(STATUS_NAMES.get(status.strip().lower().replace(" ", "_")), lang, status)


#: KPIs where a larger value is better (all others: smaller is better).
HIGHER_BETTER_PREFIXES: tuple[str, ...] = (
    "byproduct_utilis",
    "symbiosis_links",
    "exchanged_",
    "reused_water",
    "hazardous_waste_utilised",
    "waste_heat_recovered",
    "renewable_energy",
    "output_value",
    "value_added",
)


def kpi_rank(kpi: str) -> int:
    """Position of a KPI in :data:`KPI_ORDER` (unknown KPIs last)."""
    for i, key in enumerate(KPI_ORDER):
        if kpi == key or (key.endswith("_") and kpi.startswith(key)):
            return i
    return len(KPI_ORDER)


def species_name(species: str, lang: Lang) -> str:
    """Display name of an emission species."""
    return pick(SPECIES_NAMES.get(species), lang, species)


def kpi_name(kpi: str, lang: Lang, resource_names: dict[str, tuple[str, str]] | None = None) -> str:
    """Display name of a park KPI, e.g. ``emission_nox_t`` -> "NOx emissions" / "氮氧化物排放"."""
    if kpi in KPI_NAMES:
        return pick(KPI_NAMES[kpi], lang)
    if kpi.startswith("emission_"):
        sp = kpi.removeprefix("emission_").removesuffix("_t")
        return (
            f"{species_name(sp, lang)}排放"
            if lang == "zh"
            else f"{species_name(sp, lang)} emissions"
        )
    if kpi.startswith("exchanged_"):
        rid = kpi.removeprefix("exchanged_")
        name = pick((resource_names or {}).get(rid), lang, rid)
        return f"{name}交换量" if lang == "zh" else f"Exchanged {name}"
    if kpi.startswith("byproduct_utilisation_"):
        rid = kpi.removeprefix("byproduct_utilisation_")
        name = pick((resource_names or {}).get(rid), lang, rid)
        return f"{name}利用率" if lang == "zh" else f"{name[:1].upper()}{name[1:]} utilisation rate"
    return kpi


#: KPIs whose change is neither good nor bad in itself (an exchange may shrink because a
#: resource is now made where it is used).
NEUTRAL_PREFIXES: tuple[str, ...] = ("exchanged_",)


def higher_is_better(kpi: str) -> bool:
    """True for KPIs where an increase is an improvement (utilisation, links, exchanges)."""
    return kpi.startswith(HIGHER_BETTER_PREFIXES)


def is_neutral(kpi: str) -> bool:
    """True for KPIs whose change is not judged (no green or red)."""
    return kpi.startswith(NEUTRAL_PREFIXES)
