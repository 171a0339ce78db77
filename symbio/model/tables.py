"""Planner tables of one solved case, joined from the generic extract and the model index.

Each table is a tidy DataFrame with a ``case`` column and explicit unit columns (``unit``
is the resource's unit; money in CNY or CNY/a; emissions in t). Rows of zero purchases,
sales, disposal and emissions are left out; flows list every existing or built link.
What each table holds: :mod:`symbio.model.table_columns`, which computes the columns.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from symbio.model import table_columns as columns
from symbio.model.extract import RawValues
from symbio.model.index import ModelIndex
from symbio.model.table_columns import TOL, Columns, slice_values

__all__ = ["TABLES", "TOL", "CaseTables", "case_tables", "slice_values"]

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


def _frame(got: Columns | pd.DataFrame, case: str | None = None) -> pd.DataFrame:
    """The table of a builder's columns, with ``case`` as first column when given."""
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
_PLAIN = (float, str, bool, int)


def _as_listed(values: object) -> bool:
    """Whether ``values`` are exactly what the column built from them lists (``tolist()``).

    An array or Series is; so is a list of floats only (a float column), of strings only
    (a string column), of bools or of ints only. A list mixing types is not (``None``
    among strings or floats lists as NaN; ints among floats as floats).
    """
    if isinstance(values, np.ndarray | pd.Series):
        return True
    kinds = set(map(type, values))
    return len(kinds) == 1 and kinds.pop() in _PLAIN


class CaseTables(dict[str, pd.DataFrame]):
    """A case's tables by name, and the lists their columns were built from.

    :meth:`column` gives a column as ``DataFrame[col].tolist()`` would, from those lists
    when they are exactly that (:func:`_as_listed`), so no Series is made; a frame changed after :func:`case_tables`
    made it is not seen by :meth:`column`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.sources: dict[str, Columns] = {}

    def keep(self, name: str, cols: Columns) -> None:
        """Keep the columns ``cols`` of table ``name`` that list as they were given."""
        self.sources[name] = {c: v for c, v in cols.items() if _as_listed(v)}

    def column(self, name: str, col: str) -> list:
        """Column ``col`` of table ``name`` as a list of Python scalars."""
        got = self.sources.get(name, {}).get(col)
        if got is None:
            return self[name][col].tolist()
        return got if isinstance(got, list) else got.tolist()


def table_column(tables: dict[str, pd.DataFrame], name: str, col: str) -> list:
    """Column ``col`` of table ``name`` as a list (:meth:`CaseTables.column` when it can)."""
    if isinstance(tables, CaseTables):
        return tables.column(name, col)
    return tables[name][col].tolist()


def case_tables(ix: ModelIndex, raw: RawValues, case: str) -> CaseTables:
    """All planner tables of one case, each with ``case`` as first column."""
    out = CaseTables()
    for name, builder in BUILDERS.items():
        got = builder(ix, raw)
        out[name] = _frame(got, case)
        if not isinstance(got, pd.DataFrame):
            out.keep(name, got)
    return out
