"""The layout of scenario workbooks: which sheet holds which table, and its columns.

Shared by the writer (:mod:`symbio.flows.xlsx.write`) and the reader
(:mod:`symbio.flows.xlsx.read`); see :mod:`symbio.flows.xlsx.write` for the layout in words.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from openpyxl.styles import PatternFill
from pydantic import BaseModel

from symbio.flows import schema as S

#: Table sheets: sheet -> (scenario field, record model, parent list or None).
TABLES: dict[str, tuple[str, type[BaseModel], str | None]] = {
    "resources": ("resources", S.Resource, None),
    "sites": ("sites", S.Site, None),
    "supplies": ("supplies", S.SiteFlow, "sites"),
    "demands": ("demands", S.SiteFlow, "sites"),
    "audits": ("audits", S.Audit, "sites"),
    "processes": ("processes", S.Process, None),
    "links": ("links", S.Link, None),
    "candidate_links": ("candidate_links", S.CandidateLinks, None),
    "markets": ("markets", S.Market, None),
    "disposal": ("disposal", S.Disposal, None),
    "time_slices": ("time_slices", S.TimeSlice, None),
    "measures": ("measures", S.Measure, None),
    "build_groups": ("build_groups", S.BuildGroup, None),
}
#: Key-value sheets: sheet -> model (``scenario`` holds the scenario's own scalar fields).
SETTINGS: dict[str, type[BaseModel] | None] = {
    "scenario": None,
    "policy": S.Policy,
    "objective": S.Objective,
    "solver": S.SolverSettings,
    "allocation": S.AllocationSettings,
}
#: Sheet of the ``estimates`` table (field path -> method and range) and its columns.
ESTIMATES_SHEET = "estimates"
ESTIMATE_COLUMNS = ("field", "method", "low", "high", "dist", "group")
#: Sheet of the ``sources`` table (field path -> citation or definition) and its columns.
SOURCES_SHEET = "sources"
SOURCE_COLUMNS = ("field", "source")
#: The scenario's own fields on the ``scenario`` sheet. ``extends`` is not among them: a
#: workbook holds the whole resolved scenario, so it extends nothing.
SCENARIO_FIELDS = ("schema_version", "name", "description")
#: Mapping fields -> column prefix (table sheets) or dotted prefix (settings sheets).
DICT_PREFIX = {
    "inputs": "in:",
    "outputs": "out:",
    "output_quality": "q:",
    "input_quality": "qin:",
    "quality_load": "load:",
    "substitutes": "sub:",  # a process's nested {input: {substitute: f}} as sub:input>substitute
    "emissions": "em:",
    "by_slice": "slice:",
    "caps": "caps.",
    "weights": "weights.",
}
CHILD_LISTS = {"supplies", "demands", "audits"}
#: Fields that lead a sheet (then the rest in schema order, provenance last).
FIRST_FIELDS = ("id", "name", "site", "resource", "from_", "to", "candidate")
FREE_TEXT = {"description", "source", "estimate", "en", "zh"}
IGNORED_SHEETS = {"readme", "about", "说明"}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the field path it fills and how."""

    header: str
    path: tuple[str, ...]
    kind: str  # value | coef | list | x | y | dict
    doc: str = ""


def _args(ann: object) -> tuple:
    return typing.get_args(ann) or ((ann,) if ann is not None else ())


def _submodel(ann: object) -> type[BaseModel] | None:
    for a in _args(ann):
        if isinstance(a, type) and issubclass(a, BaseModel) and a is not S.FactorRef:
            return a
    return None


def _kind(ann: object) -> str:
    if any(typing.get_origin(a) is dict or a is dict for a in (ann, *_args(ann))):
        return "dict"
    if any(typing.get_origin(a) is tuple for a in (ann, *_args(ann))):
        return "xy"
    if any(typing.get_origin(a) is list for a in (ann, *_args(ann))):
        return "list"
    if S.FactorRef in _args(ann):
        return "coef"
    return "value"


def columns(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Column]:
    """The fixed columns of a record model (mappings not included), id first, provenance last."""
    fields = list(model.model_fields.items())
    first = [f for key in FIRST_FIELDS for f in fields if f[0] == key]
    last = [f for f in fields if f[0] in ("source", "estimate")]
    middle = [f for f in fields if f not in first and f not in last]
    out: list[Column] = []
    for name, info in first + middle + last:
        key = info.alias or name
        if name in CHILD_LISTS or name in DICT_PREFIX:
            continue
        sub = _submodel(info.annotation)
        kind = _kind(info.annotation)
        doc = (info.description or "").replace("``", "")
        if sub is not None and kind not in ("list", "dict"):
            out += columns(sub, (*prefix, key))
        elif kind == "xy":
            out += [
                Column("x_km", (*prefix, key), "x", doc),
                Column("y_km", (*prefix, key), "y", doc),
            ]
        else:
            out.append(Column(".".join((*prefix, key)), (*prefix, key), kind, doc))
    return out


def dict_fields(model: type[BaseModel]) -> dict[str, str]:
    """Mapping fields of ``model`` -> prefix."""
    return {n: DICT_PREFIX[n] for n in model.model_fields if n in DICT_PREFIX}


def _cell(value: object) -> object:
    if isinstance(value, S.FactorRef):
        return f"factor:{value.factor}"
    if isinstance(value, dict) and set(value) == {"factor"}:
        return f"factor:{value['factor']}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def flatten(record: BaseModel, model: type[BaseModel], settings: bool = False) -> dict[str, object]:
    """The cells of one record: header -> value, only for the fields the record sets."""
    out: dict[str, object] = {}
    _flatten_into(out, record, model, (), settings)
    return out


def _flatten_into(
    out: dict, record: BaseModel, model: type[BaseModel], prefix: tuple, settings: bool
) -> None:
    for name in model.model_fields:
        if name not in record.model_fields_set or name in CHILD_LISTS:
            continue
        info = model.model_fields[name]
        key = info.alias or name
        value = getattr(record, name)
        if value is None:
            continue
        if name in DICT_PREFIX:
            pre = f"{name}." if settings else DICT_PREFIX[name]
            for k, v in value.items():
                if isinstance(v, dict) and set(v) != {"factor"}:
                    out.update({f"{pre}{k}>{k2}": _cell(v2) for k2, v2 in v.items()})
                else:
                    out[f"{pre}{k}"] = _cell(v)
            continue
        sub = _submodel(info.annotation)
        if sub is not None and isinstance(value, BaseModel):
            _flatten_into(out, value, sub, (*prefix, key), settings)
        elif _kind(info.annotation) == "xy":
            out["x_km"], out["y_km"] = value
        else:
            out[".".join((*prefix, key))] = _cell(value)


#: First characters by which a spreadsheet takes a cell for a formula.
FORMULA_START = ("=", "+", "-", "@")


def keep_text(ws: typing.Any) -> None:
    """Make every text cell of worksheet ``ws`` that starts like a formula plain text.

    openpyxl stores a string starting with ``=`` as a formula; a scenario description or
    a label from a weights file must never run in the planner's spreadsheet. Such cells are
    stored as text and given Excel's quote prefix (so editing them keeps them text).
    """
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
