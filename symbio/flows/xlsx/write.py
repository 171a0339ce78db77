"""Scenario workbooks: a scenario as an Excel template, one sheet per table, and back.

For planners who keep their data in Excel. :func:`write_scenario_workbook` writes a scenario;
:func:`symbio.load_scenario` reads one (through :func:`~symbio.flows.xlsx.read.read_workbook`) and
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

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from symbio.fileio import write_atomic
from symbio.flows import schema as S
from symbio.flows.xlsx.layout import (
    ESTIMATE_COLUMNS,
    ESTIMATES_SHEET,
    HEADER_FILL,
    SCENARIO_FIELDS,
    SETTINGS,
    SOURCE_COLUMNS,
    SOURCES_SHEET,
    TABLES,
    Column,
    columns,
    dict_fields,
    flatten,
    keep_text,
)

__all__ = ["write_scenario_workbook"]


def _factor_cells(scenario: S.Scenario) -> dict[tuple[str, str, str], str]:
    """(sheet, record id, header) -> factor key of every number taken from the factor set."""
    from symbio.flows.factors import factor_use_target
    from symbio.flows.load import scenario_origin

    out = {}
    for use in scenario_origin(scenario).get("factors", []):
        target = factor_use_target(str(use.get("path", "")))
        if target and use.get("factor"):
            family, rid, keys = target
            header = "tce_per_unit" if keys == ("tce_per_unit",) else f"em:{keys[1]}"
            out[(family, rid, header)] = str(use["factor"])
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
        ``path``. Reading it back with :func:`symbio.load_scenario` gives an equal scenario
        (``extends`` aside: the workbook holds the scenario with its chain resolved).
        Numbers the scenario took from its factor set are written as ``factor:KEY``, so
        their provenance survives the round trip.
    """
    path = Path(path)
    factors = _factor_cells(scenario)
    wb = Workbook()
    _readme_sheet(wb, scenario)
    _settings_sheet(wb, "scenario", _scenario_rows(scenario))
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
    _field_sheets(wb, scenario)
    for ws in wb.worksheets:
        keep_text(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_atomic(path, buffer.getvalue())


def _readme_sheet(wb: Workbook, scenario: S.Scenario) -> None:
    """The first sheet: how to fill the workbook, and where the scenario came from."""
    from symbio.flows.load import scenario_origin

    readme = wb.active
    readme.title = "readme"
    origin = scenario_origin(scenario)
    for line in README_LINES:
        readme.append([line])
    readme.append([f"Exported from {origin.get('file') or 'a scenario'} (sha256 {origin.get('sha256')}); "
                   "any 'extends' chain is resolved: this workbook holds the whole scenario."])  # fmt: skip
    readme.column_dimensions["A"].width = 110


def _scenario_rows(scenario: S.Scenario) -> list[tuple[str, object]]:
    """The scenario's own fields (name, description, ...) as ``field.path, value`` rows."""
    meta = {k: getattr(scenario, k) for k in SCENARIO_FIELDS if k in scenario.model_fields_set}
    rows: list[tuple[str, object]] = []
    for k, v in meta.items():
        if isinstance(v, BaseModel):
            rows += [(f"{k}.{sk}", sv) for sk, sv in flatten(v, type(v)).items()]
        else:
            rows.append((k, v))
    return rows


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
    for prefix in dict_fields(model).values():
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


def _field_sheets(wb: Workbook, scenario: S.Scenario) -> None:
    """The ``estimates`` and ``sources`` sheets (field path -> range / citation), when used."""
    if scenario.estimates:
        rows = [
            [f, e.method, e.low, e.high, e.dist, e.group] for f, e in scenario.estimates.items()
        ]
        _field_sheet(wb, ESTIMATES_SHEET, ESTIMATE_COLUMNS, rows, (44, 80, 12, 12, 12, 16))
    if scenario.sources:
        rows = [[f, text] for f, text in scenario.sources.items()]
        _field_sheet(wb, SOURCES_SHEET, SOURCE_COLUMNS, rows, (44, 100))


def _field_sheet(
    wb: Workbook, sheet: str, header: tuple[str, ...], rows: list[list], widths: tuple[int, ...]
) -> None:
    """A field-path table (``estimates``, ``sources``): one row per number, bold header."""
    ws = wb.create_sheet(sheet)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        ws.append(row)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


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
