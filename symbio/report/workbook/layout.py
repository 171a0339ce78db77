"""How the results workbook reads: headers "name (unit)" in the reader's language, number
formats per unit, fitted column widths and a sheet of definitions.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from symbio.report.bundle import ResultBundle, kpi_rows
from symbio.report.html.glossary import definition
from symbio.report.labels import Lang, kpi_name, kpi_rank, pick, unit_label

#: Result-table column -> (en, zh) name; other columns keep their id with spaces.
COLUMN_NAMES: dict[str, tuple[str, str]] = {
    "scenario": ("Scenario", "情景"), "case": ("Case", "方案"), "kpi": ("Indicator", "指标"),
    "unit": ("Unit", "单位"), "baseline": ("Baseline", "基准情景"), "optimized": ("Optimized", "优化方案"),
    "saving": ("Saving", "节约量"), "saving_pct": ("Saving rate", "节约率"), "site": ("Site", "企业/站点"),
    "resource": ("Resource", "资源"), "slice": ("Time slice", "时段"), "amount": ("Amount", "数量"),
    "link": ("Link", "管线"), "from": ("From", "起点"), "to": ("To", "终点"),
    "delivered": ("Delivered", "送达量"), "utilisation": ("Utilisation", "负荷率"),
    "candidate": ("Candidate", "候选"), "built": ("Built", "建设"), "kind": ("Kind", "类型"),
    "id": ("Id", "编号"), "capacity": ("Capacity", "能力"), "length_km": ("Length", "长度"),
    "capex_cny": ("Capex", "投资"), "annualised_capex_cny_a": ("Annualised capex", "年化投资"),
    "fixed_om_cny_a": ("Fixed O&M", "固定运维费"), "annualised_cost_cny_a": ("Annualised cost", "年化成本"),
    "annualised_cny": ("Annualised cost", "年化成本"),
    "lifetime_y": ("Lifetime", "寿命"), "price_cny": ("Price", "价格"), "cost_cny": ("Cost", "费用"),
    "revenue_cny": ("Revenue", "收入"), "species": ("Species", "污染物"), "amount_t": ("Amount", "排放量"),
    "process": ("Process", "装置"), "activity": ("Activity", "产量/活动水平"),
    "variable_om_cny": ("Variable O&M", "可变运维费"), "market": ("Market", "市场"),
    "disposal": ("Disposal", "处置方式"), "value": ("Value", "数值"), "field": ("Field", "字段"),
}  # fmt: skip
#: Columns whose unit is per unit of the row's resource (price: CNY per that unit).
PRICE_COLUMNS = ("price_cny",)


def header(column: str, unit: str | None, lang: Lang, row_unit: str = "") -> str:
    """``name (unit)`` of a column in ``lang``; prices are CNY per unit of the row's resource."""
    name = pick(COLUMN_NAMES.get(column), lang, column.replace("_", " "))
    if column in PRICE_COLUMNS:
        unit = f"CNY/{row_unit}" if row_unit else "CNY/unit"
    if not unit or unit == "see unit":
        return name
    return f"{name} ({unit_label(unit, lang)})"


def number_format(values: Sequence[object]) -> str | None:
    """Excel format of a numeric column: thousands separators; decimals only for small numbers."""
    nums = [abs(float(v)) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not nums:
        return None
    return "#,##0" if max(nums) >= 100 else "#,##0.0###"


def fit(ws: Worksheet) -> None:
    """Number formats per column, and each column as wide as its longest cell (10 to 60)."""
    for j, column in enumerate(ws.iter_cols(min_row=1), start=1):
        fmt = number_format([c.value for c in column[1:]])
        if fmt:
            for c in column[1:]:
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    c.number_format = fmt
        longest = max((_width(c.value, fmt) for c in column), default=8)
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(60, longest + 2))


def _width(value: object, fmt: str | None) -> int:
    if isinstance(value, float) and fmt:
        text = f"{value:,.0f}" if fmt == "#,##0" else f"{value:,.4g}"
    else:
        text = "" if value is None else str(value)
    # CJK characters take two columns in Excel.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def definitions(bundles: Sequence[ResultBundle], lang: Lang) -> list[list[str]]:
    """Rows of the definitions sheet: indicator, id, unit, definition."""
    sc = bundles[0].scenario if bundles else None
    names = {r.id: (r.name.en, r.name.zh or r.name.en) for r in sc.resources} if sc else None
    head = [
        ["指标", "编号", "单位", "定义"]
        if lang == "zh"
        else ["Indicator", "Id", "Unit", "Definition"]
    ]
    rows = sorted(kpi_rows(bundles[0]), key=lambda r: kpi_rank(r["kpi"])) if bundles else []
    return head + [
        [
            kpi_name(r["kpi"], lang, names),
            r["kpi"],
            unit_label(r["unit"], lang),
            definition(r["kpi"], lang),
        ]
        for r in rows
    ]
