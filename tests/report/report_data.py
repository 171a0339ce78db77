"""Result directories for the report tests, written by hand to the `symbio run` contract.

Shared by ``conftest.py`` (fixtures) and the test modules (constants).

The numbers are made up (not solved) but consistent with the mini park's network, so each
figure has something to draw and each key number can be searched for in the briefing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from symbio.flows.load import load_scenario, scenario_sha256

DATA = Path(__file__).parent / "data"
MINI_PARK = DATA / "mini-park.yaml"
REPO = Path(__file__).resolve().parents[2]
HYDROGEN_PAIR = REPO / "scenarios" / "examples" / "hydrogen-pair.yaml"

UNITS = {
    "total_cost_cny": "CNY/a",
    "energy_tce": "tce/a",
    "co2_t": "t/a",
    "emission_nox_t": "t/a",
    "emission_so2_t": "t/a",
    "fresh_water_t": "t/a",
    "byproduct_utilised_t": "t/a",
    "symbiosis_links": "count",
    "exchanged_h2": "t/a",
}
#: (baseline, optimized) of the mini park's KPIs; the briefing must show these numbers.
MINI_KPIS = {
    "total_cost_cny": (412_345_678.0, 298_765_432.0),
    "energy_tce": (185_000.0, 171_400.0),
    "co2_t": (520_000.0, 431_250.0),
    "emission_nox_t": (120.5, 98.2),
    "emission_so2_t": (40.0, 38.5),
    "fresh_water_t": (1_200_000.0, 1_150_000.0),
    "byproduct_utilised_t": (20_000.0, 59_000.0),
    "symbiosis_links": (1.0, 4.0),
    "exchanged_h2": (0.0, 9_000.0),
}


def _slices(rows: list[dict], slices: tuple[str, ...] = ("summer", "winter")) -> list[dict]:
    out = []
    for r in rows:
        for s in slices:
            out.append({**r, "slice": s, "amount": r["amount"] / len(slices)})
    return out


def write_resolved(scenario_file: Path, out: Path) -> None:
    """Write ``scenario.resolved.yaml`` as `symbio run` does (the validated scenario as YAML)."""
    sc = load_scenario(scenario_file)
    data = sc.model_dump(mode="json", by_alias=True, exclude_none=True)
    (out / "scenario.resolved.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8"
    )


def write_mini_result(
    out: Path, *, scale: float = 1.0, name: str | None = None, extras: bool = True
) -> Path:
    """Write a complete result directory of the mini park (``scale`` varies the optimized case)."""
    out.mkdir(parents=True, exist_ok=True)
    kpis = {k: (b, b + (o - b) * scale) for k, (b, o) in MINI_KPIS.items()}
    sc = load_scenario(MINI_PARK)
    summary = {
        "status": "optimal",
        "objective": {
            "name": "cost",
            "value": kpis["total_cost_cny"][1],
            "baseline_value": kpis["total_cost_cny"][0],
        },
        "kpis": {k: o for k, (b, o) in kpis.items()},
        "baseline_kpis": {k: b for k, (b, o) in kpis.items()},
        "savings": {
            k: {"abs": b - o, "pct": (b - o) / b * 100 if b else None} for k, (b, o) in kpis.items()
        },
        "solver": {
            "name": "highs",
            "version": "1.7.2",
            "status": "optimal",
            "gap": 0.00042,
            "seconds": 1.234,
        },
        "timings": {"build": 0.21, "handover": 0.05, "solve": 1.234, "load": 0.02},
        "scenario": {
            "name": name or sc.name.en,
            "file": str(MINI_PARK),
            "sha256": scenario_sha256(sc),
        },
        "symbio_version": "0.1.0",
        "units": UNITS,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), "utf-8")
    pd.DataFrame(
        [
            {
                "kpi": k,
                "unit": UNITS[k],
                "baseline": b,
                "optimized": o,
                "saving": b - o,
                "saving_pct": (b - o) / b * 100 if b else None,
            }
            for k, (b, o) in kpis.items()
        ]  # fmt: skip
    ).to_csv(out / "kpis.csv", index=False)
    base_links = [("steam_chp_iso", "steam", "chp", "iso", 80000.0)]
    opt_links = [
        *base_links,
        ("h2_cracker_chlor", "h2", "cracker", "chlor", 3000.0 * scale),
        ("h2_gen.cracker.gasco", "h2", "cracker", "gasco", 6000.0 * scale),
        ("co2_gen.cracker.gasco", "co2", "cracker", "gasco", 8000.0 * scale),
    ]
    flows = []
    for case, links in (("baseline", base_links), ("optimized", opt_links)):
        for lid, res, a, b, amt in links:
            flows.append(
                {
                    "case": case,
                    "link": lid,
                    "resource": res,
                    "from": a,
                    "to": b,
                    "amount": amt,
                    "utilisation": 0.5,
                }
            )
    pd.DataFrame(_slices(flows)).to_csv(out / "flows.csv", index=False)
    builds = []
    for case in ("baseline", "optimized"):
        on = case == "optimized"
        builds += [
            {"case": case, "kind": "link", "id": "h2_cracker_chlor", "resource": "h2", "site": None, "built": int(on),
             "capex_cny": 5_408_327.0 if on else 0.0, "annualised_cny": 550_849.0 if on else 0.0},
            {"case": case, "kind": "link", "id": "h2_gen.cracker.gasco", "resource": "h2", "site": None, "built": int(on),
             "capex_cny": 10_920_165.0 if on else 0.0, "annualised_cny": 1_112_235.0 if on else 0.0},
            {"case": case, "kind": "link", "id": "co2_gen.cracker.gasco", "resource": "co2", "site": None, "built": int(on),
             "capex_cny": 7_280_110.0 if on else 0.0, "annualised_cny": 741_490.0 if on else 0.0},
            {"case": case, "kind": "process", "id": "hcl_ox", "resource": None, "site": "iso", "built": int(on),
             "capex_cny": 400_000_000.0 if on else 0.0, "annualised_cny": 45_741_000.0 if on else 0.0},
        ]  # fmt: skip
    pd.DataFrame(builds).to_csv(out / "builds.csv", index=False)
    purchases = [
        {
            "case": "baseline",
            "market": "h2_buy",
            "resource": "h2",
            "site": "chlor",
            "amount": 3000.0,
        },
        {
            "case": "baseline",
            "market": "cl2_buy",
            "resource": "cl2",
            "site": "iso",
            "amount": 15000.0,
        },
        {"case": "optimized", "market": "cl2_buy", "resource": "cl2", "site": "iso", "amount": 0.0},
        {
            "case": "optimized",
            "market": "grid",
            "resource": "electricity",
            "site": "iso",
            "amount": 6000.0,
        },
    ]
    pd.DataFrame(_slices(purchases)).to_csv(out / "purchases.csv", index=False)
    disposal = [
        {
            "case": "baseline",
            "disposal": "h2_flare",
            "resource": "h2",
            "site": "cracker",
            "amount": 12000.0,
        },
        {
            "case": "baseline",
            "disposal": "co2_vent",
            "resource": "co2",
            "site": "cracker",
            "amount": 30000.0,
        },
        {
            "case": "optimized",
            "disposal": "h2_flare",
            "resource": "h2",
            "site": "cracker",
            "amount": 3000.0,
        },
        {
            "case": "optimized",
            "disposal": "co2_vent",
            "resource": "co2",
            "site": "cracker",
            "amount": 22000.0,
        },
    ]
    pd.DataFrame(_slices(disposal)).to_csv(out / "disposal.csv", index=False)
    pd.DataFrame(columns=["case", "market", "resource", "site", "slice", "amount"]).to_csv(
        out / "sales.csv", index=False
    )
    pd.DataFrame(
        [
            {
                "case": "optimized",
                "process": "hcl_ox",
                "site": "iso",
                "slice": "summer",
                "activity": 12000.0,
            }
        ]
    ).to_csv(out / "process_activity.csv", index=False)
    pd.DataFrame(
        [
            {"case": c, "site": "chp", "source": "boiler", "species": sp, "amount_t": v}
            for c in ("baseline", "optimized")
            for sp, v in (("co2", 16000.0), ("nox", 24.0))
        ]
    ).to_csv(out / "emissions.csv", index=False)
    pd.DataFrame(
        [{"site": "cracker", "kpi": "co2_t", "unit": "t/a", "case": "optimized", "value": 200000.0}]
    ).to_csv(out / "site_kpis.csv", index=False)
    pd.DataFrame(
        [
            {
                "case": "optimized",
                "site": "iso",
                "resource": "steam",
                "slice": "summer",
                "in": 40000.0,
                "out": 40000.0,
            }
        ]
    ).to_csv(out / "site_balances.csv", index=False)
    write_resolved(MINI_PARK, out)
    if extras:
        write_scores(out / "scores")
        pd.DataFrame(
            [
                {
                    "point": 1,
                    "cost": 298_765_432.0,
                    "co2": 431_250.0,
                    "builds": "h2_cracker_chlor;h2_gen.cracker.gasco",
                },
                {
                    "point": 2,
                    "cost": 305_000_000.0,
                    "co2": 400_000.0,
                    "builds": "+co2_gen.cracker.gasco",
                },
                {"point": 3, "cost": 330_000_000.0, "co2": 360_000.0, "builds": "+hcl_ox"},
                {"point": 4, "cost": 390_000_000.0, "co2": 330_000.0, "builds": "all"},
            ]
        ).to_csv(out / "pareto.csv", index=False)
        pd.DataFrame(
            [
                {
                    "measure": "h2_network",
                    "name": "氢气管网 <h2>",
                    "delta_cost": -9.0e7,
                    "co2_avoided": 54000.0,
                    "mac_cny_per_t": -1666.7,
                    "on_curve": True,
                    "delta_nox": -10.0,
                },
                {
                    "measure": "co2_reuse",
                    "name": "CO2 reuse",
                    "delta_cost": 2.0e6,
                    "co2_avoided": 8000.0,
                    "mac_cny_per_t": 250.0,
                    "on_curve": True,
                    "delta_nox": 0.0,
                },
                {
                    "measure": "chlorine_loop",
                    "name": "chlorine loop",
                    "delta_cost": 1.5e7,
                    "co2_avoided": 26750.0,
                    "mac_cny_per_t": 560.7,
                    "on_curve": True,
                    "delta_nox": -2.0,
                },
                {
                    "measure": "nothing",
                    "name": "no effect",
                    "delta_cost": 0.0,
                    "co2_avoided": 0.0,
                    "mac_cny_per_t": None,
                    "on_curve": False,
                    "delta_nox": 0.0,
                },
            ]  # fmt: skip
        ).to_csv(out / "macc.csv", index=False)
    return out


AREAS = (
    "resource_energy_efficiency",
    "pollutant_emissions",
    "decoupling",
    "carbon_emissions",
    "industrial_chain",
    "cp_management",
)


def write_scores(out: Path) -> Path:
    """Write a `symbio score` output in the shape the scoring module writes."""
    out.mkdir(parents=True, exist_ok=True)
    overall = []
    for case, score, grade, b in (
        ("baseline", 71.3, "III", (0.05, 0.25, 0.5, 0.2)),
        ("optimized", 82.6, "II", (0.2, 0.5, 0.25, 0.05)),
    ):
        overall.append({"level": "park", "entity": "park", "case": case, "score": score,
                        "grade_max_membership": grade, "grade_by_score": grade, "composite_rating": "III",
                        **{f"b_{g}": v for g, v in zip(("I", "II", "III", "below"), b, strict=True)}})  # fmt: skip
    pd.DataFrame(overall).to_csv(out / "overall_scores.csv", index=False)
    areas = []
    weights = (0.22, 0.2, 0.12, 0.2, 0.16, 0.1)
    for case, base in (("baseline", 65.0), ("optimized", 78.0)):
        for i, (a, w) in enumerate(zip(AREAS, weights, strict=True)):
            areas.append(
                {
                    "level": "park",
                    "entity": "park",
                    "case": case,
                    "area": a,
                    "weight": w,
                    "score": base + 3 * i,
                }
            )
    pd.DataFrame(areas).to_csv(out / "area_scores.csv", index=False)
    pd.DataFrame(
        [
            {
                "level": "park",
                "entity": "park",
                "case": "optimized",
                "indicator": "energy_per_output",
                "area": "resource_energy_efficiency",
                "unit": "tce/1e4CNY",
                "value": 0.42,
                "available": True,
                "weight": 0.11,
            },
            {
                "level": "park",
                "entity": "park",
                "case": "optimized",
                "indicator": "symbiosis_links",
                "area": "industrial_chain",
                "unit": "count",
                "value": 4,
                "available": True,
                "weight": 0.08,
            },
        ]  # fmt: skip
    ).to_csv(out / "indicator_scores.csv", index=False)
    doc = {
        "grades": {"park": {"optimized": {"park": {"score": 82.6, "grade_max_membership": "II"}}}},
        "weights": {
            "note": "Weights come from ILLUSTRATIVE EXAMPLE judgments, not survey data.",
            "global": [],
        },
        "consistency": [
            {
                "node": "goal",
                "expert": "group",
                "n": 6,
                "lambda_max": 6.21,
                "ci": 0.042,
                "ri": 1.24,
                "cr": 0.034,
                "consistent": True,
            }
        ],  # fmt: skip
        "method": {"operator": "M(·,⊕)"},
    }
    (out / "scores.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return out


def write_pair_result(out: Path) -> Path:
    """The hydrogen pair's result, the bare minimum: summary and a few tables, no extras."""
    out.mkdir(parents=True, exist_ok=True)
    base, opt = 120_000_000.0, 916_670.0
    summary = {
        "status": "optimal",
        "objective": {"name": "cost", "value": opt, "baseline_value": base},
        "kpis": {"total_cost_cny": opt, "co2_t": 0.0, "symbiosis_links": 1, "exchanged_h2": 6000.0},
        "baseline_kpis": {
            "total_cost_cny": base,
            "co2_t": 54000.0,
            "symbiosis_links": 0,
            "exchanged_h2": 0.0,
        },
        "savings": {"total_cost_cny": {"abs": base - opt, "pct": (base - opt) / base * 100}},
        "solver": {
            "name": "highs",
            "version": "1.7.2",
            "status": "optimal",
            "gap": 0.0,
            "seconds": 0.01,
        },
        "timings": {"build": 0.01, "handover": 0.0, "solve": 0.01, "load": 0.0},
        "scenario": {
            "name": "Hydrogen pair (teaching example)",
            "file": str(HYDROGEN_PAIR),
            "sha256": "0" * 64,
        },
        "symbio_version": "0.1.0",
        "units": {
            "total_cost_cny": "CNY/a",
            "co2_t": "t/a",
            "symbiosis_links": "count",
            "exchanged_h2": "t/a",
        },
    }
    (out / "summary.json").write_text(json.dumps(summary), "utf-8")
    pd.DataFrame(
        [
            {
                "case": "optimized",
                "link": "h2_pipe.cracker.refinery",
                "resource": "h2",
                "from": "cracker",
                "to": "refinery",
                "slice": "year",
                "amount": 6000.0,
                "utilisation": 1.0,
            }
        ]  # fmt: skip
    ).to_csv(out / "flows.csv", index=False)
    pd.DataFrame(
        [
            {
                "case": "optimized",
                "kind": "link",
                "id": "h2_pipe.cracker.refinery",
                "resource": "h2",
                "built": True,
                "capex_cny": 9.0e6,
                "annualised_cny": 916_670.0,
            }
        ]  # fmt: skip
    ).to_csv(out / "builds.csv", index=False)
    write_resolved(HYDROGEN_PAIR, out)
    return out
