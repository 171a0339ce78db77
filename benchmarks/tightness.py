"""Where the LP relaxation of a synthetic park is weak: fractional builds per link family.

Solves the model of ``generate_park(N, seed)`` twice (the LP relaxation and the MIP to a
gap) and reports, per resource of the candidate links and for candidate processes:

* how many build decisions the LP sets fractional, and the fixed cost (annualised capex +
  fixed O&M) it pays for them, against the fixed cost the MIP solution pays;
* how loose the flow bound ``B`` multiplying the build binary is: the peak flow of each link
  built by the MIP divided by its bound (1 = the bound is the flow; small = weak big-M).

The fixed cost the LP "saves" on a family (MIP fixed cost − LP fixed cost) is that
family's share of the LP–MIP gap.

    python -m benchmarks.tightness 1000 --time-limit 120
    python -m benchmarks.tightness 5000 --lp-cuts     # LP bound: no cuts, process_link_build, + cover
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fixed_costs(ix) -> tuple[dict[str, float], dict[str, float]]:
    links = {
        lid: ix.link_annual_capex[lid] + ix.links[lid].fixed_om_cny_a for lid in ix.candidate_links
    }
    procs = {
        p: ix.process_annual_capex[p] + ix.processes[p].fixed_om_cny_a
        for p in ix.candidate_processes
    }
    return links, procs


def _snapshot(m) -> dict:
    ix = m.symbio_index
    lf, pf = _fixed_costs(ix)
    out: dict = {"links": {}, "processes": {}}
    for lid in ix.candidate_links:
        flows = [m.link_flow[lid, t].value or 0.0 for t in ix.slices]
        bounds = [ix.link_bound[lid, t] for t in ix.slices]
        out["links"][lid] = {
            "resource": ix.links[lid].resource,
            "build": m.link_build[lid].value or 0.0,
            "fixed": lf[lid],
            "peak_use": max(
                (f / b for f, b in zip(flows, bounds, strict=True) if b > 0), default=0.0
            ),
        }
    for p in ix.candidate_processes:
        out["processes"][p] = {
            "build": m.process_build[p].value or 0.0,
            "fixed": pf[p],
            "kind": p.split(".", 1)[0],
        }
    return out


def analyse(n: int, seed: int, time_limit: float, mip_gap: float, threads: int) -> dict:
    """Solve the LP relaxation and the MIP of one park; return the per-family comparison."""
    import pyomo.environ as pyo

    sys.path.insert(0, str(ROOT))
    import symbio
    from benchmarks.parks import generate_park
    from symbio.model import build_model
    from symbio.solvers import SolverOptions, solve_model

    graph = symbio.build_graph(generate_park(n, seed))
    lp = build_model(graph)
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(lp)
    lp_out = solve_model(lp, SolverOptions(time_limit=time_limit, threads=threads))
    mip = build_model(graph)
    mip_out = solve_model(
        mip, SolverOptions(time_limit=time_limit, mip_gap=mip_gap, threads=threads)
    )
    a, b = _snapshot(lp), _snapshot(mip)

    fam: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for lid, x in a["links"].items():
        f = fam[f"link:{x['resource']}"]
        y = b["links"][lid]
        f["candidates"] += 1
        f["lp_used"] += x["build"] > 1e-6
        f["lp_fractional"] += 1e-6 < x["build"] < 1 - 1e-6
        f["lp_fixed_cost"] += x["build"] * x["fixed"]
        f["mip_built"] += y["build"] > 0.5
        f["mip_fixed_cost"] += y["fixed"] * (y["build"] > 0.5)
        if y["build"] > 0.5:
            f["_use_sum"] += y["peak_use"]
    for p, x in a["processes"].items():
        f = fam[f"process:{x['kind']}"]
        y = b["processes"][p]
        f["candidates"] += 1
        f["lp_used"] += x["build"] > 1e-6
        f["lp_fractional"] += 1e-6 < x["build"] < 1 - 1e-6
        f["lp_fixed_cost"] += x["build"] * x["fixed"]
        f["mip_built"] += y["build"] > 0.5
        f["mip_fixed_cost"] += y["fixed"] * (y["build"] > 0.5)
    table = {}
    for k, f in sorted(fam.items()):
        row = {
            key: (int(v) if key not in ("lp_fixed_cost", "mip_fixed_cost") else float(v))
            for key, v in f.items()
            if not key.startswith("_")
        }
        if f["mip_built"] and "_use_sum" in f:
            row["mip_mean_peak_flow_over_bound"] = f["_use_sum"] / f["mip_built"]
        row["fixed_cost_lp_saves"] = row["mip_fixed_cost"] - row["lp_fixed_cost"]
        table[k] = row
    return {
        "n_sites": n,
        "seed": seed,
        "lp_objective": lp_out.objective,
        "mip_objective": mip_out.objective,
        "mip_bound": mip_out.bound,
        "mip_gap": mip_out.gap,
        "mip_status": str(mip_out.status),
        "families": table,
    }


def lp_cuts(n: int, seed: int, time_limit: float, threads: int) -> dict:
    """LP relaxation bound without valid inequalities, with the model's ``process_link_build``
    and with the general ``process_link_cover`` on top (:mod:`symbio.model.linkcuts`)."""
    import time

    import pyomo.environ as pyo

    import symbio
    from benchmarks.parks import generate_park
    from symbio.model import build_model
    from symbio.model.linkcuts import add_link_cover_cuts
    from symbio.solvers import SolverOptions, solve_model

    graph = symbio.build_graph(generate_park(n, seed))
    out: dict = {"n_sites": n, "seed": seed}
    for key in ("without_cuts", "with_cuts", "with_cover"):
        lp = build_model(graph)
        out["cut_rows"] = len(lp.process_link_build)
        if key == "without_cuts":
            lp.process_link_build.deactivate()
        if key == "with_cover":
            out["cover_rows"] = add_link_cover_cuts(lp, lp.symbio_index)
        pyo.TransformationFactory("core.relax_integer_vars").apply_to(lp)
        cpu = time.process_time()
        res = solve_model(lp, SolverOptions(time_limit=time_limit, threads=threads))
        out[key] = {"bound": res.objective, "cpu_seconds": time.process_time() - cpu}
        print(key, out[key], flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("n_sites", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--mip-gap", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, help="write the JSON here")
    ap.add_argument("--lp-cuts", action="store_true", help="only the LP bound with/without cuts")
    args = ap.parse_args(argv)
    if args.lp_cuts:
        res = lp_cuts(args.n_sites, args.seed, args.time_limit, args.threads)
        print(json.dumps(res))
        if args.out:
            args.out.write_text(json.dumps(res, indent=1))
        return 0
    res = analyse(args.n_sites, args.seed, args.time_limit, args.mip_gap, args.threads)
    text = json.dumps(res, indent=1)
    if args.out:
        args.out.write_text(text)
    print(
        f"LP {res['lp_objective']:.6g}  MIP {res['mip_objective']:.6g} (bound {res['mip_bound']:.6g}, "
        f"gap {100 * (res['mip_gap'] or 0):.2f}%, {res['mip_status']})"
    )
    print(
        f"{'family':26s} {'cand':>6s} {'LP used':>7s} {'LP frac':>7s} {'MIP built':>9s} "
        f"{'LP fixed':>12s} {'MIP fixed':>12s} {'LP saves':>12s} {'flow/B':>7s}"
    )
    for k, r in res["families"].items():
        fb = r.get("mip_mean_peak_flow_over_bound")
        print(
            f"{k:26s} {r['candidates']:6d} {r['lp_used']:7d} {r['lp_fractional']:7d} {r['mip_built']:9d} "
            f"{r['lp_fixed_cost']:12.4g} {r['mip_fixed_cost']:12.4g} {r['fixed_cost_lp_saves']:12.4g} "
            f"{'' if fb is None else f'{fb:7.2f}'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
