"""Net exchange between parties: what one site delivers to another, hubs passed through.

A *party* is every site that is not a hub (``kind: hub``: steam, water or hydrogen headers).
For each resource and slice, what leaves a hub is attributed to what entered it in
proportion (a hub mixes): with ``d_l`` the amount delivered by link l (after its loss) and
``I_h`` everything that enters hub h (deliveries plus its own supply, process output and
purchases, which count as coming from the hub itself)::

    c[h, p] = sum_{l: p -> h} d_l / I_h + sum_{l: h' -> h} d_l / I_h * c[h', p]

is the share of party p in hub h (a linear system over the hubs, solved with numpy), and
the delivery of p to q is ``D[p, q] = sum_{l: p -> q} d_l + sum_{l: h -> q} d_l * c[h, p]``.
What a hub keeps for its own use (its inflow minus what it sends on: a demand or a vent at
the header) is a delivery to the hub, ``D[p, h] = c[h, p] * (I_h - sum_{l: h ->} a_l)``.
Exchange is net per pair and slice, ``max(D[p, q] - D[q, p], 0)``, and nothing a party
sends round a loop back to itself (``D[p, p]``) counts. ``exchanged_<r>`` of a site is the
net amount it receives from other parties; of the park, the sum over its sites.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

COLUMNS = ["resource", "slice", "from", "to", "amount"]


#: One link's flow in a resource and slice: ``(from, to, amount sent, amount delivered)``.
Flow = tuple[str, str, float, float]


def _hub_shares(
    links: list[Flow], hubs: list[str], local: dict[str, float]
) -> tuple[dict[str, int], list[str], np.ndarray, np.ndarray]:
    """Origin shares ``c[h, p]`` of every hub (rows: hubs, columns: origins) and its inflow."""
    hub_at = {h: k for k, h in enumerate(hubs)}
    into = [lk for lk in links if lk[1] in hub_at]
    origins = sorted(
        {*(f for f, *_ in into if f not in hub_at), *(h for h, v in local.items() if v > 0)}
    )
    org_at = {p: k for k, p in enumerate(origins)}
    # sums in Python floats: the same IEEE operations, in the same order, as on numpy
    # float64 elements (a few per group: numpy's per-element cost was most of the time)
    n_h, n_o = len(hubs), len(origins)
    total = [0.0] * n_h
    for h, v in local.items():
        total[hub_at[h]] += max(v, 0.0)
    for _, to, _, d in into:
        total[hub_at[to]] += d
    scale = [1.0 / t if t > 0 else 0.0 for t in total]  # np.divide(1, total, where=total > 0)
    a = [[0.0] * n_h for _ in range(n_h)]
    b = [[0.0] * n_o for _ in range(n_h)]
    for h, v in local.items():
        if v > 0:
            b[hub_at[h]][org_at[h]] += v * scale[hub_at[h]]
    for src, to, _, d in into:
        row = hub_at[to]
        if src in hub_at:
            a[row][hub_at[src]] += d * scale[row]
        else:
            b[row][org_at[src]] += d * scale[row]
    b_arr = np.array(b, dtype=float).reshape(n_h, n_o)
    if not n_h:
        return hub_at, origins, b_arr, np.array(total)
    shares = np.linalg.lstsq(np.eye(n_h) - np.array(a, dtype=float), b_arr, rcond=None)[0]
    return hub_at, origins, shares, np.array(total)


def _deliveries(
    links: list[Flow], hubs: list[str], local: dict[str, float]
) -> dict[tuple[str, str], float]:
    """``D[p, q]``: what party p delivers to party q, through any hubs."""
    hub_at, origins, shares, total = _hub_shares(links, hubs, local)
    out: dict[tuple[str, str], float] = defaultdict(float)
    sent: dict[str, float] = defaultdict(float)
    for src, _, amount, _ in links:
        if src in hub_at:
            sent[src] += amount
    for h, k in hub_at.items():
        kept = total[k] - sent.get(h, 0.0)
        if kept > 1e-9 * max(total[k], 1.0):
            for p, share in zip(origins, shares[k], strict=True):
                if share > 0:
                    out[p, h] += kept * share
    for src, to, _, d in links:
        if to in hub_at:
            continue
        if src in hub_at:
            for p, share in zip(origins, shares[hub_at[src]], strict=True):
                if share > 0:
                    out[p, to] += d * share
        else:
            out[src, to] += d
    return out


def net_exchange(
    flows: pd.DataFrame, hubs: set[str], local: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Net delivery between parties per resource and slice.

    Parameters
    ----------
    flows
        The ``flows`` table of one case (``resource, slice, from, to, delivered`` and
        ``amount``, what is sent; ``amount`` defaults to ``delivered``).
    hubs
        Ids of the hub sites (passed through).
    local
        Optional ``site, resource, slice, amount``: what hubs supply, produce or buy
        themselves (counted as coming from the hub).

    Returns
    -------
    DataFrame
        ``resource, slice, from, to, amount`` with ``amount > 0``: the net delivery of
        ``from`` to ``to`` (one row per pair at most).
    """
    if flows.empty:
        return pd.DataFrame(columns=COLUMNS)
    own: dict[tuple, dict[str, float]] = defaultdict(dict)
    if local is not None and not local.empty:
        at_hubs = local[local["site"].isin(hubs)]
        for site, r, t, v in at_hubs[["site", "resource", "slice", "amount"]].itertuples(
            index=False
        ):
            own[r, t][site] = own[r, t].get(site, 0.0) + float(v)
    if "amount" not in flows.columns:  # lossless: what is sent arrives
        flows = flows.assign(amount=flows["delivered"])
    cols = ("resource", "slice", "from", "to", "amount", "delivered")
    links = zip(*(flows[c].tolist() for c in cols), strict=True)
    return pd.DataFrame(net_rows(links, hubs, own), columns=COLUMNS)


def net_rows(
    links: Iterable[tuple[str, str, str, str, float, float]],
    hubs: set[str],
    own: Mapping[tuple[str, str], dict[str, float]],
) -> list[tuple[str, str, str, str, float]]:
    """The rows of :func:`net_exchange` from plain values.

    ``links``: ``(resource, slice, from, to, amount sent, delivered)`` per link and slice;
    ``own``: ``(resource, slice) -> {hub: what it supplies, produces or buys itself}``.
    """
    rows = []
    groups: dict[tuple, list[Flow]] = defaultdict(list)
    for r, t, f, to, a, d in links:
        if d > 0:
            groups[r, t].append((f, to, float(a), float(d)))
    for (r, t), group in sorted(groups.items()):
        ends = {f for f, *_ in group} | {to for _, to, *_ in group}
        used = sorted(h for h in hubs if h in ends)
        mine = own.get((r, t), {})
        d = _deliveries(group, used, {h: v for h, v in mine.items() if h in used})
        for (p, q), v in d.items():
            net = v - d.get((q, p), 0.0)
            if p != q and net > 0:
                rows.append((r, t, p, q, net))
    return rows


def hub_sources(site_balances: pd.DataFrame, hubs: set[str]) -> pd.DataFrame:
    """What each hub supplies, produces or buys itself: ``site, resource, slice, amount``."""
    b = site_balances[site_balances["site"].isin(hubs)]
    cols = [c for c in ("supply", "process_output", "purchase") if c in b.columns]
    out = b[["site", "resource", "slice"]].copy()
    out["amount"] = b[cols].sum(axis=1) if cols else 0.0
    return out[out["amount"] > 0]
