"""A result's tables written from the cases' columns are pandas' ``to_csv`` byte for byte.

Each test compares the column path with the plain pandas path (the cases' frames joined by
``pd.concat`` and written by ``to_csv(index=False)``) on awkward values and on solved
scenarios, and checks that the column path was really taken where it should be (and not
where it must not be).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from symbio.audit_values import values_from_tables
from symbio.model.table_columns import NoRows
from symbio.model.tables import CaseTables
from symbio.result_tables import JoinedTables, _frame_cells, built_ids, column_kind, frame_csv
from symbio.sweep.adapter import built_candidates

ROOT = Path(__file__).resolve().parents[1]

FLOATS = [
    0.1,
    1 / 3,
    -0.0,
    0.0,
    1e16,
    1e15,
    9999999999999998.0,
    1e-5,
    0.0001,
    5e-324,
    1.7976931348623157e308,
    123456789012345678.0,
    2.5e-7,
    -1234.5678,
    math.nan,
    math.inf,
    -math.inf,
]
STRINGS = [
    "a",
    "",
    " lead",
    "comma,inside",
    'quote"inside',
    "new\nline",
    "中文 名称",
    "x\r\ny",
    "#",
]


def _cases(name: str, per_case: list[dict]) -> list[CaseTables]:
    out = []
    for case, got in zip(("baseline", "optimized"), per_case, strict=False):
        tables = CaseTables(case)
        tables.add(name, got)
        out.append(tables)
    return out


def _pandas_csv(name: str, per_case: list[dict]) -> str:
    frames = [c[name] for c in _cases(name, per_case)]
    return pd.concat(frames, ignore_index=True).to_csv(index=False)


def _fast_csv(name: str, per_case: list[dict], monkeypatch: pytest.MonkeyPatch) -> str:
    """The column path's text; fails if it fell back to pandas."""
    joined = JoinedTables(_cases(name, per_case))
    with monkeypatch.context() as m:
        m.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("pandas was used"))
        return joined.csv(name)


def _random_floats(seed: int, n: int = 400) -> list[float]:
    rng = np.random.default_rng(seed)
    mant = rng.uniform(-10, 10, n)
    exp = rng.integers(-30, 30, n)
    return [float(x) for x in mant * 10.0**exp]


def test_awkward_columns_are_written_as_pandas_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    per_case = []
    for seed in (2, 3):
        n = len(FLOATS) + 400
        floats = FLOATS + _random_floats(seed)
        strings = [STRINGS[i % len(STRINGS)] for i in range(n)]
        per_case.append(
            {
                "f": floats,
                "f_array": np.array(floats[::-1]),
                "f_series": pd.Series(floats),
                "f_none": [None if i % 7 == 0 else floats[i] for i in range(n)],
                "f_ints": [i if i % 3 else floats[i] for i in range(n)],
                "i": [int(x) for x in rng.integers(-(2**62), 2**62, n)],
                "i_array": rng.integers(-5, 5, n),
                "b": [bool(i % 2) for i in range(n)],
                "b_array": np.arange(n) % 3 == 0,
                "s": strings,
                "s_none": [None if i % 5 == 0 else s for i, s in enumerate(strings)],
                "n": [None] * n,
            }
        )
    fast = _fast_csv("t", per_case, monkeypatch)
    assert fast == _pandas_csv("t", per_case)


@pytest.mark.parametrize(
    "columns",
    [
        [{"x": [1.0, 2.0]}, {"x": [1, 2]}],  # float64 joined with int64: pandas' float text
        [{"x": [1.0, 2.0]}, {"x": [None, None]}],  # float64 joined with object
        [{"x": [1.5, None]}, {"y": [1.5, None]}],  # different columns: aligned by pandas
        [{"x": [True, None]}, {"x": [False, True]}],  # None among bools: object
        [{"x": [2**60, 0.5]}, {"x": [0.5, 0.5]}],  # an int a float64 would round
        [{"x": pd.Series([1.0, 2.0], index=[1, 0])}, {"x": [1.0, 2.0]}],  # index aligns
        [{"x": []}, {"x": [1.0]}],  # an empty case
    ],
)
def test_what_pandas_must_write_is_left_to_pandas(columns: list[dict]) -> None:
    joined = JoinedTables(_cases("t", columns))
    assert joined._cells("t") is None
    assert joined.csv("t") == _pandas_csv("t", columns)


def test_a_table_built_before_is_written_from_its_frame() -> None:
    """A case's frame may have been changed after it was built: the frame is written."""
    cases = _cases("t", [{"x": [1.0, 2.0]}, {"x": [3.0]}])
    cases[0]["t"].loc[0, "x"] = 9.0
    joined = JoinedTables(cases)
    assert "9.0" in joined.csv("t")
    assert joined.csv("t") == pd.concat([c["t"] for c in cases], ignore_index=True).to_csv(
        index=False
    )


def test_column_kinds() -> None:
    assert column_kind([1.0, 2]) == "f"
    assert column_kind([1, 2]) == "i"
    assert column_kind([True, 1]) is None
    assert column_kind(["a", None]) == "s"
    assert column_kind([]) is None
    assert column_kind(np.array(["a"], dtype=object)) is None


@pytest.fixture(scope="module")
def solved() -> list[object]:
    from symbio.flows.graph import build_graph
    from symbio.flows.load import load_scenario
    from symbio.run import prepare, run_steps
    from symbio.run.record import assemble

    out = []
    for rel in (
        "scenarios/scip/symbiosis-2025.yaml",
        "scenarios/scip/baseline-2021.yaml",
        "scenarios/examples/hydrogen-pair.yaml",
    ):
        st = prepare(build_graph(load_scenario(ROOT / rel)), "cost")
        run_steps(st)
        out.append((st, assemble(st)))
    return out


def test_solved_results_write_the_tables_pandas_writes(solved: list) -> None:
    for _, result in solved[:2]:  # SCIP: every table with rows takes the column path
        assert all(result.tables._cells(n) is not None for n in result.tables if n != "substitutes")
    for st, result in solved:
        files = result.directory_files()  # before any frame is built
        for name in result.tables:
            parts = [c.tables[name] for c in st.cases.values()]
            df = pd.concat(parts, ignore_index=True)
            assert files[f"{name}.csv"] == df.to_csv(index=False).encode(), name


def _fresh(tables: CaseTables) -> CaseTables:
    """The same case tables, none built yet."""
    fresh = CaseTables(tables.case)
    for n in tables:
        got = tables.sources.get(n)
        fresh.add(n, tables[n].drop(columns="case") if got is None else got)
    return fresh


def test_built_ids_and_audit_values_from_columns_equal_the_frames(solved: list) -> None:
    for st, _ in solved:
        joined = JoinedTables([_fresh(c.tables) for c in st.cases.values()])
        ids = built_ids(joined)
        assert ids is not None
        assert ids == built_candidates(joined["builds"])
        for c in st.cases.values():
            frames = {n: c.tables[n] for n in c.tables}  # the frame path
            fresh = _fresh(c.tables)
            assert repr(values_from_tables(fresh)) == repr(values_from_tables(frames))
            assert not any(fresh.built(n) for n in fresh.sources)  # no frame was built


def test_frames_are_written_as_pandas_writes_them(solved: list) -> None:
    n = len(FLOATS) + 40
    floats = FLOATS + _random_floats(7, 40)
    strings = [STRINGS[i % len(STRINGS)] for i in range(n)]
    mixed = [[None, math.nan, 1.5, "x,y", 3, np.float64(0.1), True][i % 7] for i in range(n)]
    frames = [
        pd.DataFrame(
            {
                "f": floats,
                "i": [i - n // 2 for i in range(n)],
                "b": [i % 3 == 0 for i in range(n)],
                "s": [None if i % 4 == 0 else s for i, s in enumerate(strings)],
                "o": pd.Series(mixed, dtype=object),
                "n": [None] * n,
            }
        ),
        pd.DataFrame(columns=["case"]),
        pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Series([], dtype=object)}),
    ]
    for _, result in solved:
        frames += [result.kpis, result.site_kpis, *(result.tables[n] for n in result.tables)]
    for df in frames:
        assert _frame_cells(df) is not None  # the column path is taken
        assert frame_csv(df) == df.to_csv(index=False)


def test_frames_pandas_must_write() -> None:
    for df in (
        pd.DataFrame({"c": pd.Categorical(["a", "b"])}),
        pd.DataFrame({"f": np.array([1.5, 2.25], dtype=np.float32)}),
        pd.DataFrame({1: [1.0]}),
        pd.DataFrame(),
    ):
        assert _frame_cells(df) is None
        assert frame_csv(df) == df.to_csv(index=False)


def test_numpy_float_text_is_python_repr() -> None:
    """pandas writes a float64 column as ``astype(str)``; the column path hands the floats to
    the csv writer, which writes ``repr``: the two texts must agree on every float64."""
    rng = np.random.default_rng(20261205)
    bits = rng.integers(0, 2**64, 300_000, dtype=np.uint64, endpoint=False)
    values = np.concatenate(
        [
            bits.view(np.float64),
            np.array(FLOATS),
            rng.uniform(-1e6, 1e6, 50_000),
            np.round(rng.uniform(-1e6, 1e6, 50_000), 2),
            rng.integers(-(10**12), 10**12, 50_000).astype(float),
        ]
    )
    values = values[~np.isnan(values)]
    assert values.astype(str).tolist() == [repr(x) for x in values.tolist()]


def test_tables_without_rows_are_written_without_a_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table without rows in every case is written as its header alone (what ``to_csv``
    writes of the joined empty frames) and no frame is made; with rows in one case, or a
    frame made already, pandas writes it. Rows, columns and ``has`` of an empty table read
    as from its frame."""
    cols = ("kind", "owner", "amount")
    empty = NoRows(cols)
    assert _fast_csv("t", [empty, empty], monkeypatch) == _pandas_csv("t", [empty, empty])
    assert _fast_csv("t", [empty, empty], monkeypatch) == "case,kind,owner,amount" + os.linesep
    assert _fast_csv("t", [empty], monkeypatch) == _pandas_csv("t", [empty])
    cases = _cases("t", [empty, empty])
    JoinedTables(cases).csv("t")
    assert not any(c.built("t") for c in cases)
    for c in cases:
        assert c.rows("t") == 0 and c.column("t", "owner") == [] and c.column("t", "case") == []
        assert c.has("t", "case") and c.has("t", "amount") and not c.has("t", "other")
        assert not c.built("t")
        frame = c["t"]  # made now: the same answers from it
        assert list(frame.columns) == ["case", *cols] and len(frame) == 0
        assert c.empty_columns("t") is None and c.rows("t") == 0 and c.has("t", "amount")
        with pytest.raises(KeyError):
            c.column("t", "other")
    rows = {"kind": ["a"], "owner": ["b"], "amount": [1.5]}
    assert JoinedTables(_cases("t", [empty, rows])).csv("t") == _pandas_csv("t", [empty, rows])
    other = NoRows(("kind", "owner"))
    assert JoinedTables(_cases("t", [empty, other])).csv("t") == _pandas_csv("t", [empty, other])
