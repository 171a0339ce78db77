"""Differential harness for the per-case result tables and KPIs: dump, compare, time.

For every scenario of ``scenarios/scip/`` and ``scenarios/examples/``, the test scenarios
with hubs or fronts, a sized candidate and a few small synthetic parks (plus SCIP 2025
minimising CO2), this solves the run (baseline, optimized) and operates the optimum's plan
with its build decisions fixed, as the robustness study does
(:func:`symbio.run.plan.operate_plan`). For each case it writes every planner table (column
names, dtypes, index, and each value as ``type:repr``), the site KPIs, the park KPIs and the
criteria, one text file per scenario. Two dumps of different code must be equal byte for
byte::

    python -m benchmarks.case_tables_dump dump /tmp/before
    python -m benchmarks.case_tables_dump dump /tmp/after
    diff -r /tmp/before /tmp/after

``time`` repeats a case's extract + tables + KPIs on solved SCIP scenarios and prints CPU
milliseconds per case (median of the repeats), one JSON line, for ``farm-bench`` A/B runs
from two checkouts::

    python -m benchmarks.case_tables_dump time --repeat 20

``warm`` times warm ``symbio run --set`` points (CPU ms per point, median)::

    python -m benchmarks.case_tables_dump warm
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

SIZED_PAIR = """
name: {en: sized pipe}
resources:
  - {id: h2, unit: t, name: {en: hydrogen}, category: byproduct}
sites:
  - id: src
    name: {en: source}
    supplies: [{resource: h2, amount: 1000}]
  - id: dst
    name: {en: user}
    demands: [{resource: h2, amount: 600}]
links:
  - {id: pipe, resource: h2, from: src, to: dst, candidate: true, length_km: 1,
     lifetime_y: 20, capex_cny: 1.0e6, sizing: {max_capacity: 2000, capex_cny_per_unit: 5000}}
markets:
  - {id: h2_buy, resource: h2, site: dst, buy_cny: 10000}
disposal:
  - {id: flare, resource: h2, site: src, cost_cny: 0}
"""


def scenarios() -> Iterator[tuple[str, Callable[[], object], str | None]]:
    """``(name, () -> scenario, objective)`` of every scenario the harness runs."""
    import yaml

    from benchmarks.parks import generate_park
    from symbio.flows.load import load_scenario, scenario_from_data

    files = sorted((ROOT / "scenarios" / "scip").glob("*.yaml"))
    files += sorted((ROOT / "scenarios" / "examples").glob("*.yaml"))
    files += [ROOT / "tests" / "report" / "data" / "mini-park.yaml"]
    files += sorted((ROOT / "tests" / "pathways" / "data").glob("*.yaml"))
    for f in files:
        yield f"{f.parent.name}-{f.stem}", (lambda f=f: load_scenario(f)), None
    scip = ROOT / "scenarios" / "scip" / "symbiosis-2025.yaml"
    yield "scip-symbiosis-2025-co2", (lambda: load_scenario(scip)), "co2"
    yield (
        "sized-pair",
        lambda: scenario_from_data(yaml.safe_load(SIZED_PAIR), None, "<sized>"),
        None,
    )
    for n, seed in ((15, 0), (24, 1), (40, 2)):
        yield f"park-{n}-{seed}", (lambda n=n, seed=seed: generate_park(n, seed)), None


def _value(v: object) -> str:
    return f"{type(v).__name__}:{v!r}"


def frame_text(name: str, df: pd.DataFrame) -> list[str]:
    """Every property of a DataFrame that reaches an output, as lines of text."""
    lines = [f"== {name} shape={df.shape}"]
    lines.append(f"index {type(df.index).__name__} {df.index.dtype} {list(df.index)!r}")
    for col in df.columns:
        s = df[col]
        vals = s.tolist() if s.dtype != object else list(s.values)
        lines.append(f"col {col!r} {s.dtype} " + " ".join(_value(v) for v in vals))
    return lines


def case_text(case: str, tables: dict, sites: pd.DataFrame, park: dict, crit: dict) -> list[str]:
    """A case's tables, site KPIs, park KPIs and criteria as lines of text."""
    lines = [f"### case {case}", f"tables {list(tables)!r}"]
    for name, df in tables.items():
        lines += frame_text(name, df)
    lines += frame_text("sites", sites)
    lines += [f"park {k!r} {_value(v)}" for k, v in park.items()]
    lines += [f"criterion {k!r} {_value(v)}" for k, v in crit.items()]
    return lines


def _case_parts(st: object, case: str) -> tuple:
    from symbio.model.extract import extract, lookup
    from symbio.model.kpis import case_kpis
    from symbio.model.tables import case_tables

    raw = extract(st.model)
    tables = case_tables(st.ix, raw, case)
    crit = lookup(raw, "objective_expr", "criterion")
    park, sites = case_kpis(st.ix, tables, crit)
    return tables, sites, park, crit


def _plan(st: object) -> frozenset[str]:
    built = st.cases["optimized"].tables["builds"]
    return frozenset(built.loc[built["candidate"] & built["built"], "id"])


def solved_state(make: Callable[[], object], objective: str | None) -> object:
    """A prepared run with every step done (the state, not the assembled Result)."""
    from symbio.run import prepare, run_steps

    st = prepare(make(), objective)
    run_steps(st)
    return st


def dump_one(make: Callable[[], object], objective: str | None) -> list[str]:
    """Lines of every case of one scenario: the run's cases, then the plan case."""
    from symbio.errors import SymbioError
    from symbio.run.plan import operate_plan

    st = solved_state(make, objective)
    lines = []
    for case, c in st.cases.items():
        lines += case_text(case, c.tables, c.sites, c.park, c.criteria)
    if "optimized" in st.cases:
        try:
            park = operate_plan(st, _plan(st))
        except SymbioError as exc:
            lines.append(f"### plan failed: {exc}")
        else:
            lines += case_text("plan", *_case_parts(st, "plan"))
            lines += [f"operate_plan {k!r} {_value(v)}" for k, v in park.items()]
    return lines


def dump(out: Path, only: str | None) -> None:
    """Write one ``<scenario>.txt`` per scenario into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, make, objective in scenarios():
        if only and only not in name:
            continue
        t0 = time.perf_counter()
        text = "\n".join(dump_one(make, objective)) + "\n"
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        print(f"{name}: {len(text):,} chars, {time.perf_counter() - t0:.1f} s", flush=True)


def _canonical_values(st: object) -> dict[str, object]:
    """Each solved case's canonical column values (what its tables are built from)."""
    from dataclasses import replace

    import numpy as np

    from symbio.canonical import canonical_flows, restore_values
    from symbio.run.state import configure

    out = {}
    for case in st.solved:
        configure(st, case)
        restore_values(st.solver, st.solutions[case])
        canonical_flows(st.solver, replace(st.sopts, mip_gap=None, mip_abs_gap=None))
        out[case] = np.asarray([v.value for v in st.solver.compiler.columns], dtype=float)
    return out


def time_cases(repeat: int, files: list[str]) -> dict:
    """CPU ms of a case's extract + tables + KPIs (median over ``repeat``), per scenario.

    ``case``: every table built, as a run's baseline and optimized case need them (the
    result holds them); ``plan``: what :func:`symbio.run.plan.operate_plan` does, the park
    KPIs only (tables a case does not read may stay unbuilt).
    """
    from symbio.canonical import restore_values
    from symbio.flows.load import load_scenario
    from symbio.run.state import configure

    out = {}
    for f in files:
        st = solved_state(lambda f=f: load_scenario(ROOT / f), None)
        values = _canonical_values(st)
        per: dict[str, list[float]] = {"case": [], "plan": []}
        for _ in range(repeat):
            for kind in per:
                cpu = 0.0
                for case, x in values.items():
                    configure(st, case)
                    restore_values(st.solver, x)
                    t0 = time.process_time()
                    tables, *_ = _case_parts(st, case)
                    if kind == "case":
                        [tables[name] for name in tables]  # noqa: B018 - build every table
                    cpu += time.process_time() - t0
                per[kind].append(cpu / len(values) * 1e3)
        out[Path(f).stem] = {k: statistics.median(v) for k, v in per.items()}
    return out


def warm_points(prices: list[float]) -> dict:
    """CPU ms per warm ``symbio run --set`` point of SCIP 2025 at these carbon prices.

    As ``run_grid`` runs them (:class:`symbio.pathways.warm.WarmRuns`, no audit): the model
    kept, the price set, both cases solved again, their tables and KPIs made.
    """
    from symbio.flows.load import load_scenario
    from symbio.flows.overrides import apply_overrides
    from symbio.pathways.warm import WarmRuns

    path = ROOT / "scenarios" / "scip" / "symbiosis-2025.yaml"
    warm = WarmRuns(audit=False)
    warm(load_scenario(path))
    per = []
    for p in prices:
        sc = apply_overrides(path, {"policy.carbon_price_cny_t": p})
        t0 = time.process_time()
        warm(sc)
        per.append((time.process_time() - t0) * 1e3)
    return {"cpu_ms_per_point_median": statistics.median(per), "warm": warm.warm}


def main(argv: list[str] | None = None) -> None:
    """``dump OUT [--only NAME]`` or ``time [--repeat N] [FILES]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--only")
    t = sub.add_parser("time")
    t.add_argument("--repeat", type=int, default=20)
    t.add_argument(
        "files",
        nargs="*",
        default=["scenarios/scip/symbiosis-2025.yaml", "scenarios/scip/baseline-2021.yaml"],
    )
    w = sub.add_parser("warm")
    w.add_argument("--prices", type=float, nargs="+", default=[50, 100, 150, 200, 300, 400, 500])
    args = ap.parse_args(argv)
    if args.cmd == "warm":
        print(json.dumps(warm_points(args.prices)))
        return
    if args.cmd == "dump":
        dump(args.out, args.only)
        return
    ms = time_cases(args.repeat, args.files)
    mean = {k: statistics.mean(v[k] for v in ms.values()) for k in ("case", "plan")}
    print(json.dumps({"cpu_ms_per_case": ms, "mean": mean}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
