"""The one reader of result directories (the writer is :meth:`symbio.results.Result.write`).

A result directory holds ``summary.json``, one CSV per table (:data:`RESULT_TABLES`) and
``scenario.resolved.yaml``. Every command that reads one (``symbio report``, ``score``,
``compare``, the Python API) goes through :func:`read_result_dir`, with one rule:

- what is present must be readable: a ``summary.json`` that is not a JSON object, or a
  table that cannot be read as CSV, is an :class:`~symbio.errors.InputError` naming the file;
- what is absent is simply absent (:attr:`ResultFiles.missing`): a reader that needs a
  piece asks for it (:meth:`ResultFiles.need_summary`, :meth:`ResultFiles.table`), which
  raises "missing from the result directory"; a reader that can do without it (a report
  section, scoring from ``kpis.csv`` alone) uses what is there.

This module sits below every other layer (it knows files, not models), so scoring, results
and report all use it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from symbio.errors import InputError

#: Planner tables of a run, each with a ``case`` column.
TABLE_NAMES = (
    "flows",
    "builds",
    "process_activity",
    "purchases",
    "sales",
    "disposal",
    "substitutes",
    "site_balances",
    "emissions",
    "substitutes",
)
#: Tables a result directory written before they existed may lack (read when present).
OPTIONAL_TABLES = ("substitutes",)
#: Every CSV of a result directory.
RESULT_TABLES: tuple[str, ...] = ("kpis", "site_kpis", *TABLE_NAMES)
SUMMARY = "summary.json"
SCENARIO = "scenario.resolved.yaml"


def read_json(file: Path, what: str = "") -> dict:
    """A JSON object from ``file``.

    Raises
    ------
    InputError
        When the file is missing (``what`` says what it should be), unreadable, not JSON or
        not an object.
    """
    if not file.is_file():
        raise InputError(str(file), "", f"missing{f' ({what})' if what else ''}")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(str(file), "", f"invalid JSON: {exc}") from None
    except OSError as exc:
        raise InputError(str(file), "", f"cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(str(file), "", "expected a JSON object")
    return data


def read_table(file: Path) -> pd.DataFrame | None:
    """A CSV table, or None when the file does not exist.

    Raises
    ------
    InputError
        When the file exists but cannot be read as CSV (an empty file included).
    """
    if not file.is_file():
        return None
    try:
        return pd.read_csv(file)
    except (OSError, ValueError) as exc:  # pandas' EmptyDataError is a ValueError
        raise InputError(str(file), "", f"cannot read result table: {exc}") from None


@dataclass
class ResultFiles:
    """What a result directory holds, as read."""

    path: Path
    summary: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    scenario_yaml: str | None = None
    missing: list[str] = field(default_factory=list)

    def need_summary(self) -> dict:
        """``summary.json``, which the caller needs.

        Raises
        ------
        InputError
            When the directory has no ``summary.json``.
        """
        if SUMMARY in self.missing:
            raise InputError(str(self.path / SUMMARY), "", "missing from the result directory")
        return self.summary

    def table(self, name: str) -> pd.DataFrame:
        """A table the caller needs.

        Raises
        ------
        InputError
            When the directory has no such table.
        """
        if name not in self.tables:
            raise InputError(
                str(self.path / f"{name}.csv"), "", "missing from the result directory"
            )
        return self.tables[name]


def read_result_dir(
    directory: str | os.PathLike, tables: tuple[str, ...] = RESULT_TABLES
) -> ResultFiles:
    """Read a result directory (see the module docstring for the rule on missing pieces).

    Parameters
    ----------
    directory
        Directory written by ``symbio run``.
    tables
        The tables to read (default all of :data:`RESULT_TABLES`).

    Raises
    ------
    InputError
        When the directory does not exist, or a file present is unreadable.
    """
    path = Path(directory)
    if not path.is_dir():
        raise InputError(str(path), "", "result directory not found")
    has_summary = (path / SUMMARY).is_file()
    out = ResultFiles(path, read_json(path / SUMMARY) if has_summary else {})
    if not has_summary:
        out.missing.append(SUMMARY)
    for name in tables:
        df = read_table(path / f"{name}.csv")
        if df is None:
            out.missing.append(name)
        else:
            out.tables[name] = df
    yaml_file = path / SCENARIO
    if yaml_file.is_file():
        out.scenario_yaml = yaml_file.read_text(encoding="utf-8")
    return out
