"""Replace quantity strings (``20 t/h``, ``40 kmol/h``) in raw scenario data by numbers.

Runs before validation, like the factor references: every field that holds an amount may
hold a quantity string instead (see :mod:`symbio.flows.rates`). A string that cannot be
converted is reported with its file, line and field, and left for nothing else to trip on.

=========================================  =======================================
field                                      converted to
=========================================  =======================================
``sites[].supplies[]/demands[].amount``    resource unit per year
``....by_slice.<slice>``                   resource unit in that slice (rate x its hours)
``processes[].capacity``                   activity unit per year (when it is a unit)
``processes[].quality_load.<r>``           quality unit x resource unit of ``r`` per year
``links[]/candidate_links[].capacity``     resource unit per year
``markets[].buy_cap/sell_cap``             resource unit per year
``disposal[].cap``                         resource unit per year
=========================================  =======================================
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from symbio.errors import Problem
from symbio.flows.rates import is_quantity, to_resource_unit
from symbio.flows.yamlsource import Located, format_path, item_segment

#: (path, container, key, target unit or None, resource record or None, slice hours)
Target = tuple[tuple[str, ...], dict, str, object, dict | None, float | None]


def _records(data: dict, family: str) -> list[tuple[str, dict]]:
    items = data.get(family)
    if not isinstance(items, list):
        return []
    return [(item_segment(family, r, i), r) for i, r in enumerate(items) if isinstance(r, dict)]


def _site_targets(data: dict, res: dict[str, dict], hours: dict[str, float]) -> Iterator[Target]:
    for seg, site in _records(data, "sites"):
        for lst in ("supplies", "demands"):
            flows = site.get(lst) if isinstance(site.get(lst), list) else []
            for i, f in enumerate(flows):
                if not isinstance(f, dict):
                    continue
                rec = res.get(f.get("resource")) if isinstance(f.get("resource"), str) else None
                unit = rec.get("unit") if rec else None
                base = ("sites", seg, lst, item_segment(lst, f, i))
                yield (*base, "amount"), f, "amount", unit, rec, None
                if isinstance(f.get("by_slice"), dict):
                    for sl in f["by_slice"]:
                        path = (*base, "by_slice", str(sl))
                        yield path, f["by_slice"], sl, unit, rec, hours.get(sl)


def _targets(data: dict) -> Iterator[Target]:
    res = {r["id"]: r for _, r in _records(data, "resources") if isinstance(r.get("id"), str)}
    hours = {
        t["id"]: t["hours"]
        for _, t in _records(data, "time_slices")
        if isinstance(t.get("id"), str) and isinstance(t.get("hours"), int | float)
    }
    yield from _site_targets(data, res, hours)

    def of(rec: dict) -> dict | None:
        rid = rec.get("resource")
        return res.get(rid) if isinstance(rid, str) else None

    for fam, keys in (
        ("links", ("capacity",)),
        ("candidate_links", ("capacity",)),
        ("markets", ("buy_cap", "sell_cap")),
        ("disposal", ("cap",)),
    ):
        for seg, rec in _records(data, fam):
            r = of(rec)
            for key in keys:
                yield (fam, seg, key), rec, key, r.get("unit") if r else None, r, None
    for seg, p in _records(data, "processes"):
        yield (
            ("processes", seg, "capacity"),
            p,
            "capacity",
            p.get("activity_unit", "unit"),
            None,
            None,
        )
        loads = p.get("quality_load")
        for rid in loads if isinstance(loads, dict) else ():
            r = res.get(rid)
            q = r.get("quality") if r else None
            unit = f"{q.get('unit')} * {r.get('unit')}" if isinstance(q, dict) else None
            yield ("processes", seg, "quality_load", str(rid)), loads, rid, unit, r, None


def resolve_quantities(
    data: dict, file: str, located: Located, *, owned: bool = False
) -> tuple[dict, list[Problem]]:
    """Return ``data`` with every quantity string converted, and the problems found.

    The returned data is a deep copy of ``data``, or ``data`` itself, changed, when the
    caller ``owned`` it and nothing else refers to it.
    """
    data = data if owned else copy.deepcopy(data)
    problems: list[Problem] = []
    for path, container, key, unit, rec, slice_hours in list(_targets(data)):
        value = container.get(key)
        if not is_quantity(value):
            continue  # a number, or something pydantic will report
        line = located.where.get(path, (file, None))
        if not isinstance(unit, str):
            msg = (
                f"{value!r}: the unit to convert to is not known (check the resource and its unit)"
            )
            problems.append(Problem(line[0], format_path(path), msg, line[1]))
            continue
        try:
            container[key] = to_resource_unit(
                value,
                unit,
                slice_hours=slice_hours,
                molar_volume=(rec or {}).get("molar_volume_nm3_per_kmol"),
                molar_mass=(rec or {}).get("molar_mass_kg_per_kmol"),
            )
        except ValueError as exc:
            problems.append(Problem(line[0], format_path(path), str(exc), line[1]))
    return data, problems


#: Fields (by model) that accept a quantity string; map fields accept one per value.
QUANTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "SiteFlow": ("amount", "by_slice"),
    "Process": ("capacity", "quality_load"),
    "Link": ("capacity",),
    "CandidateLinks": ("capacity",),
    "Market": ("buy_cap", "sell_cap"),
    "Disposal": ("cap",),
}
_QUANTITY_SCHEMA = {
    "type": "string",
    "pattern": r"^\s*[-+]?(\d[\d_,]*\.?\d*|\.\d+)([eE][-+]?\d+)?\s*[A-Za-z%/µ]",
    "description": "an amount with a unit, e.g. '20 t/h' (converted to the resource unit)",
}


def _quantify(node: dict) -> dict:
    """``node`` accepting a quantity string where it accepts a number (maps: per value)."""
    if "patternProperties" in node:
        pats = node["patternProperties"]
        return {**node, "patternProperties": {k: _quantify(v) for k, v in pats.items()}}
    if "anyOf" in node:
        branches = [_quantify(b) for b in node["anyOf"]]
        return {**node, "anyOf": branches}
    if node.get("type") in ("number", "integer"):
        return {"anyOf": [node, _QUANTITY_SCHEMA]}
    return node


def allow_quantities(schema: dict) -> dict:
    """Let the JSON Schema accept quantity strings where the loader converts them.

    Also lets every ``Names`` (names, the description) be a plain string, as the loader does.
    """
    defs = schema.get("$defs", {})
    for model, fields in QUANTITY_FIELDS.items():
        props = defs.get(model, {}).get("properties", {})
        for name in fields:
            if name in props:
                props[name] = _quantify(props[name])
    if "Names" in defs:
        defs["Names"] = {"anyOf": [{"type": "string"}, defs["Names"]], "title": "Names"}
    return schema
