"""``symbio export-xlsx FILE`` and ``symbio import-xlsx WORKBOOK``: scenarios in Excel.

Thin layer over :mod:`symbio.flows.xlsx.write`. ``export-xlsx`` writes a scenario (YAML, with
its ``extends`` chain resolved) as a workbook template, one sheet per table;
``import-xlsx`` reads such a workbook, validates it like a YAML file (errors name the sheet,
row and column) and writes it as YAML. ``symbio run`` and ``symbio validate`` also accept the
``.xlsx`` directly.

Examples
--------
::

    symbio export-xlsx scenarios/scip/symbiosis-2025.yaml --out scip-2025.xlsx
    symbio import-xlsx scip-2025.xlsx --out scip-2025-edited.yaml
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from symbio.errors import InputError
from symbio.flows.yamlsource import dump_yaml

__all__ = ["export_xlsx", "import_xlsx", "register", "scenario_yaml"]


log = logging.getLogger(__name__)


def scenario_yaml(scenario: object) -> str:
    """The scenario as YAML: only the fields it sets, names in Chinese kept readable, and
    numbers taken from the factor set written back as ``{factor: KEY}`` references.
    """
    from symbio.flows.factors import restore_factor_refs
    from symbio.flows.load import scenario_origin
    from symbio.flows.schema import Scenario

    assert isinstance(scenario, Scenario)
    data = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)
    data = restore_factor_refs(data, scenario_origin(scenario).get("factors", []))
    head = f"# {scenario.name.en}: imported from a workbook by `symbio import-xlsx`\n"
    return head + dump_yaml(data, width=100)


def import_xlsx(
    workbook: Annotated[
        Path, typer.Argument(help="Scenario workbook (.xlsx), e.g. from `symbio export-xlsx`.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="YAML file to write (default: print to stdout)."),
    ] = None,
) -> None:
    """Read and validate a scenario workbook; write it as a scenario YAML file."""
    from symbio.fileio import write_atomic
    from symbio.flows.load import load_scenario

    if workbook.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(str(workbook), "", "expected an Excel workbook (.xlsx)")
    if not workbook.is_file():
        raise InputError(str(workbook), "", "file not found")
    text = scenario_yaml(load_scenario(workbook))
    if out is None:
        sys.stdout.write(text)
        return
    write_atomic(out, text)
    log.info("scenario written to %s", out)


def export_xlsx(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML, or a workbook to re-export).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Workbook to write (default: FILE with .xlsx)."),
    ] = None,
) -> None:
    """Write a scenario as an Excel workbook template, one sheet per table."""
    from symbio.flows.load import load_scenario
    from symbio.flows.xlsx.write import write_scenario_workbook

    target = out or file.with_suffix(".xlsx")
    if target.resolve() == file.resolve():
        raise InputError(str(target), "", "would overwrite the input; give --out")
    path = write_scenario_workbook(load_scenario(file), target)
    log.info("workbook written to %s", path)


def register(app: typer.Typer) -> None:
    """Register ``symbio import-xlsx`` and ``symbio export-xlsx`` on the application."""
    app.command("import-xlsx")(import_xlsx)
    app.command("export-xlsx")(export_xlsx)
