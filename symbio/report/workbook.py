"""Scenario workbooks: a scenario as an Excel template, one sheet per table, and back.

For planners who keep their data in Excel. :func:`write_scenario_workbook` writes a scenario;
:func:`read_scenario_workbook` reads one (``symbio.load_scenario`` calls it for ``.xlsx``) and
validates it exactly like a YAML file; every error names the sheet, the row and the column.

Layout (see ``docs/briefing.md``):

* table sheets, one row per record, a header row of field names: ``resources``, ``sites``,
  ``supplies`` / ``demands`` / ``audits`` (a ``site`` column names the site), ``processes``,
  ``links``, ``candidate_links``, ``markets``, ``disposal``, ``time_slices``, ``measures``;
* nested fields use dotted headers (``name.en``, ``name.zh``, ``quality.sense``,
  ``economics.employees``); a site's position is ``x_km`` and ``y_km``;
* mappings are spread over prefixed columns, one per key: ``in:h2`` / ``out:cl2``
  (process inputs and outputs per unit of activity), ``q:h2`` (output quality), ``em:co2``
  (emissions per unit), ``slice:summer`` (amount per time slice);
* lists of ids (``members``, ``from_sites``, ``to_sites``) are one cell, comma-separated;
* a factor reference is the text ``factor:KEY``;
* ``scenario``, ``policy``, ``objective`` and ``solver`` are two-column sheets (``field``,
  ``value``); mappings there use dotted fields (``caps.co2``, ``weights.cost``);
* an empty cell means "not given" (the default applies); a ``readme`` sheet is ignored.
"""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from symbio.errors import Problem, ScenarioError
from symbio.flows import schema as S
from symbio.flows.yamlsource import Located, format_path, item_segment

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
}
#: Key-value sheets: sheet -> model (``scenario`` holds the scenario's own scalar fields).
SETTINGS: dict[str, type[BaseModel] | None] = {
    "scenario": None,
    "policy": S.Policy,
    "objective": S.Objective,
    "solver": S.SolverSettings,
}
#: The scenario's own fields on the ``scenario`` sheet. ``extends`` is not among them: a
#: workbook holds the whole resolved scenario, so it extends nothing.
SCENARIO_FIELDS = ("schema_version", "name", "description")
#: Mapping fields -> column prefix (table sheets) or dotted prefix (settings sheets).
DICT_PREFIX = {
    "inputs": "in:",
    "outputs": "out:",
    "output_quality": "q:",
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


def _dict_fields(model: type[BaseModel]) -> dict[str, str]:
    """Mapping fields of ``model`` -> prefix."""
    return {n: DICT_PREFIX[n] for n in model.model_fields if n in DICT_PREFIX}


# --------------------------------------------------------------------------- writing


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
                out[f"{pre}{k}"] = _cell(v)
            continue
        sub = _submodel(info.annotation)
        if sub is not None and isinstance(value, BaseModel):
            _flatten_into(out, value, sub, (*prefix, key), settings)
        elif _kind(info.annotation) == "xy":
            out["x_km"], out["y_km"] = value
        else:
            out[".".join((*prefix, key))] = _cell(value)


_FACTOR_PATH = re.compile(r"^(\w+)\[([^\]]+)\]\.(tce_per_unit|emissions\.(\w+))$")


def _factor_cells(scenario: S.Scenario) -> dict[tuple[str, str, str], str]:
    """(sheet, record id, header) -> factor key of every number taken from the factor set."""
    from symbio.flows.load import scenario_origin

    out = {}
    for use in scenario_origin(scenario).get("factors", []):
        m = _FACTOR_PATH.match(str(use.get("path", "")))
        if m and use.get("factor"):
            header = "tce_per_unit" if m.group(3) == "tce_per_unit" else f"em:{m.group(4)}"
            out[(m.group(1), m.group(2), header)] = str(use["factor"])
    return out


def write_scenario_workbook(scenario: S.Scenario, path: str | Path) -> Path:
    """Write ``scenario`` as a workbook template (one sheet per table).

    Parameters
    ----------
    scenario
        A loaded scenario (e.g. from :func:`symbio.load_scenario`).
    path
        The ``.xlsx`` file to write.

    Returns
    -------
    pathlib.Path
        ``path``. Reading it back with :func:`read_scenario_workbook` gives an equal scenario
        (``extends`` aside: the workbook holds the scenario with its chain resolved).
        Numbers the scenario took from its factor set are written as ``factor:KEY``, so
        their provenance survives the round trip.
    """
    path = Path(path)
    factors = _factor_cells(scenario)
    wb = Workbook()
    readme = wb.active
    readme.title = "readme"
    from symbio.flows.load import scenario_origin

    origin = scenario_origin(scenario)
    for line in README_LINES:
        readme.append([line])
    readme.append([f"Exported from {origin.get('file') or 'a scenario'} (sha256 {origin.get('sha256')}); "
                   "any 'extends' chain is resolved: this workbook holds the whole scenario."])  # fmt: skip
    readme.column_dimensions["A"].width = 110
    meta = {k: getattr(scenario, k) for k in SCENARIO_FIELDS if k in scenario.model_fields_set}
    rows = []
    for k, v in meta.items():
        if isinstance(v, BaseModel):
            rows += [(f"{k}.{sk}", sv) for sk, sv in flatten(v, type(v)).items()]
        else:
            rows.append((k, v))
    _settings_sheet(wb, "scenario", rows)
    for sheet, (field, model, parent) in TABLES.items():
        records: list[tuple[str | None, BaseModel]] = []
        if parent:
            records = [(site.id, r) for site in scenario.sites for r in getattr(site, field)]
        elif field in scenario.model_fields_set:
            records = [(None, r) for r in getattr(scenario, field)]
        _table_sheet(wb, sheet, model, records, parent is not None, factors)
    for sheet, model in SETTINGS.items():
        if model is None:
            continue
        value = getattr(scenario, sheet)
        _settings_sheet(wb, sheet, list(flatten(value, model, settings=True).items()), model)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _table_sheet(wb: Workbook, sheet: str, model: type[BaseModel], records: list, child: bool,
                 factors: dict[tuple[str, str, str], str]) -> None:  # fmt: skip
    ws = wb.create_sheet(sheet)
    cols = ([Column("site", ("site",), "value", "Id of the site")] if child else []) + columns(
        model
    )
    flat = [({"site": sid} if child else {}) | flatten(rec, model) for sid, rec in records]
    for (_sid, rec), row in zip(records, flat, strict=True):
        for h in row:
            key = factors.get((sheet, str(getattr(rec, "id", "")), h))
            if key:
                row[h] = f"factor:{key}"
    headers = [c.header for c in cols]
    for prefix in _dict_fields(model).values():
        extra = [h for row in flat for h in row if h.startswith(prefix)]
        if not extra and prefix == "em:":
            extra = ["em:co2"]
        headers += list(dict.fromkeys(extra))
    docs = {c.header: c.doc for c in cols}
    ws.append(headers)
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        if docs.get(h):
            cell.comment = Comment(docs[h], "symbio")
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(h) + 4))
    for row in flat:
        ws.append([row.get(h) for h in headers])
    ws.freeze_panes = "B2"


def _settings_sheet(
    wb: Workbook, sheet: str, rows: list, model: type[BaseModel] | None = None
) -> None:
    ws = wb.create_sheet(sheet)
    ws.append(["field", "value", "note"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    docs = {c.header: c.doc for c in columns(model)} if model else {}
    given = dict(rows)
    keys = list(given)
    if model is not None:  # list every field so the template shows what can be set
        keys = list(dict.fromkeys([*keys, *(c.header for c in columns(model))]))
    for k in keys:
        ws.append([k, given.get(k), docs.get(k, "")])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 70


README_LINES = [
    "symbio scenario workbook / symbio 情景数据工作簿",
    "",
    "One sheet per table, one row per record; row 1 holds the field names. 每个数据表一张工作表，每行一条记录，第1行为字段名。",
    "supplies / demands / audits: the 'site' column names the site. 供给/需求/审核表用 site 列指明企业。",
    "Nested fields: name.en, name.zh, quality.sense, economics.employees; position: x_km, y_km.",
    "Per-key columns: in:<resource>, out:<resource> (per unit of activity), q:<resource> (output quality), "
    "em:<species> (t per unit), slice:<time slice>. Add a column to add a key. 增加列即可增加键。",
    "Lists of ids (members, from_sites, to_sites): one cell, comma-separated. 多个编号用逗号分隔。",
    "A factor from the factor set: factor:KEY. Empty cell = not given (the default applies). 空单元格表示未填写。",
    "scenario / policy / objective / solver: two columns, field and value; mappings as caps.co2, weights.cost.",
    "Every record may carry 'source' (a citation) or 'estimate' (the method). 每条记录可填写 source（出处）或 estimate（估算方法）。",
    "Check and convert: symbio import-xlsx FILE.xlsx --out scenario.yaml",
]


# --------------------------------------------------------------------------- reading


class _Reader:
    """Collects plain scenario data, where each value came from, and the problems found."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where: dict[tuple, tuple[str, int]] = {}
        self.cells: dict[str, tuple[str, str]] = {}  # formatted path -> (column letter, header)
        self.problems: list[Problem] = []

    def file(self, sheet: str) -> str:
        return f"{self.path}[{sheet}]"

    def problem(self, sheet: str, row: int, col: int | None, message: str, path: str = "") -> None:
        where = f"column {get_column_letter(col)}: " if col else ""
        self.problems.append(Problem(self.file(sheet), path or sheet, where + message, row))

    def mark(
        self, sheet: str, row: int, path: tuple, col: int | None = None, header: str = ""
    ) -> None:
        self.where[path] = (self.file(sheet), row)
        if col:
            self.cells[format_path(path)] = (get_column_letter(col), header)


def _set(data: dict, path: tuple[str, ...], value: object) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _value(kind: str, header: str, value: object) -> object:
    if isinstance(value, str):
        if header.split(".")[-1] not in FREE_TEXT:
            value = value.strip()
        if kind in ("coef", "dict") and value.startswith("factor:"):
            return {"factor": value.removeprefix("factor:").strip()}
        if kind == "list":
            return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    elif kind == "list" and value is not None:
        return [value]
    return value


def _row_data(rd: _Reader, sheet: str, model: type[BaseModel], header: list, values: tuple,
              row: int, base: tuple, child: bool) -> dict:  # fmt: skip
    cols = {c.header: c for c in columns(model)}
    dicts = _dict_fields(model)
    data: dict = {}
    xy: dict[str, object] = {}
    for j, (h, v) in enumerate(zip(header, values, strict=False), start=1):
        if (
            h is None
            or v is None
            or (isinstance(v, str) and not v.strip() and h.split(".")[-1] not in FREE_TEXT)
        ):
            continue
        if child and h == "site":
            continue
        if h in cols:
            c = cols[h]
            if c.kind in ("x", "y"):
                xy[c.kind] = v
                rd.mark(sheet, row, (*base, *c.path), j, h)
                continue
            _set(data, c.path, _value(c.kind, h, v))
            rd.mark(sheet, row, (*base, *c.path), j, h)
            continue
        field = next((f for f, p in dicts.items() if h.startswith(p)), None)
        if field is not None:
            key = h.removeprefix(dicts[field])
            data.setdefault(field, {})[key] = _value("dict", h, v)
            rd.mark(sheet, row, (*base, field, key), j, h)
    if xy:
        if len(xy) != 2:
            rd.problem(
                sheet,
                row,
                None,
                "give both x_km and y_km, or neither",
                format_path((*base, "xy_km")),
            )
        else:
            data["xy_km"] = [xy["x"], xy["y"]]
    return data


def _check_header(
    rd: _Reader, sheet: str, model: type[BaseModel] | None, header: list, child: bool
) -> None:
    allowed = [c.header for c in columns(model)] if model else []
    if child:
        allowed = ["site", *allowed]
    prefixes = list(_dict_fields(model).values()) if model else []
    seen: set[str] = set()
    for j, h in enumerate(header, start=1):
        if h is None:
            continue
        if h in seen:
            rd.problem(sheet, 1, j, f"duplicate column {h!r}")
        seen.add(h)
        if h in allowed or any(h.startswith(p) and len(h) > len(p) for p in prefixes):
            continue
        hint = difflib.get_close_matches(h, allowed, n=1)
        msg = f"unknown column {h!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        msg += f"; allowed: {', '.join(allowed)}" + (
            f", or {', '.join(p + '…' for p in prefixes)}" if prefixes else ""
        )
        rd.problem(sheet, 1, j, msg)


def read_scenario_workbook(path: str | Path) -> S.Scenario:
    """Read and validate a scenario workbook (the layout of :func:`write_scenario_workbook`).

    Raises
    ------
    ScenarioError
        Listing every problem; each names ``FILE[sheet]``, the row (as the line) and the column.
    """
    from symbio.flows.load import scenario_from_data

    path = Path(path)
    rd = _Reader(path)
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ScenarioError([Problem(str(path), "", f"cannot read workbook: {exc}")]) from None
    data: dict = {}
    sites: dict[str, dict] = {}
    known = {*TABLES, *SETTINGS}
    names = {ws.title: ws for ws in wb.worksheets}
    for title in names:
        if title not in known and title.lower() not in IGNORED_SHEETS:
            hint = difflib.get_close_matches(title, sorted(known), n=1)
            rd.problems.append(
                Problem(
                    str(path),
                    "",
                    f"unknown sheet {title!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                )
            )
    for sheet, model in SETTINGS.items():
        if sheet in names:
            _read_settings(rd, sheet, model, names[sheet], data)
    for sheet, (field, model, parent) in TABLES.items():
        if sheet not in names:
            continue
        rows = list(names[sheet].iter_rows(values_only=True))
        if not rows:
            continue
        header = [str(h).strip() if h is not None else None for h in rows[0]]
        _check_header(rd, sheet, model, header, parent is not None)
        rd.mark(sheet, 1, (field,) if not parent else ("sites",))
        records: list[dict] = []
        for i, values in enumerate(rows[1:], start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if parent:
                _child_row(rd, sheet, field, model, header, values, i, sites)
            else:
                rec = _row_data(rd, sheet, model, header, values, i, ("#",), False)
                seg = item_segment(field, rec, len(records))
                _rekey(rd, (field, seg), i, sheet)
                records.append(rec)
                if field == "sites":
                    sites.setdefault(str(rec.get("id")), rec)
        if records:
            data[field] = records
    wb.close()
    if rd.problems:
        raise ScenarioError(rd.problems)
    located = Located(data, dict(rd.where))
    try:
        return scenario_from_data(data, located, str(path))
    except ScenarioError as exc:
        raise ScenarioError([_with_column(p, rd.cells) for p in exc.problems]) from None


def _rekey(rd: _Reader, base: tuple, row: int, sheet: str) -> None:
    """Move the provisional ``#`` record paths to the record's real path segment."""
    for key in [k for k in rd.where if k[:1] == ("#",)]:
        rd.where[(*base, *key[1:])] = rd.where.pop(key)
    for key in [k for k in rd.cells if k == "#" or k.startswith(("#.", "#["))]:
        rd.cells[format_path((*base,)) + key[1:]] = rd.cells.pop(key)
    rd.where[base] = (rd.file(sheet), row)


def _child_row(rd: _Reader, sheet: str, field: str, model: type[BaseModel], header: list, values: tuple,
               row: int, sites: dict[str, dict]) -> None:  # fmt: skip
    col = header.index("site") + 1 if "site" in header else None
    sid = values[col - 1] if col and col - 1 < len(values) else None
    if sid is None or str(sid).strip() == "":
        rd.problem(sheet, row, col, "the site column is empty; name the site of this row", sheet)
        return
    sid = str(sid).strip()
    if sid not in sites:
        hint = difflib.get_close_matches(sid, sorted(sites), n=1)
        msg = f"site {sid!r} is not in sheet 'sites'" + (
            f" (did you mean {hint[0]!r}?)" if hint else ""
        )
        rd.problem(sheet, row, col, msg, sheet)
        return
    lst = sites[sid].setdefault(field, [])
    rec = _row_data(rd, sheet, model, header, values, row, ("#",), True)
    seg = item_segment(field, rec, len(lst))
    _rekey(rd, ("sites", f"[{sid}]", field, seg), row, sheet)
    lst.append(rec)


def _read_settings(
    rd: _Reader, sheet: str, model: type[BaseModel] | None, ws: object, data: dict
) -> None:
    allowed = {c.header: c for c in columns(model)} if model else {}
    if model is None:
        allowed = {"schema_version": Column("schema_version", ("schema_version",), "value"),
                   "name.en": Column("name.en", ("name", "en"), "value"),
                   "name.zh": Column("name.zh", ("name", "zh"), "value"),
                   "description": Column("description", ("description",), "value")}  # fmt: skip
    prefixes = {f"{n}.": n for n in _dict_fields(model)} if model else {}
    target = data if model is None else data.setdefault(sheet, {})
    base = () if model is None else (sheet,)
    rd.mark(sheet, 1, base or ("name",))
    for i, values in enumerate(ws.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        if i == 1 or not values or values[0] is None:
            continue
        key = str(values[0]).strip()
        value = values[1] if len(values) > 1 else None
        if key in allowed:
            c = allowed[key]
            if value is not None:
                _set(target, c.path, _value(c.kind, key, value))
            rd.mark(sheet, i, (*base, *c.path), 2, key)
            continue
        pre = next((p for p in prefixes if key.startswith(p) and len(key) > len(p)), None)
        if pre is not None:
            if value is not None:
                target.setdefault(prefixes[pre], {})[key.removeprefix(pre)] = _value(
                    "dict", key, value
                )
            rd.mark(sheet, i, (*base, prefixes[pre], key.removeprefix(pre)), 2, key)
            continue
        hint = difflib.get_close_matches(key, list(allowed), n=1)
        rd.problem(
            sheet,
            i,
            1,
            f"unknown field {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""),
        )
    if model is not None and not target:
        data.pop(sheet, None)


def _with_column(p: Problem, cells: dict[str, tuple[str, str]]) -> Problem:
    """Add the column of the cell a problem is about (longest matching field path)."""
    best = ""
    for key in cells:
        if (p.path == key or p.path.startswith((key + ".", key + "["))) and len(key) > len(best):
            best = key
    if not best:
        return p
    letter, header = cells[best]
    return Problem(p.file, p.path, f"column {letter} '{header}': {p.message}", p.line)
