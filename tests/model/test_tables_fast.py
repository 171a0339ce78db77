"""The planner tables and KPIs from plain lists equal the pandas reference bit for bit.

:mod:`symbio.model.tables` builds each table from the raw value lists and
:mod:`symbio.model.kpis` sums plain lists; :mod:`symbio.model.tables_pandas` and
``reference_kpis.py`` (beside this file) are the same computations as first written with
pandas operations. On solved scenarios chosen to reach every branch (hubs, substitutes, an
empty flows table, a sized candidate, sums in group order, the fixed-builds plan of the
robustness study), every table must have the same columns, dtypes, index and values (each
value's type and ``repr``, so ``-0.0`` and ``0.0`` differ), and every KPI the same float.
``benchmarks/case_tables_dump.py`` runs the same comparison over every bundled scenario.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import reference_kpis
import yaml

from benchmarks.case_tables_dump import SIZED_PAIR
from benchmarks.parks import generate_park
from symbio.flows.load import load_scenario, scenario_from_data
from symbio.model import tables_pandas
from symbio.model.extract import extract, lookup
from symbio.model.kpis import KPI_TABLES, case_kpis, park_kpis
from symbio.model.tables import CaseTables, case_tables
from symbio.run import prepare, run_steps
from symbio.run.plan import operate_plan

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {
    "scip-2025": lambda: load_scenario(ROOT / "scenarios/scip/symbiosis-2025.yaml"),
    "small-park": lambda: load_scenario(ROOT / "scenarios/examples/small-park.yaml"),
    "substitutes": lambda: load_scenario(ROOT / "scenarios/examples/substitutes.yaml"),
    "sized-pair": lambda: scenario_from_data(yaml.safe_load(SIZED_PAIR), None, "<sized>"),
    "park-15": lambda: generate_park(15, 0),
}


def text(df: pd.DataFrame) -> list[str]:
    """Columns, dtypes, index and every value as ``type:repr``."""
    out = [f"{type(df.index).__name__} {list(df.index)!r} {list(df.columns)!r}"]
    for col in df.columns:
        s = df[col]
        vals = list(s.values) if s.dtype == object else s.tolist()
        out.append(f"{col} {s.dtype} " + " ".join(f"{type(v).__name__}:{v!r}" for v in vals))
    return out


def test_text_tells_apart_what_an_output_would() -> None:
    a = pd.DataFrame({"x": [0.0, 1.0]})
    assert text(a) != text(pd.DataFrame({"x": [-0.0, 1.0]}))
    assert text(a) != text(a.astype(object))
    assert text(a) != text(pd.DataFrame({"x": [0.0, 1.0000000000000002]}))
    assert text(a) == text(pd.DataFrame({"x": [0.0, 1.0]}))


def _cases(make) -> dict[str, object]:
    """Raw values of each solved case, and of the optimum's plan with its builds fixed."""
    st = prepare(make())
    run_steps(st)
    raws = dict(st.raw)
    if "optimized" in st.cases:
        built = st.cases["optimized"].tables["builds"]
        operate_plan(st, frozenset(built.loc[built["candidate"] & built["built"], "id"]))
        raws["plan"] = extract(st.model)
    return st.ix, raws


@pytest.fixture(scope="module", params=list(SCENARIOS))
def solved(request: pytest.FixtureRequest) -> tuple:
    return _cases(SCENARIOS[request.param])


def test_tables_and_kpis_equal_the_pandas_reference(solved: tuple) -> None:
    ix, raws = solved
    assert {"optimized", "plan"} <= set(raws)
    for case, raw in raws.items():
        fast = case_tables(ix, raw, case)
        ref = tables_pandas.case_tables(ix, raw, case)
        assert list(fast) == list(ref)
        for name in ref:
            assert text(fast[name]) == text(ref[name]), (case, name)
        criteria = lookup(raw, "objective_expr", "criterion")
        park, sites = case_kpis(ix, fast, criteria)
        ref_park, ref_sites = reference_kpis.case_kpis(ix, ref, criteria)
        assert [(k, repr(v)) for k, v in park.items()] == [
            (k, repr(v)) for k, v in ref_park.items()
        ]
        assert text(sites) == text(ref_sites), case
        # the KPIs read the same from plain frames as from the lists kept beside them
        again, _ = case_kpis(ix, dict(fast), criteria)
        assert repr(again) == repr(park)
        # the park alone, from the KPI tables alone (another table read: a KeyError)
        only = case_tables(ix, raw, case, KPI_TABLES)
        assert list(only) == [name for name in ref if name in KPI_TABLES]
        assert set(KPI_TABLES) < set(ref)
        assert repr(park_kpis(ix, only, criteria)) == repr(park)


def test_kept_columns_are_what_the_frames_hold(solved: tuple) -> None:
    ix, raws = solved
    fast = case_tables(ix, raws["optimized"], "optimized")
    assert isinstance(fast, CaseTables) and fast.sources
    for name, cols in fast.sources.items():
        assert fast.rows(name) == len(fast[name])
        for col in cols:
            assert fast.has(name, col)
            got = [(type(v), repr(v)) for v in fast.column(name, col)]
            assert got == [(type(v), repr(v)) for v in fast[name][col].tolist()], (name, col)


def test_the_kpis_build_no_table(solved: tuple) -> None:
    ix, raws = solved
    fast = case_tables(ix, raws["plan"], "plan")
    built = set(fast._frames)  # only empty tables come as frames
    case_kpis(ix, fast, lookup(raws["plan"], "objective_expr", "criterion"))
    assert set(fast._frames) == built
    assert not built & set(fast.sources)


def test_an_empty_flows_table_keeps_the_reference_dtypes() -> None:
    # the sized pipe is not built in the baseline: no flow at all
    ix, raws = _cases(SCENARIOS["sized-pair"])
    fast = case_tables(ix, raws["baseline"], "baseline")
    assert fast["flows"].empty and "flows" not in fast.sources and fast.rows("flows") == 0
    ref = tables_pandas.case_tables(ix, raws["baseline"], "baseline")
    assert text(fast["flows"]) == text(ref["flows"])
