"""Planner tables of one solved case, joined from the generic extract and the model index.

Each table is a tidy DataFrame with a ``case`` column and explicit unit columns (``unit``
is the resource's unit; money in CNY or CNY/a; emissions in t). Rows of zero purchases,
sales, disposal and emissions are left out; flows list every existing or built link.
What each table holds: :mod:`symbio.model.table_columns`, which computes the columns.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping

import numpy as np
import pandas as pd

from symbio.model import table_columns as columns
from symbio.model.extract import RawValues
from symbio.model.index import ModelIndex
from symbio.model.table_columns import TOL, Columns, NoRows, slice_values

__all__ = [
    "BUILDERS",
    "TABLES",
    "TOL",
    "CaseTables",
    "case_tables",
    "slice_values",
    "table_column",
    "table_has",
    "table_rows",
]

#: Table name -> the function giving its columns, in the order the tables are written.
BUILDERS: dict[str, Callable[[ModelIndex, RawValues], Columns | pd.DataFrame]] = {
    "flows": columns.flows,
    "builds": columns.builds,
    "process_activity": columns.process_activity,
    "purchases": columns.purchases,
    "sales": columns.sales,
    "disposal": columns.disposal,
    "substitutes": columns.substitutes,
    "site_balances": columns.site_balances,
    "emissions": columns.emissions,
}


def _frame(got: Columns | pd.DataFrame | NoRows, case: str | None = None) -> pd.DataFrame:
    """The table of a builder's columns, with ``case`` as first column when given."""
    if isinstance(got, NoRows):
        got = got.frame()
    if isinstance(got, pd.DataFrame):
        if case is not None:
            got.insert(0, "case", case)
        return got
    if case is None:
        return pd.DataFrame(got)
    rows = len(next(iter(got.values())))
    return pd.DataFrame({"case": [case] * rows, **got})


def _table(builder: Callable) -> Callable[[ModelIndex, RawValues], pd.DataFrame]:
    def table(ix: ModelIndex, raw: RawValues) -> pd.DataFrame:
        return _frame(builder(ix, raw))

    table.__name__, table.__doc__ = builder.__name__, builder.__doc__
    return table


#: Table name -> function returning the table (without ``case``).
TABLES: dict[str, Callable[[ModelIndex, RawValues], pd.DataFrame]] = {
    name: _table(fn) for name, fn in BUILDERS.items()
}


#: Types whose values a column lists back unchanged when all its values are of that type.
_PLAIN = (float, str, bool, int, type(None))


def _as_listed(values: object) -> bool:
    """Whether ``values`` are exactly what the column built from them lists (``tolist()``).

    An array or Series is; so is a list of floats only (a float column), of strings only
    (a string column), of bools, of ints or of None only (an object column of None). A
    list mixing types is not (``None`` among strings or floats lists as NaN; ints among
    floats as floats).
    """
    if isinstance(values, np.ndarray | pd.Series):
        return True
    kinds = set(map(type, values))
    return len(kinds) == 1 and kinds.pop() in _PLAIN


class CaseTables(Mapping[str, pd.DataFrame]):
    """A case's tables by name, each built when it is first asked for.

    The builders' columns are kept (:attr:`sources`): :meth:`column`, :meth:`rows` and
    :meth:`has` answer from them without building the table, so the KPIs of a case
    whose tables nobody reads (the robustness study's plan) build none. :meth:`column`
    gives a column as ``DataFrame[col].tolist()`` would, from the kept list when it is
    exactly that (:func:`_as_listed`); a table changed after it was built is not seen by
    these three methods.
    """

    def __init__(self, case: str) -> None:
        self.case = case
        self.sources: dict[str, Columns] = {}
        self._frames: dict[str, pd.DataFrame] = {}
        self._empty: dict[str, NoRows] = {}  # tables without rows, their frames not made yet
        self._names: list[str] = []
        self._listed: dict[tuple[str, str], bool] = {}  # _as_listed of a kept column

    def add(self, name: str, got: Columns | pd.DataFrame | NoRows) -> None:
        """Add table ``name`` from its builder's columns (or its frame, when empty)."""
        self._names.append(name)
        if isinstance(got, NoRows):
            self._empty[name] = got
        elif isinstance(got, pd.DataFrame):
            self._frames[name] = _frame(got, self.case)
        else:
            self.sources[name] = got

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            got = self._empty[name] if name in self._empty else self.sources[name]
            self._frames[name] = _frame(got, self.case)
        return self._frames[name]

    def empty_columns(self, name: str) -> tuple[str, ...] | None:
        """The columns (``case`` first) of table ``name`` when it has no rows and its frame
        was not made (so cannot have been changed); None otherwise."""
        got = self._empty.get(name)
        if got is None or name in self._frames:
            return None
        return ("case", *got.columns)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names  # without building the table (Mapping's would)

    def built(self, name: str) -> bool:
        """Whether table ``name``'s frame exists (given as a frame or built when read)."""
        return name in self._frames

    def __len__(self) -> int:
        return len(self._names)

    def column(self, name: str, col: str) -> list:
        """Column ``col`` of table ``name`` as a list of Python scalars."""
        empty = self.empty_columns(name)
        if empty is not None and col in empty:
            return []
        got = self.sources.get(name, {}).get(col)
        if got is None:
            return self[name][col].tolist()
        listed = self._listed.get((name, col))
        if listed is None:  # asked once per column (the KPIs and the audit read some often)
            listed = self._listed[name, col] = _as_listed(got)
        if not listed:
            return self[name][col].tolist()
        return got if isinstance(got, list) else got.tolist()

    def rows(self, name: str) -> int:
        """Number of rows of table ``name``."""
        if name in self.sources:
            return len(next(iter(self.sources[name].values())))
        if self.empty_columns(name) is not None:
            return 0
        return len(self[name])

    def has(self, name: str, col: str) -> bool:
        """Whether table ``name`` has column ``col``."""
        empty = self.empty_columns(name)
        if empty is not None:
            return col in empty
        return col in (self.sources[name] if name in self.sources else self[name].columns)


def table_column(tables: Mapping[str, pd.DataFrame], name: str, col: str) -> list:
    """Column ``col`` of table ``name`` as a list (:meth:`CaseTables.column` when it can)."""
    if isinstance(tables, CaseTables):
        return tables.column(name, col)
    return tables[name][col].tolist()


def table_rows(tables: Mapping[str, pd.DataFrame], name: str) -> int:
    """Number of rows of table ``name`` (without building it when it can)."""
    return tables.rows(name) if isinstance(tables, CaseTables) else len(tables[name])


def table_has(tables: Mapping[str, pd.DataFrame], name: str, col: str) -> bool:
    """Whether table ``name`` has column ``col`` (without building it when it can)."""
    if isinstance(tables, CaseTables):
        return tables.has(name, col)
    return col in tables[name].columns


def case_tables(
    ix: ModelIndex, raw: RawValues, case: str, names: Collection[str] | None = None
) -> CaseTables:
    """All planner tables of one case (or those in ``names``), each with ``case`` as first
    column."""
    out = CaseTables(case)
    for name, builder in BUILDERS.items():
        if names is None or name in names:
            out.add(name, builder(ix, raw))
    return out
