"""A result's planner tables: the cases' tables joined when read, written without joining.

:func:`symbio.run.record.assemble` gives a :class:`~symbio.results.Result` a
:class:`JoinedTables`: table ``name`` is ``pd.concat`` of the cases' tables (baseline
first), made when it is first read. :meth:`JoinedTables.csv` writes a table's CSV text
from the cases' column lists when they are plain (:func:`column_kind`), so a run whose
tables nobody reads (a sweep's sample) builds no DataFrame at all; otherwise it writes
``DataFrame.to_csv(index=False)`` of the joined table.

Why the text is the same as pandas' (pandas 3.1, ``io/formats/csvs.py``): ``to_csv``
turns each column into an object array (``get_values_for_csv``) and hands its rows to the
standard library's ``csv.writer`` (``QUOTE_MINIMAL``, ``"`` doubled, line terminator
``os.linesep``); the header is one ``writerow`` of the column names. For a float64 column
the cells are ``values.astype(str)`` with NaN replaced by ``na_rep`` (``""``); for int64
and bool columns, the values themselves (``str`` of them is what the writer writes); for a
string column (``str`` or object dtype), the strings. :func:`csv_text` does exactly that,
with the same writer, on the concatenation of the cases' lists; a column is taken only when
every case gives it with one kind (so the joined frame has that dtype: pandas infers
float64 from a list of floats, int64 from ints, bool from bools, a string dtype from
strings; ``concat`` of equal dtypes keeps it). A float64 cell is handed to the writer as
the Python float itself, which the writer writes as ``repr(x)``: numpy's ``str`` of a
float64 is the same shortest round-trip text as Python's ``repr`` (Dragon4, numpy >= 1.14;
``tests/test_result_tables.py`` compares both on millions of random bit patterns).
Anything else (an empty list, ``None``
among values, mixed types, a case whose table is a DataFrame or was already built, tables
whose columns differ between cases) goes through pandas.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

#: numpy dtype -> kind of the column (``f`` float64, ``i`` int64, ``b`` bool).
_ARRAY_KINDS = {np.dtype(np.float64): "f", np.dtype(np.int64): "i", np.dtype(np.bool_): "b"}
#: Python types of a list's values (``None`` as ``type(None)``) -> kind of the column pandas
#: builds from it: floats (with ints or None among them: float64, None as NaN), ints (int64),
#: bools, strings (with None: a string column with NaN) and None only (object of None).
_LIST_KINDS = {
    frozenset({float}): "f",
    frozenset({float, int}): "f",
    frozenset({float, type(None)}): "f",
    frozenset({float, int, type(None)}): "f",
    frozenset({int, type(None)}): "f",
    frozenset({int}): "i",
    frozenset({bool}): "b",
    frozenset({str}): "s",
    frozenset({str, type(None)}): "s",
    frozenset({type(None)}): "n",
}
#: Ints beyond this are not taken among floats (a float64 column would round them).
_EXACT_INT = 2**53


def column_kind(values: object) -> str | None:
    """The kind of the column pandas builds from ``values`` (a builder's column), or None
    when it is not one of the plain cases (see the module docstring).

    A non-empty list (kinds in :data:`_LIST_KINDS`), a 1-d float64/int64/bool array, or
    such a Series with the default index (0, 1, ...: the frame's rows are in its order).
    """
    if isinstance(values, pd.Series):
        index = values.index
        default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
        return column_kind(values.to_numpy()) if default and values.dtype != object else None
    if isinstance(values, np.ndarray):
        return _ARRAY_KINDS.get(values.dtype) if values.ndim == 1 else None
    if not isinstance(values, list) or not values:
        return None
    kind = _LIST_KINDS.get(frozenset(map(type, values)))
    if kind == "f" and any(type(v) is int and abs(v) >= _EXACT_INT for v in values):
        return None
    return kind


def csv_cells(values: Sequence | np.ndarray | pd.Series, kind: str) -> list:
    """The cells ``to_csv`` hands to the csv writer for a column of ``kind``: a float's
    numpy text (``""`` for NaN), ``""`` for None, any other value itself."""
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    if kind == "f":  # the writer writes a float as repr(), which is numpy's str (docstring)
        return [x if x == x else "" for x in np.asarray(values, dtype=np.float64).tolist()]
    if kind in ("s", "n"):
        return ["" if v is None else v for v in values]
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def csv_text(columns: Mapping[str, list]) -> str:
    """CSV text of cell columns (:func:`csv_cells`), as ``to_csv(index=False)`` writes it."""
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        lineterminator=os.linesep,
        delimiter=",",
        quotechar='"',
        quoting=csv.QUOTE_MINIMAL,
        doublequote=True,
        escapechar=None,
    )
    writer.writerow(list(columns))
    writer.writerows(zip(*columns.values(), strict=True))
    return buf.getvalue()


def frame_csv(df: pd.DataFrame) -> str:
    """``df.to_csv(index=False)``, written by :func:`csv_text` when every column is float64,
    int64, bool, object or a string dtype under string names (pandas otherwise)."""
    cells = _frame_cells(df)
    return df.to_csv(index=False) if cells is None else csv_text(cells)


def _frame_cells(df: pd.DataFrame) -> dict[str, list] | None:
    """The cells ``to_csv`` writes per column (``get_values_for_csv`` with ``na_rep=""``),
    or None when a column's dtype or the column names are not one of the plain cases."""
    names = df.columns
    plain_names = all(type(c) is str for c in names) and not names.has_duplicates
    if not len(names) or not plain_names or isinstance(names, pd.MultiIndex):
        return None
    out: dict[str, list] = {}
    for name in names:
        col = df[name]
        dtype = col.dtype
        if dtype == np.float64:
            out[name] = csv_cells(col.to_numpy(), "f")
        elif dtype in (np.dtype(np.int64), np.dtype(np.bool_)):
            out[name] = col.to_numpy().tolist()
        elif dtype == _OBJECT:  # NaN/None cells empty, the others as they are
            values = col.to_numpy()
            out[name] = _blank_missing(values, pd.isna(values))
        elif isinstance(dtype, pd.StringDtype):
            out[name] = _blank_missing(np.asarray(col.array.astype(object)), pd.isna(col.array))
        else:
            return None
    return out


_OBJECT = np.dtype(object)


def _blank_missing(values: np.ndarray, missing: np.ndarray) -> list:
    if not missing.any():  # nothing to blank (the usual case): the values as they are
        return values.tolist()
    return ["" if m else v for v, m in zip(values.tolist(), missing.tolist(), strict=True)]


class JoinedTables(Mapping[str, pd.DataFrame]):
    """The planner tables of a result, each the cases' tables joined when first read.

    ``cases`` are the cases' table mappings in order (:class:`~symbio.model.tables.CaseTables`
    or plain dicts of frames); table names in order of first appearance.
    """

    def __init__(self, cases: Sequence[Mapping[str, pd.DataFrame]]) -> None:
        self._cases = list(cases)
        self._names = list(dict.fromkeys(name for c in self._cases for name in c))
        self._frames: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if name not in self._names:
                raise KeyError(name)
            parts = [c[name] for c in self._cases if name in c]
            self._frames[name] = pd.concat(parts, ignore_index=True)
        return self._frames[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    @property
    def cases(self) -> list[Mapping[str, pd.DataFrame]]:
        """The cases' table mappings, in order."""
        return list(self._cases)

    def csv(self, name: str) -> str:
        """``self[name].to_csv(index=False)``, from the cases' columns when they allow it."""
        if name not in self._frames:
            columns = self._empty_cells(name) or self._cells(name)
            if columns is not None:
                return csv_text(columns)
        return frame_csv(self[name])

    def _empty_cells(self, name: str) -> dict[str, list] | None:
        """No cells under the header, when every case's table has no rows and the same
        columns (``concat`` of such frames has those columns and no rows: ``to_csv``
        writes the header alone); None otherwise."""
        parts = [c for c in self._cases if name in c]
        got = {getattr(c, "empty_columns", lambda _: None)(name) for c in parts}
        if len(got) != 1 or None in got:
            return None
        return {col: [] for col in got.pop()}

    def _cells(self, name: str) -> dict[str, list] | None:
        """The joined table's cells per column, or None when pandas must write it."""
        parts = [c for c in self._cases if name in c]
        sources = [_columns_of(c, name) for c in parts]
        if not sources or any(s is None for s in sources):
            return None
        names = list(sources[0])  # type: ignore[arg-type]
        if any(list(s) != names for s in sources):  # type: ignore[arg-type]
            return None
        out: dict[str, list] = {}
        for col in names:
            got = [s[col] for s in sources]  # type: ignore[index]
            kinds = {column_kind(v) for v in got}
            kind = kinds.pop() if len(kinds) == 1 else None
            if kind is None:
                return None
            out[col] = [cell for v in got for cell in csv_cells(v, kind)]
        return out


def _columns_of(case: Mapping, name: str) -> dict | None:
    """A case's table ``name`` as its builder's columns with ``case`` first, or None when
    it is a DataFrame (given as one, or built already: it might have been changed)."""
    sources = getattr(case, "sources", None)
    if not sources or name not in sources or case.built(name):  # type: ignore[attr-defined]
        return None
    got = sources[name]
    if "case" in got or not got:
        return None
    rows = len(next(iter(got.values())))
    return {"case": [case.case] * rows, **got}  # type: ignore[attr-defined]


def built_ids(tables: Mapping[str, pd.DataFrame], case: str = "optimized") -> list[str] | None:
    """Ids of the candidates built in ``case`` (sorted), read from that case's ``builds``
    columns without building a frame; None when they are not plain (read the frame)."""
    if not isinstance(tables, JoinedTables):
        return None
    for c in tables.cases:
        if getattr(c, "case", None) != case or "builds" not in c:
            continue
        got = _columns_of(c, "builds")
        if got is None or not all(k in got for k in ("id", "candidate", "built")):
            return None
        ids, cand, built = got["id"], got["candidate"], got["built"]
        if (column_kind(ids), column_kind(cand), column_kind(built)) != ("s", "b", "b"):
            return None
        return sorted(i for i, c_, b in zip(ids, cand, built, strict=True) if c_ and b)
    return None
