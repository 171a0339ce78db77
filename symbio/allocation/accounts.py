"""Enterprise accounts: each account's cost, energy and emissions, with its exchanges settled.

An account is a player (enterprise, site or zone) or the park's common infrastructure
(:data:`~symbio.allocation.players.PARK`). Its *own* cost is what arises at its sites
(processes, purchases, sales, disposal, carbon cost of its emissions, as in the site KPIs),
with each link between two accounts charged by the scenario's ``allocation.shared_assets``
rule instead of half to each end:

    buyer   the receiving account pays the link's annualised capex, fixed O&M and variable cost
    seller  the sending account pays
    split   the buyer pays ``split_ratio``, the seller the rest
    park    the park's account pays

Every unit delivered from one account to another is paid for at the transfer price of the
settlement rule (:mod:`symbio.allocation.prices`): ``net = own + paid - received``. The
payments cancel over the park, so the accounts add up to the park's cost in each case.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from symbio.allocation.cases import CaseState
from symbio.allocation.players import PARK, Players
from symbio.flows.schema import AllocationSettings
from symbio.model.index import ModelIndex

SETTLEMENT_COLUMNS = [
    "case",
    "link",
    "resource",
    "unit",
    "slice",
    "seller",
    "buyer",
    "delivered",
    "seller_value_cny",
    "buyer_value_cny",
    "price_cny",
    "payment_cny",
    "surplus_cny",
    "rule",
]


def buyer_share(rule: str, ratio: float) -> float | None:
    """Buyer's share of a shared link's cost (None: the park pays)."""
    return {"buyer": 1.0, "seller": 0.0, "split": ratio, "park": None}[rule]


def own_costs(
    state: CaseState, players: Players, ix: ModelIndex, settings: AllocationSettings
) -> pd.DataFrame:
    """Own cost, energy and emissions of every account in one case (wide, one row each)."""
    kpis = state.site_kpis
    keep = kpis["kpi"].isin(["total_cost_cny", "energy_tce", "co2_t"]) | kpis["kpi"].str.startswith(
        "emission_"
    )
    df = kpis[keep].assign(account=kpis["site"].map(players.account))
    wide = df.pivot_table(index="account", columns="kpi", values="value", aggfunc="sum").fillna(0.0)
    delta: dict[str, float] = defaultdict(float)
    share = buyer_share(settings.shared_assets, settings.split_ratio)
    for lid, cost in _link_costs(state, ix).items():
        lk = ix.links[lid]
        a, b = players.account[lk.from_], players.account[lk.to]
        if a == b or not cost:
            continue
        delta[a] -= cost / 2  # the site KPIs charged half to each end
        delta[b] -= cost / 2
        if share is None:
            delta[PARK] += cost
        else:
            delta[b] += share * cost
            delta[a] += (1 - share) * cost
    for acc, d in delta.items():
        if acc not in wide.index:
            wide.loc[acc] = 0.0
        wide.loc[acc, "total_cost_cny"] += d
    return wide.rename(columns={"total_cost_cny": "own_cost_cny"})


def _link_costs(state: CaseState, ix: ModelIndex) -> dict[str, float]:
    """Annualised capex, fixed O&M and variable cost of every link in the case (CNY/a)."""
    b = state.tables["builds"]
    cost = dict(
        zip(
            b.loc[b["kind"] == "link", "id"],
            b.loc[b["kind"] == "link", "annualised_cost_cny_a"],
            strict=True,
        )
    )
    fl = state.tables["flows"]
    for lid, amount in zip(fl["link"], fl["amount"], strict=True):
        cost[lid] = cost.get(lid, 0.0) + ix.links[lid].variable_cost_cny * amount
    return cost


def settle(
    state: CaseState,
    players: Players,
    reference: CaseState,
    price: dict[tuple[str, str, str, str], float] | None,
    settings: AllocationSettings,
) -> pd.DataFrame:
    """Settlement of every flow between two accounts in one case.

    ``reference`` gives the marginal values (the baseline's: the parties' alternatives);
    a delivery into the park's common network is valued at the network's marginal value in
    ``state`` itself (the netback of what it passes on);
    ``price`` overrides the rule's price per ``(resource, seller, buyer, slice)`` (the
    individually rational prices).
    """
    from symbio.allocation.prices import rule_price

    rows = []
    fl = state.tables["flows"]
    for rec in fl.to_dict("records"):
        seller, buyer = players.account[rec["from"]], players.account[rec["to"]]
        if seller == buyer or rec["delivered"] <= 0:
            continue
        r, t = rec["resource"], rec["slice"]
        s = reference.marginal.get((rec["from"], r, t), 0.0)
        # the park's network passes resources on: what it takes in is worth what the
        # network pays for it in this case (its netback), not its status-quo value
        values = state.marginal if buyer == PARK else reference.marginal
        b = values.get((rec["to"], r, t), 0.0)
        p = rule_price(settings, s, b)
        if price is not None:
            p = price.get((r, seller, buyer, t), p)
        q = rec["delivered"]
        rows.append(
            [
                state.name,
                rec["link"],
                r,
                rec["unit"],
                t,
                seller,
                buyer,
                q,
                s,
                b,
                p,
                p * q,
                (b - s) * q,
            ]
        )
    rule = "rational" if price is not None else settings.settlement
    return pd.DataFrame([[*x, rule] for x in rows], columns=SETTLEMENT_COLUMNS)


def account_table(
    own: dict[str, pd.DataFrame], settlement: pd.DataFrame, players: Players
) -> pd.DataFrame:
    """Accounts of both cases, one row per account: own, paid, received, net, change."""
    out = pd.DataFrame(index=sorted(set(own["baseline"].index) | set(own["optimized"].index)))
    kpis = sorted(set(own["baseline"].columns) | set(own["optimized"].columns))
    for case, wide in own.items():
        s = settlement[settlement["case"] == case]
        paid = s.groupby("buyer")["payment_cny"].sum()
        got = s.groupby("seller")["payment_cny"].sum()
        w = wide.reindex(index=out.index, columns=kpis).fillna(0.0)
        out[f"own_cost_{case}_cny"] = w["own_cost_cny"]
        out[f"paid_{case}_cny"] = paid.reindex(out.index).fillna(0.0)
        out[f"received_{case}_cny"] = got.reindex(out.index).fillna(0.0)
        out[f"net_cost_{case}_cny"] = (
            out[f"own_cost_{case}_cny"] + out[f"paid_{case}_cny"] - out[f"received_{case}_cny"]
        )
        for col in w.columns:
            if col != "own_cost_cny":
                out[f"{col}_{case}"] = w[col]
    out["gain_cny"] = out["net_cost_baseline_cny"] - out["net_cost_optimized_cny"]
    for col in [c for c in out.columns if c.endswith("_baseline") and not c.endswith("cny")]:
        stem = col.removesuffix("_baseline")
        out[f"{stem}_change"] = out[f"{stem}_optimized"] - out[col]
    out.insert(0, "name_zh", [players.names.get(a, {}).get("zh", a) for a in out.index])
    out.insert(0, "name_en", [players.names.get(a, {}).get("en", a) for a in out.index])
    out.insert(0, "player", [a != PARK for a in out.index])
    return out.rename_axis("account").reset_index()
