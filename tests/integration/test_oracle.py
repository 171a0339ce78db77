"""Independent oracle: on random tiny parks the MILP optimum equals the best of all build subsets.

For every subset of the build decisions (candidate links and processes, and the on/off state
of processes with a minimum load) the remaining problem is an LP. It is written here from the
scenario alone, with its own indexing (every site x resource x slice, dense), and solved by
``scipy.optimize.linprog``. Nothing from ``symbio.model`` is used on this side: not the index,
not the derived bounds, not the cost or emission terms.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from symbio.flows.graph import build_graph
from symbio.flows.load import scenario_from_data
from symbio.model import build_model
from symbio.solvers import SolverOptions, Status, solve_model

N_INSTANCES = 40


def random_park(seed: int) -> dict:
    """A small random park: 3-4 sites, 2 resources, 1-2 slices, at most 6 build decisions."""
    rng = np.random.default_rng(seed)
    u = lambda lo, hi: float(round(rng.uniform(lo, hi), 2))  # noqa: E731
    n_sites = int(rng.integers(3, 5))
    sites = [
        {"id": f"s{i}", "name": {"en": f"site {i}"}, "supplies": [], "demands": []}
        for i in range(n_sites)
    ]
    two = rng.random() < 0.5
    slices = (
        [{"id": "a", "hours": 5000}, {"id": "b", "hours": 3760}]
        if two
        else [{"id": "y", "hours": 8760}]
    )
    # r0: a by-product supplied at s0 (and maybe s1); r1: a product demanded at the last sites
    sites[0]["supplies"].append({"resource": "r0", "amount": u(50, 150)})
    if rng.random() < 0.5:
        sites[1]["supplies"].append({"resource": "r0", "amount": u(10, 60)})
    for s in sites[-2:]:
        d = {"resource": "r1", "amount": u(20, 80)}
        if two and rng.random() < 0.5:
            a, b = u(5, 60), u(5, 40)
            d.update(amount=round(a + b, 2), by_slice={"a": a, "b": b})
        s["demands"].append(d)
    decisions = 0
    processes = []
    for k in range(int(rng.integers(1, 3))):
        cand = rng.random() < 0.7
        p = {
            "id": f"p{k}",
            "site": f"s{int(rng.integers(0, n_sites))}",
            "candidate": cand,
            "inputs": {"r0": u(0.8, 1.5)},
            "outputs": {"r1": u(0.5, 1.0)},
            "capacity": u(40, 150),
            "variable_om_cny": u(0, 20),
            "capex_cny": u(500, 5000) if cand else 0.0,
            "fixed_om_cny_a": u(0, 100),
            "lifetime_y": int(rng.integers(5, 25)),
            "emissions": {"co2": u(0, 0.5)},
        }
        if rng.random() < 0.3 and not two:
            p["min_load"] = u(0.2, 0.6)  # one slice: one on/off decision
            decisions += 1
        decisions += int(cand)
        processes.append(p)
    links = []
    pairs = [(a, b) for a in range(n_sites) for b in range(n_sites) if a != b]
    rng.shuffle(pairs)
    for k, (a, b) in enumerate(pairs[: int(rng.integers(2, 6))]):
        cand = decisions < 6 and rng.random() < 0.7
        decisions += int(cand)
        lk = {
            "id": f"l{k}",
            "resource": "r0" if rng.random() < 0.5 else "r1",
            "from": f"s{a}",
            "to": f"s{b}",
            "candidate": cand,
            "capacity": u(20, 120),
            "length_km": u(0.5, 4),
            "capex_cny_per_km": u(100, 1500) if cand else 0.0,
            "variable_cost_cny": u(0, 3),
            "fixed_om_cny_a": u(0, 50),
            "lifetime_y": int(rng.integers(5, 30)),
        }
        if rng.random() < 0.5:
            lk["loss"] = u(0, 0.1)
        else:
            lk["loss_per_km"] = u(0, 0.02)
        links.append(lk)
    markets = [
        {
            "id": "r1_buy",
            "resource": "r1",
            "site": None,
            "buy_cny": u(40, 120),
            "emissions": {"co2": u(0, 2)},
        },
        {
            "id": "r1_sell",
            "resource": "r1",
            "site": "s0",
            "sell_cny": u(0, 30),
            "sell_cap": u(5, 50),
        },
    ]
    disposal = [
        {
            "id": "dump0",
            "resource": "r0",
            "site": None,
            "cost_cny": u(0, 10),
            "emissions": {"co2": u(0, 1)},
        },
        {"id": "dump1", "resource": "r1", "site": None, "cost_cny": u(0, 5)},
    ]
    return {
        "name": {"en": f"oracle {seed}"},
        "time_slices": slices,
        "resources": [
            {"id": "r0", "unit": "t", "name": {"en": "r0"}, "category": "byproduct"},
            {"id": "r1", "unit": "t", "name": {"en": "r1"}, "category": "product"},
        ],
        "sites": sites,
        "processes": processes,
        "links": links,
        "markets": markets,
        "disposal": disposal,
        "policy": {"carbon_price_cny_t": u(0, 200), "discount_rate": u(0, 0.1)},
    }


def crf(r: float, n: int) -> float:
    return 1 / n if r == 0 else r / (1 - (1 + r) ** -n)


def oracle(data: dict) -> float:
    """Best objective over all build subsets (inf when every subset is infeasible)."""
    sl = [(t["id"], t["hours"] / 8760) for t in data["time_slices"]]
    sites = [s["id"] for s in data["sites"]]
    res = [r["id"] for r in data["resources"]]
    rate, price = data["policy"]["discount_rate"], data["policy"]["carbon_price_cny_t"]
    procs, links = data["processes"], data["links"]
    producers = {
        r: {s["id"] for s in data["sites"] for f in s["supplies"] if f["resource"] == r}
        | {p["site"] for p in procs if r in p["outputs"]}
        for r in res
    }

    def amount(f: dict, t: str, share: float) -> float:
        return f["by_slice"][t] if f.get("by_slice") else f["amount"] * share

    cand = [("l", lk["id"]) for lk in links if lk["candidate"]] + [
        ("p", p["id"]) for p in procs if p["candidate"]
    ]
    onoff = [p["id"] for p in procs if p.get("min_load", 0) > 0]
    best = math.inf
    for bits in itertools.product([0, 1], repeat=len(cand) + len(onoff)):
        built = {c for c, b in zip(cand, bits, strict=False) if b}
        on = {p for p, b in zip(onoff, bits[len(cand) :], strict=True) if b}
        if any(
            ("p", p) not in built and next(q for q in procs if q["id"] == p)["candidate"]
            for p in on
        ):
            continue
        cols: list[tuple[float, float, float, dict]] = []  # (cost, lb, ub, {(site,res,t): coef})
        const = 0.0
        for lk in links:
            if lk["candidate"] and ("l", lk["id"]) not in built:
                continue
            const += lk["fixed_om_cny_a"] + (
                lk["capex_cny_per_km"] * lk["length_km"] * crf(rate, lk["lifetime_y"])
                if lk["candidate"]
                else 0.0
            )
            loss = lk["loss"] if "loss" in lk else lk["loss_per_km"] * lk["length_km"]
            for t, sh in sl:
                cols.append(
                    (
                        lk["variable_cost_cny"],
                        0,
                        lk["capacity"] * sh,
                        {
                            (lk["from"], lk["resource"], t): -1.0,
                            (lk["to"], lk["resource"], t): 1 - loss,
                        },
                    )
                )
        for p in procs:
            if p["candidate"] and ("p", p["id"]) not in built:
                continue
            const += p["fixed_om_cny_a"] + (
                p["capex_cny"] * crf(rate, p["lifetime_y"]) if p["candidate"] else 0
            )
            for t, sh in sl:
                cap = p["capacity"] * sh
                lb, ub = 0.0, cap
                if p["id"] in onoff:
                    lb, ub = (p["min_load"] * cap, cap) if p["id"] in on else (0.0, 0.0)
                coef = {(p["site"], r, t): a for r, a in p["outputs"].items()}
                for r, a in p["inputs"].items():
                    coef[(p["site"], r, t)] = coef.get((p["site"], r, t), 0.0) - a
                cols.append(
                    (p["variable_om_cny"] + price * p["emissions"].get("co2", 0.0), lb, ub, coef)
                )
        caps: list[tuple[list[int], float]] = []
        for mk in data["markets"]:
            where = [mk["site"]] if mk["site"] else sites
            for t, sh in sl:
                for side, sign in (("buy", 1.0), ("sell", -1.0)):
                    if mk.get(f"{side}_cny") is None:
                        continue
                    cap = mk.get(f"{side}_cap")
                    group = []
                    for i in where:
                        e = mk.get("emissions", {}).get("co2", 0.0) if side == "buy" else 0.0
                        group.append(len(cols))
                        cols.append(
                            (
                                sign * mk[f"{side}_cny"] + price * e,
                                0,
                                math.inf,
                                {(i, mk["resource"], t): sign},
                            )
                        )
                    if cap is not None:
                        caps.append((group, cap * sh))
        for d in data["disposal"]:
            where = [d["site"]] if d["site"] else sorted(producers[d["resource"]])
            for t, _ in sl:
                for i in where:
                    cols.append(
                        (
                            d["cost_cny"] + price * d.get("emissions", {}).get("co2", 0.0),
                            0,
                            math.inf,
                            {(i, d["resource"], t): -1.0},
                        )
                    )
        rows = [(i, r, t) for i in sites for r in res for t, _ in sl]
        row_of = {k: n for n, k in enumerate(rows)}
        a_eq = np.zeros((len(rows), len(cols)))
        b_eq = np.zeros(len(rows))
        for j, (_, _, _, coef) in enumerate(cols):
            for k, v in coef.items():
                a_eq[row_of[k], j] += v
        for s in data["sites"]:
            for t, sh in sl:
                for f in s["demands"]:
                    b_eq[row_of[s["id"], f["resource"], t]] += amount(f, t, sh)
                for f in s["supplies"]:
                    b_eq[row_of[s["id"], f["resource"], t]] -= amount(f, t, sh)
        a_ub = np.zeros((len(caps), len(cols)))
        for n, (group, _) in enumerate(caps):
            a_ub[n, group] = 1.0
        out = linprog(
            np.array([c[0] for c in cols]),
            A_ub=a_ub if caps else None,
            b_ub=np.array([c for _, c in caps]) if caps else None,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=[(c[1], None if math.isinf(c[2]) else c[2]) for c in cols],
            method="highs",
        )
        if out.status == 0:
            best = min(best, out.fun + const)
    return best


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_milp_equals_best_build_subset(seed: int) -> None:
    data = random_park(seed)
    scenario = scenario_from_data(data, None, f"<oracle {seed}>")
    expected = oracle(data)
    m = build_model(build_graph(scenario))
    out = solve_model(m, SolverOptions(mip_gap=0.0))
    if math.isinf(expected):
        assert out.status == Status.INFEASIBLE
    else:
        assert out.status == Status.OPTIMAL
        assert out.objective == pytest.approx(expected, rel=1e-7, abs=1e-5)


def test_instances_exercise_the_build_decisions() -> None:
    # The oracle is only meaningful if instances have decisions and optima differ from the baseline.
    counts = []
    for seed in range(N_INSTANCES):
        d = random_park(seed)
        counts.append(
            sum(lk["candidate"] for lk in d["links"])
            + sum(p["candidate"] for p in d["processes"])
            + sum(p.get("min_load", 0) > 0 for p in d["processes"])
        )
    assert max(counts) <= 6
    assert sum(c >= 3 for c in counts) >= N_INSTANCES // 3
