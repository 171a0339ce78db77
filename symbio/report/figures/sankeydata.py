"""What a flow diagram (Sankey) shows: its nodes in columns and the ribbons between them.

Per resource: origins (sending sites, purchases) → destinations (receiving sites, disposal,
sales). For the park: sending site → resource → receiving site for every resource measured
in the park's most common unit. Site-to-site ribbons are the net exchange between parties
(:mod:`symbio.model.exchange`: hubs and headers passed through, net per pair and slice), the
same amounts as the ``exchanged_<resource>`` KPIs. Drawing: :mod:`symbio.report.figures.sankey`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from symbio.flows.schema import Scenario
from symbio.model.exchange import hub_sources, net_exchange
from symbio.report.figures.names import resource_name, site_name
from symbio.report.figures.style import NEUTRAL
from symbio.report.labels import Lang, t


@dataclass
class Ribbon:
    """One band of a Sankey diagram from node ``src`` (column i) to ``dst`` (column i+1)."""

    src: str
    dst: str
    value: float
    color: str


def _case(df: pd.DataFrame, case: str) -> pd.DataFrame:
    if "case" in df.columns:
        return df[df["case"].astype(str) == case]
    return df


def _sum_by(df: pd.DataFrame, keys: list[str]) -> list[tuple]:
    if df.empty or not set(keys) | {"amount"} <= set(df.columns):
        return []
    g = df.groupby(keys, sort=True)["amount"].sum()
    return [(*(k if isinstance(k, tuple) else (k,)), float(v)) for k, v in g.items() if v > 0]


def exchanges(
    tables: dict[str, pd.DataFrame], case: str, scenario: Scenario | None
) -> pd.DataFrame:
    """Net party-to-party deliveries of one case (``resource, slice, from, to, amount``)."""
    flows = _case(tables.get("flows", pd.DataFrame()), case)
    if flows.empty or not {"from", "to", "resource", "amount"} <= set(flows.columns):
        return pd.DataFrame(columns=["resource", "slice", "from", "to", "amount"])
    flows = flows.assign(
        delivered=flows["delivered"] if "delivered" in flows.columns else flows["amount"],
        slice=flows["slice"] if "slice" in flows.columns else "year",
    ).astype({"from": str, "to": str, "resource": str})
    hubs = {x.id for x in scenario.sites if x.kind == "hub"} if scenario else set()
    balances = _case(tables.get("site_balances", pd.DataFrame()), case)
    local = hub_sources(balances, hubs) if hubs and not balances.empty else None
    return net_exchange(flows, hubs, local)


def resource_ribbons(
    tables: dict[str, pd.DataFrame],
    resource: str,
    case: str,
    lang: Lang,
    scenario: Scenario | None,
    color: str = "#0072B2",
    exchanged: pd.DataFrame | None = None,
) -> tuple[list[list[str]], list[Ribbon], dict[str, str]]:
    """Columns, ribbons and node labels of one resource's flow diagram (``exchanged``: the
    case's :func:`exchanges`, when already computed)."""
    labels: dict[str, str] = {}

    def site(sid: str, side: str) -> str:
        key = f"{side}:{sid}"
        labels[key] = site_name(scenario, sid, lang) if scenario else sid
        return key

    ribbons: list[Ribbon] = []
    flows = exchanges(tables, case, scenario) if exchanged is None else exchanged
    if not flows.empty:
        flows = flows[flows["resource"].astype(str) == resource]
        for a, b, v in _sum_by(flows, ["from", "to"]):
            ribbons.append(Ribbon(site(str(a), "L"), site(str(b), "R"), v, color))
    for table, node, color, inbound in (
        ("purchases", "purchase", "#B0BEC5", True),
        ("disposal", "disposal", "#9E9E9E", False),
        ("sales", "sale", "#80CBC4", False),
    ):
        df = _case(tables.get(table, pd.DataFrame()), case)
        if "resource" not in df.columns or "site" not in df.columns:
            continue
        df = df[df["resource"].astype(str) == resource]
        for s, v in _sum_by(df, ["site"]):
            side_node = f"{'L' if inbound else 'R'}:*{node}"
            labels[side_node] = t(node, lang)
            if inbound:
                ribbons.append(Ribbon(side_node, site(str(s), "R"), v, color))
            else:
                ribbons.append(Ribbon(site(str(s), "L"), side_node, v, color))
    left = [r.src for r in ribbons]
    right = [r.dst for r in ribbons]
    return [list(dict.fromkeys(left)), list(dict.fromkeys(right))], ribbons, labels


def park_ribbons(
    tables: dict[str, pd.DataFrame],
    case: str,
    lang: Lang,
    scenario: Scenario | None,
    colors: dict[str, str],
    exchanged: pd.DataFrame | None = None,
) -> tuple[list[list[str]], list[Ribbon], dict[str, str], str, list[str]]:
    """Columns, ribbons, labels, the common unit and left-out resources of the park diagram
    (``exchanged``: the case's :func:`exchanges`, when already computed)."""
    flows = exchanges(tables, case, scenario) if exchanged is None else exchanged
    if flows.empty:
        return [[], [], []], [], {}, "", []
    units = {r.id: r.unit for r in scenario.resources} if scenario else {}
    present = [str(r) for r in flows["resource"].unique()]
    common = Counter(units.get(r, "t") for r in present).most_common(1)[0][0]
    kept = [r for r in present if units.get(r, "t") == common]
    left_out = [r for r in present if r not in kept]
    labels: dict[str, str] = {}
    ribbons: list[Ribbon] = []
    for a, r, b, v in _sum_by(
        flows[flows["resource"].astype(str).isin(kept)], ["from", "resource", "to"]
    ):
        la, lr, lb = f"L:{a}", f"M:{r}", f"R:{b}"
        labels[la] = site_name(scenario, str(a), lang) if scenario else str(a)
        labels[lb] = site_name(scenario, str(b), lang) if scenario else str(b)
        labels[lr] = resource_name(scenario, str(r), lang)
        color = colors.get(str(r), NEUTRAL)
        ribbons.append(Ribbon(la, lr, v, color))
        ribbons.append(Ribbon(lr, lb, v, color))
    cols: list[list[str]] = [[], [], []]
    for rb in ribbons:
        for key in (rb.src, rb.dst):
            i = {"L": 0, "M": 1, "R": 2}[key[0]]
            if key not in cols[i]:
                cols[i].append(key)
    return cols, ribbons, labels, common, left_out


def order_columns(columns: list[list[str]], ribbons: list[Ribbon]) -> list[list[str]]:
    """Order nodes to cross few ribbons: the busiest column by size, the others by barycentre.

    The anchor column (the middle one of three, else the first) is sorted by throughput,
    largest on top; each other node sits at the flow-weighted mean position of the nodes it
    connects to. Market, disposal and sale nodes (``*`` keys) go last.
    """
    total: dict[str, float] = defaultdict(float)
    links: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for rb in ribbons:
        total[rb.src] += rb.value
        total[rb.dst] += rb.value
        links[rb.src].append((rb.dst, rb.value))
        links[rb.dst].append((rb.src, rb.value))
    anchor = 1 if len(columns) == 3 else 0
    out = [list(c) for c in columns]
    out[anchor] = sorted(out[anchor], key=lambda k: (k[2:3] == "*", -total[k], k))
    rank = {k: i for i, k in enumerate(out[anchor])}
    for i, col in enumerate(out):
        if i == anchor:
            continue

        def bary(k: str) -> float:
            pairs = [(rank[o], v) for o, v in links[k] if o in rank]
            w = sum(v for _, v in pairs)
            return sum(r * v for r, v in pairs) / w if w else float("inf")

        out[i] = sorted(col, key=lambda k: (k[2:3] == "*", bary(k), -total[k], k))
    return out


def through(ribbons: list[Ribbon]) -> dict[str, float]:
    """Flow through each node: the larger of what enters and what leaves it."""
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for rb in ribbons:
        outflow[rb.src] += rb.value
        inflow[rb.dst] += rb.value
    return defaultdict(float, {k: max(inflow[k], outflow[k]) for k in {*inflow, *outflow}})
