"""Reading a scenario workbook: plain data, validated like YAML, errors naming sheet, row, column."""

from __future__ import annotations

import difflib
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from symbio.errors import Problem, ScenarioError
from symbio.flows.xlsx.layout import (
    ESTIMATE_COLUMNS,
    ESTIMATES_SHEET,
    FREE_TEXT,
    IGNORED_SHEETS,
    SETTINGS,
    SOURCE_COLUMNS,
    SOURCES_SHEET,
    TABLES,
    Column,
    columns,
    dict_fields,
)
from symbio.flows.yamlsource import Located, format_path, item_segment


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
        if kind == "list" and header == "sites" and value == "demands":
            return value  # markets[].sites: the consuming sites, not a list
        if kind == "list":
            return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    elif kind == "list" and value is not None:
        return [value]
    return value


def _row_data(rd: _Reader, sheet: str, model: type[BaseModel], header: list, values: tuple,
              row: int, base: tuple, child: bool) -> dict:  # fmt: skip
    cols = {c.header: c for c in columns(model)}
    dicts = dict_fields(model)
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
            outer, _, inner = key.partition(">")  # sub:input>substitute: a nested mapping
            holder = data.setdefault(field, {})
            if inner:
                holder.setdefault(outer, {})[inner] = _value("dict", h, v)
            else:
                holder[key] = _value("dict", h, v)
            rd.mark(sheet, row, (*base, field, *key.split(">")), j, h)
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
    prefixes = list(dict_fields(model).values()) if model else []
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


def read_workbook(path: str | Path) -> tuple[dict, Located, dict[str, tuple[str, str]]]:
    """Read a scenario workbook (the layout of ``write_scenario_workbook``) into plain data.

    Returns the scenario data, where each field came from (``FILE[sheet]`` and row) and the
    column of each field path; :func:`symbio.flows.load.load_scenario` validates the data and
    names the column of every problem with :func:`with_column`.

    Raises
    ------
    ScenarioError
        Listing every layout problem (unknown sheets, columns, unreadable cells).
    """
    # Long: the docstring documents returns and errors (11 lines); the code is 53.
    path = Path(path)
    rd = _Reader(path)
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ScenarioError([Problem(str(path), "", f"cannot read workbook: {exc}")]) from None
    data: dict = {}
    sites: dict[str, dict] = {}
    known = {*TABLES, *SETTINGS, ESTIMATES_SHEET, SOURCES_SHEET}
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
    if ESTIMATES_SHEET in names:
        _read_field_table(rd, names[ESTIMATES_SHEET], data, ESTIMATES_SHEET, ESTIMATE_COLUMNS)
    if SOURCES_SHEET in names:
        _read_field_table(rd, names[SOURCES_SHEET], data, SOURCES_SHEET, SOURCE_COLUMNS)
    wb.close()
    if rd.problems:
        raise ScenarioError(rd.problems)
    return data, Located(data, dict(rd.where)), dict(rd.cells)


def _read_field_table(
    rd: _Reader, ws: object, data: dict, sheet: str, allowed: tuple[str, ...]
) -> None:
    """The ``estimates`` or ``sources`` sheet: one row per field path (validated later).

    An ``estimates`` row becomes {method, low, ...}; a ``sources`` row its source text.
    """
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    if not rows:
        return
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    for j, h in enumerate(header, start=1):
        if h and h not in allowed:
            rd.problem(
                sheet,
                1,
                j,
                f"unknown column {h!r}; allowed: {', '.join(allowed)}",
            )
    table: dict[str, object] = {}
    for i, values in enumerate(rows[1:], start=2):
        cells = {h: v for h, v in zip(header, values, strict=False) if h and v is not None}
        field = str(cells.pop("field", "") or "").strip()
        if not field:
            if cells:
                rd.problem(sheet, i, 1, "the field path is missing")
            continue
        table[field] = cells.get("source") if sheet == SOURCES_SHEET else cells
        rd.mark(sheet, i, (sheet, field))
        for key in cells:
            col = header.index(key) + 1
            rd.mark(sheet, i, (sheet, field, key), col, key)
    if table:
        data[sheet] = table


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
                   "description": Column("description", ("description",), "value"),
                   "description.en": Column("description.en", ("description", "en"), "value"),
                   "description.zh": Column("description.zh", ("description", "zh"), "value")}  # fmt: skip
    prefixes = {f"{n}.": n for n in dict_fields(model)} if model else {}
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


def with_column(p: Problem, cells: dict[str, tuple[str, str]]) -> Problem:
    """Add the column of the cell a problem is about (longest matching field path)."""
    best = ""
    for key in cells:
        if (p.path == key or p.path.startswith((key + ".", key + "["))) and len(key) > len(best):
            best = key
    if not best:
        return p
    letter, header = cells[best]
    return Problem(p.file, p.path, f"column {letter} '{header}': {p.message}", p.line)
