"""The "who gains, who pays" section of the briefing and the workbook (zh/en).

Reads an allocation directory (``symbio allocate --out DIR``: tables and
``allocation.json``) and turns it into formatted strings for the briefing template
(``templates/allocation.html.j2``) and sheets for the result workbook. It never imports
:mod:`symbio.allocation` (reports read tables only); the file names live here and the
writer takes them from here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from symbio.errors import InputError
from symbio.report.labels import Lang, fmt_money, fmt_num

#: Table -> file of an allocation directory.
ALLOCATION_FILES = {
    "accounts": "enterprise_accounts.csv",
    "settlement": "exchange_settlement.csv",
    "values": "coalition_values.csv",
    "allocation": "allocation.csv",
    "pairs": "pair_values.csv",
}
ALLOCATION_SUMMARY = "allocation.json"

TEXT: dict[str, tuple[str, str]] = {
    "sec": ("Who gains, who pays", "谁得益、谁付费"),
    "account": ("Enterprise", "企业"),
    "gain": ("Cost saving, settled", "成本节约（结算后）"),
    "gain_market": ("at market prices", "按市场价"),
    "co2": ("CO2 change, t/a", "CO2 变化（吨/年）"),
    "shapley": ("Shapley share", "Shapley 分配"),
    "nucleolus": ("Nucleolus", "核仁分配"),
    "park": ("park (common infrastructure)", "园区（公共设施）"),
    "side": ("Exchanges that need a side payment", "需要补偿的交换"),
    "side_none": (
        "Under the chosen settlement no enterprise is worse off than today.",
        "按所选结算规则，没有企业比现状更差。",
    ),
    "partners": ("exchanges with", "交换对象"),
    "loss": ("worse off by", "比现状多付"),
}
RULES = {
    "market": ("market price (the buyer's alternative)", "市场价（买方替代成本）"),
    "cost_plus": ("cost plus margin", "成本加成"),
    "split_savings": ("split of the savings", "节约分成"),
    "rational": ("individually rational prices", "个体理性价格"),
}
ASSETS = {
    "buyer": ("the buyer", "买方"),
    "seller": ("the seller", "卖方"),
    "split": ("buyer and seller", "买卖双方分摊"),
    "park": ("the park", "园区"),
}


def _t(key: str, lang: Lang, table: dict = TEXT) -> str:
    en, zh = table[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class AllocationView:
    """An allocation directory as read: its tables and summary."""

    tables: dict[str, pd.DataFrame]
    summary: dict


def load_allocation(folder: str | Path) -> AllocationView:
    """Read an allocation directory (InputError naming it when it is not one)."""
    d = Path(folder)
    if not (d / ALLOCATION_SUMMARY).is_file():
        raise InputError(str(d), "", f"not an allocation directory (no {ALLOCATION_SUMMARY})")
    tables = {}
    for k, name in ALLOCATION_FILES.items():
        f = d / name
        tables[k] = pd.read_csv(f) if f.is_file() and f.stat().st_size > 1 else pd.DataFrame()
    return AllocationView(tables, json.loads((d / ALLOCATION_SUMMARY).read_text(encoding="utf-8")))


def _name(row: pd.Series, lang: Lang) -> str:
    if row["account"] == "park":
        return _t("park", lang)
    zh, en = row.get("name_zh"), row.get("name_en")
    pick = zh if lang == "zh" and isinstance(zh, str) else en
    return pick if isinstance(pick, str) else str(row["account"])


def _rows(view: AllocationView, lang: Lang) -> list[dict]:
    acc = view.tables["accounts"]
    shares = (
        view.tables["allocation"].set_index("player")
        if not view.tables["allocation"].empty
        else None
    )
    rows = []
    for _, r in acc.sort_values("gain_cny", ascending=False).iterrows():
        if (
            abs(r["gain_cny"]) < 1
            and abs(r.get("gain_market_cny", 0.0)) < 1
            and not (
                shares is not None
                and r["account"] in shares.index
                and abs(shares.at[r["account"], "shapley_cny"]) >= 1
            )
        ):
            continue  # an account the network leaves untouched
        nuc = (
            shares.at[r["account"], "nucleolus_cny"]
            if shares is not None and r["account"] in shares.index
            else math.nan
        )
        shap = r.get("shapley_cny", math.nan)
        rows.append(
            {
                "name": _name(r, lang),
                "gain": fmt_money(r["gain_cny"], lang),
                "tone": "good" if r["gain_cny"] > 0 else ("bad" if r["gain_cny"] < 0 else ""),
                "gain_market": fmt_money(r.get("gain_market_cny", math.nan), lang),
                "co2": fmt_num(r.get("co2_t_change", math.nan)),
                "shapley": fmt_money(shap, lang) if pd.notna(shap) else "–",
                "nucleolus": fmt_money(nuc, lang) if pd.notna(nuc) else "–",
            }
        )
    return rows


def _side_payments(view: AllocationView, lang: Lang) -> list[str]:
    acc, st = view.tables["accounts"], view.tables["settlement"]
    opt = st[st["case"] == "optimized"] if not st.empty else st
    out = []
    for _, r in acc[acc["gain_cny"] < -1.0].iterrows():
        partners = sorted(
            set(opt.loc[opt["buyer"] == r["account"], "seller"])
            | set(opt.loc[opt["seller"] == r["account"], "buyer"])
        )
        names = dict(zip(acc["account"], [_name(x, lang) for _, x in acc.iterrows()], strict=True))
        who = ", ".join(names.get(p, p) for p in partners) or "–"
        out.append(
            f"{_name(r, lang)}: {_t('loss', lang)} {fmt_money(-r['gain_cny'], lang)}; "
            f"{_t('partners', lang)}: {who}"
        )
    return out


def _lead(s: dict, lang: Lang) -> list[str]:
    zh = lang == "zh"
    grand = fmt_money(s.get("grand_value_cny", math.nan), lang)
    n = s.get("coalitions", s.get("coalitions_solved", 0))
    k = s.get("coalitions_solved", n)
    exact = s.get("exact", True)
    method = s.get("method", "shapley")
    core = (s.get("core") or {}).get(method)
    out = [
        (
            f"企业间合作每年共节约 {grand}（{n} 个联盟的价值，其中 {k} 个单独求解、其余精确沿用"
            f"更大联盟的最优解；{'精确' if exact else '抽样'} Shapley 值）。"
        )
        if zh
        else f"Cooperation between the enterprises saves {grand} a year (values of {n} coalitions, "
        f"{k} solved and the rest exactly from a larger coalition's optimum; "
        f"{'exact' if exact else 'sampled'} Shapley value)."
    ]
    rule = _t(s.get("settlement", "market"), lang, RULES)
    asset = _t(s.get("shared_assets", "split"), lang, ASSETS)
    out.append(
        f"交换按{rule}结算；共用管线与设施由{asset}出资。"
        if zh
        else f"Exchanges are settled at the {rule}; shared pipelines are paid by {asset}."
    )
    if core is not None:
        if core["in_core"]:
            out.append(
                "该分配位于核心内：任何企业组合单独行动都不会更好，安排是稳定的。"
                if zh
                else "The split is in the core: no group of enterprises does better on its own; the arrangement is stable."
            )
        else:
            excess = fmt_money(core["max_excess_cny"], lang)
            out.append(
                f"该分配不在核心内：部分企业单独合作可多得 {excess}。"
                if zh
                else f"The split is not in the core: a group of enterprises would gain {excess} more on its own."
            )
    if s.get("core_empty"):
        lc = fmt_money(s.get("least_core_cny", math.nan), lang)
        out.append(
            f"核心为空：须对每个联盟补贴 {lc}/年才能稳定（最小核心）。"
            if zh
            else f"The core is empty: a stable split needs a subsidy of {lc}/a to every coalition (least core)."
        )
    rp = s.get("rational_prices") or {}
    if rp.get("feasible"):
        out.append(
            "存在使每家企业都不差于现状的转移价格。"
            if zh
            else "Transfer prices exist that leave every enterprise at least as well off as today."
        )
    elif rp:
        who = ", ".join(rp.get("blocking", {}))
        out.append(
            f"不存在使所有企业都不差于现状的转移价格；阻碍者：{who}。"
            if zh
            else f"No transfer prices leave every enterprise as well off as today; blocked by {who}."
        )
    return out


def allocation_section(view: AllocationView | None, lang: Lang) -> dict | None:
    """Strings of the "who gains, who pays" section (None without an allocation)."""
    if view is None:
        return None
    s = view.summary
    return {
        "T": {k: _t(k, lang) for k in TEXT},
        "lead": _lead(s, lang),
        "rows": _rows(view, lang),
        "side": _side_payments(view, lang),
    }


def allocation_sheets(view: AllocationView) -> dict[str, pd.DataFrame]:
    """Workbook sheets: accounts, settlement, allocation, coalition values, pair values."""
    names = {
        "accounts": "who_gains_accounts",
        "settlement": "who_gains_settlement",
        "allocation": "who_gains_allocation",
        "values": "coalition_values",
        "pairs": "pair_values",
    }
    return {names[k]: df for k, df in view.tables.items() if not df.empty}
