"""What a result built and carried: newly built links and units, and the amount on each link.

Read from ``builds.csv`` and ``flows.csv`` of a result; the park map draws it and the
briefing's "what to build" table lists it.
"""

from __future__ import annotations

import math

import pandas as pd

from symbio.flows.schema import Link, Scenario


def all_links(scenario: Scenario) -> list[Link]:
    """Every link of the scenario's network (:func:`symbio.flows.graph.build_graph`): the
    explicit ones and the generated candidates; the explicit links alone when the graph cannot
    be built."""
    try:
        from symbio.flows.graph import build_graph

        return list(build_graph(scenario).links)
    except Exception:  # noqa: BLE001 - the map still shows explicit links
        return list(scenario.links)


def _truthy(v: object) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in {"1", "true", "yes", "1.0"}
    try:
        return bool(float(v)) and not math.isnan(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def built_ids(builds: pd.DataFrame, case: str, kind: str) -> set[str]:
    """Ids of links or processes built in ``case`` according to ``builds.csv``.

    Rows of existing assets (``candidate`` false, when the table has that column) are left
    out: only what is newly built counts.
    """
    if builds.empty or not {"kind", "id", "built"} <= set(builds.columns):
        return set()
    b = builds
    if "case" in b.columns:
        b = b[b["case"].astype(str) == case]
    b = b[b["kind"].astype(str) == kind]
    out = set()
    for r in b.to_dict("records"):
        if _truthy(r["built"]) and ("candidate" not in r or _truthy(r["candidate"])):
            out.add(str(r["id"]))
    return out


def link_amounts(flows: pd.DataFrame, case: str) -> dict[str, float]:
    """Total amount carried by each link in ``case`` (summed over slices)."""
    if flows.empty or not {"link", "amount"} <= set(flows.columns):
        return {}
    f = flows
    if "case" in f.columns:
        f = f[f["case"].astype(str) == case]
    return {str(k): float(v) for k, v in f.groupby("link")["amount"].sum().items()}
