"""A seeded synthetic chemical park for benchmarks: N sites in zones on a ~10 x 6 km map.

Every number here is synthetic (the scenario's ``description`` says so): the park has the
structure of a large Chinese chemical park, not its data.

Structure
---------
* **Sites** sit in zones (Gaussian clusters) on a 10 x 6 km map; each has one sector.
* **Resources**: the six SCIP exchange flows (by-product hydrogen with a purity, HP and LP
  steam, HCl, CO2, wastewater, hazardous waste) plus electricity, natural gas and water, and
  the raw CO2 of emitters (vented unless captured).
* **Sectors** (share of sites): olefin crackers (H2 by-product of varying purity, surplus
  HP steam, raw CO2, candidate CO2 capture), hydrogen users with an existing steam reformer
  (candidate capture of its CO2), isocyanate plants (by-product HCl, candidate HCl
  oxidation), chlor-vinyl plants (HCl users), CO2 users, exothermic plants exporting steam,
  polymers and fine chemicals (steam users at two pressure levels with existing gas boilers
  and let-down stations, wastewater, hazardous waste), utilities (existing gas CHP with a
  minimum load; candidate heat-recovery incinerator), wastewater treatment plants, hazardous
  waste incinerators (existing; candidate heat recovery) and logistics sites.
* **Markets** for electricity, natural gas, water, HCl and CO2 at every site (``site: null``);
  **disposal** (flaring, venting, neutralisation, discharge, landfill) at every site where the
  resource arises.
* **Existing links**: a sewer from most wastewater producers to the nearest treatment plant
  and a steam main from each utility to its nearest steam users.
* **Candidate links** come from one ``candidate_links`` generator per exchange resource. Its
  ``max_km`` is chosen (bisection on the real positions) so that a supplying site has on
  average ``neighbours`` receiving sites within reach (6 for pipelines, 3-4 for waste
  streams), capped by a physical limit (steam does not travel far). The candidate count thus
  grows linearly with N; nothing enumerates all pairs.
* **4 time slices** (seasons); steam demand follows a heating profile through ``by_slice``.

Use
---
>>> from benchmarks.parks import generate_park
>>> park = generate_park(200, seed=1)  # doctest: +SKIP

``python -m benchmarks.parks 1000 --seed 0 --out park-1000.yaml`` writes the scenario as YAML
for ``symbio validate`` / ``symbio run``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from symbio.flows.schema import Scenario

MAP_KM = (10.0, 6.0)
SYNTHETIC = "synthetic benchmark value"
DESCRIPTION = "synthetic benchmark park, not data"

#: Seasons: (id, hours, heating multiplier on the hourly steam demand).
SLICES: tuple[tuple[str, float, float], ...] = (
    ("winter", 2160.0, 1.25),
    ("spring", 2208.0, 0.95),
    ("summer", 2208.0, 0.80),
    ("autumn", 2184.0, 1.00),
)

#: sector -> (share of sites, minimum count, site kind). ``logistics`` takes the remainder.
SECTORS: dict[str, tuple[float, int, str]] = {
    "olefins": (0.04, 1, "enterprise"),
    "h2_user": (0.06, 1, "enterprise"),
    "isocyanate": (0.04, 1, "enterprise"),
    "chlorvinyl": (0.04, 1, "enterprise"),
    "co2_user": (0.03, 1, "enterprise"),
    "exotherm": (0.05, 1, "enterprise"),
    "polymers": (0.15, 1, "enterprise"),
    "fine_chem": (0.35, 1, "enterprise"),
    "utility": (0.02, 1, "utility"),
    "ww_plant": (0.015, 1, "treatment"),
    "hw_plant": (0.01, 1, "treatment"),
}

H2_PURITIES = (95.0, 99.0, 99.9)
SMR_PURITY = 99.9


@dataclass(frozen=True)
class Generator:
    """Cost and reach of one candidate-link generator."""

    resource: str
    neighbours: int
    cap_km: float
    capex_cny: float
    capex_cny_per_km: float
    loss_per_km: float = 0.0
    variable_cost_cny: float = 0.0
    lifetime_y: int = 25


#: One generator per exchange resource (id = ``<resource>_links``).
GENERATORS: tuple[Generator, ...] = (
    Generator("h2", 6, 8.0, 5.0e5, 3.0e6, variable_cost_cny=20.0, lifetime_y=20),
    Generator("steam_hp", 6, 4.0, 1.0e6, 4.0e6, loss_per_km=0.03),
    Generator("steam_lp", 6, 3.0, 5.0e5, 2.5e6, loss_per_km=0.05),
    Generator("hcl", 6, 6.0, 1.0e6, 2.0e6, variable_cost_cny=10.0),
    Generator("co2", 6, 8.0, 1.0e6, 1.5e6, variable_cost_cny=15.0),
    Generator("wastewater", 4, 8.0, 3.0e5, 1.2e6, variable_cost_cny=300.0),
    Generator("hazwaste", 3, 10.0, 2.0e5, 5.0e4, variable_cost_cny=80.0, lifetime_y=10),
)


def _resources() -> list[dict]:
    def res(rid: str, unit: str, en: str, zh: str, category: str, **kw: object) -> dict:
        return {
            "id": rid,
            "unit": unit,
            "name": {"en": en, "zh": zh},
            "category": category,
            "estimate": SYNTHETIC,
            **kw,
        }

    return [
        res(
            "h2",
            "t",
            "by-product hydrogen",
            "副产氢",
            "byproduct",
            tce_per_unit=4.0,
            quality={"attribute": "purity", "unit": "%", "sense": "min"},
        ),
        res("steam_hp", "t", "HP steam 4.0 MPa", "高压蒸汽", "heat", tce_per_unit=0.12),
        res("steam_lp", "t", "LP steam 1.0 MPa", "低压蒸汽", "heat", tce_per_unit=0.10),
        res("hcl", "t", "by-product hydrogen chloride", "副产氯化氢", "byproduct"),
        res("co2_raw", "t", "raw CO2 stream", "高浓度CO2尾气", "co2"),
        res("co2", "t", "captured CO2", "捕集CO2", "co2"),
        res("wastewater", "km3", "process wastewater", "工业废水", "wastewater"),
        res("hazwaste", "t", "hazardous waste", "危险废物", "hazardous_waste"),
        res("electricity", "MWh", "electricity", "电力", "electricity", tce_per_unit=0.1229),
        res("natural_gas", "kNm3", "natural gas", "天然气", "fuel", tce_per_unit=1.2143),
        res("water", "km3", "industrial water", "工业用水", "water"),
    ]


def _markets() -> list[dict]:
    def mkt(mid: str, resource: str, **kw: object) -> dict:
        return {"id": mid, "resource": resource, "site": None, "estimate": SYNTHETIC, **kw}

    return [
        mkt("grid", "electricity", buy_cny=650.0, sell_cny=380.0, emissions={"co2": 0.42}),
        mkt("gas_grid", "natural_gas", buy_cny=3200.0),
        mkt("water_supply", "water", buy_cny=4500.0),
        mkt("hcl_purchase", "hcl", buy_cny=700.0),
        mkt("co2_purchase", "co2", buy_cny=400.0),
    ]


def _disposal(flares: list[str], vents_hp: list[str], vents_lp: list[str]) -> list[dict]:
    """Disposal options. Flares and steam vents only where the surplus arises (a reformer
    does not flare its own hydrogen, a boiler turns down instead of venting), so a receiving
    site can absorb only what it uses; the rest apply wherever the resource arises."""

    def dsp(did: str, resource: str, cost: float, site: str | None = None, **kw: object) -> dict:
        return {
            "id": did,
            "resource": resource,
            "site": site,
            "cost_cny": cost,
            "estimate": SYNTHETIC,
            **kw,
        }

    return [
        *(dsp(f"h2_flare.{i}", "h2", 50.0, i, emissions={"nox": 0.001}) for i in flares),
        *(dsp(f"steam_vent_hp.{i}", "steam_hp", 0.0, i) for i in vents_hp),
        *(dsp(f"steam_vent_lp.{i}", "steam_lp", 0.0, i) for i in vents_lp),
        dsp("co2_vent", "co2_raw", 0.0, emissions={"co2": 1.0}),
        dsp("hcl_neutralise", "hcl", 350.0),
        dsp("ww_discharge", "wastewater", 20000.0, emissions={"cod": 0.4, "nh3n": 0.03}),
        dsp("hw_landfill", "hazwaste", 4500.0),
    ]


def _sector_counts(n: int) -> dict[str, int]:
    counts = {s: max(mn, round(share * n)) for s, (share, mn, _) in SECTORS.items()}
    while sum(counts.values()) > n:  # tiny parks: shrink the big sectors first
        big = max((s for s in counts if counts[s] > SECTORS[s][1]), key=counts.get, default=None)
        if big is None:
            raise ValueError(
                f"a park needs at least {sum(mn for _, mn, _ in SECTORS.values())} sites"
            )
        counts[big] -= 1
    counts["logistics"] = n - sum(counts.values())
    return counts


def _positions(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Site positions clustered in zones; returns (xy, zone index)."""
    w, h = MAP_KM
    n_zones = min(24, 3 + n // 150)
    margin = 0.8
    centres = np.column_stack(
        [rng.uniform(margin, w - margin, n_zones), rng.uniform(margin, h - margin, n_zones)]
    )
    weights = rng.uniform(0.5, 1.5, n_zones)
    zone = rng.choice(n_zones, size=n, p=weights / weights.sum())
    sigma = rng.uniform(0.35, 0.9, n_zones)[zone]
    xy = centres[zone] + rng.normal(0.0, 1.0, (n, 2)) * sigma[:, None]
    xy[:, 0] = np.clip(xy[:, 0], 0.0, w)
    xy[:, 1] = np.clip(xy[:, 1], 0.0, h)
    return np.round(xy, 3), zone


def _reach_km(
    src: np.ndarray, dst: np.ndarray, same: np.ndarray, target: float, cap_km: float
) -> float:
    """Smallest radius (<= cap_km) giving on average ``target`` distinct receivers per source.

    ``same[i]`` is the index in ``dst`` of source i itself (or -1), which does not count.
    """
    target = min(target, len(dst) - (1 if (same >= 0).any() else 0))
    if target <= 0:
        return 0.1
    tree = cKDTree(dst)

    def mean_count(r: float) -> float:
        counts = tree.query_ball_point(src, r=r, return_length=True).astype(float)
        return float((counts - (same >= 0)).mean())

    lo, hi = 0.0, cap_km
    if mean_count(hi) <= target:
        return cap_km
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        if mean_count(mid) < target:
            lo = mid
        else:
            hi = mid
    return math.ceil(hi * 1000.0) / 1000.0


class _Rand:
    """Rounded log-uniform draws."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def __call__(self, lo: float, hi: float) -> float:
        v = math.exp(self.rng.uniform(math.log(lo), math.log(hi)))
        return float(f"{v:.3g}")

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)


def _flow(resource: str, amount: float, **kw: object) -> dict:
    return {"resource": resource, "amount": amount, "estimate": SYNTHETIC, **kw}


def _seasonal(resource: str, amount: float) -> dict:
    """A steam demand shaped by the heating profile (annual total kept)."""
    norm = sum(h * m for _, h, m in SLICES)
    by_slice = {sid: float(f"{amount * h * m / norm:.4g}") for sid, h, m in SLICES}
    return _flow(resource, float(f"{sum(by_slice.values()):.6g}"), by_slice=by_slice)


def _capture(sid: str, raw: float) -> dict:
    """Candidate CO2 capture at a site emitting ``raw`` t/a of raw CO2 (sized to 80 % of it)."""
    return _process(
        f"capture.{sid}",
        sid,
        0.8 * raw,
        candidate=True,
        activity_unit="t CO2 raw",
        inputs={"co2_raw": 1.0, "electricity": 0.12, "steam_hp": 1.1},
        outputs={"co2": 0.9},
        capex_cny=float(f"{2.0e7 + 400.0 * raw:.4g}"),
        fixed_om_cny_a=float(f"{4e5 + 8.0 * raw:.4g}"),
        variable_om_cny=25.0,
    )


def _process(pid: str, site: str, capacity: float, **kw: object) -> dict:
    return {
        "id": pid,
        "site": site,
        "capacity": float(f"{capacity:.4g}"),
        "estimate": SYNTHETIC,
        **kw,
    }


def park_data(n_sites: int, seed: int = 0) -> dict:
    """Return the plain-data scenario of :func:`generate_park` (JSON/YAML-ready)."""
    if n_sites < 1:
        raise ValueError("n_sites must be positive")
    rng = np.random.default_rng(seed)
    rnd = _Rand(rng)
    counts = _sector_counts(n_sites)
    sectors = np.array([s for s, k in counts.items() for _ in range(k)])
    rng.shuffle(sectors)
    xy, zone = _positions(n_sites, rng)
    ids = [f"s{i:05d}" for i in range(n_sites)]

    sites: list[dict] = []
    processes: list[dict] = []
    # per-site facts used to wire links
    steam_hp_users: list[int] = []
    steam_lp_users: list[int] = []
    ww_producers: list[int] = []
    hw_producers: list[int] = []
    by_sector: dict[str, list[int]] = {s: [] for s in counts}
    exporters_hp: list[int] = []
    ww_total = hw_total = 0.0

    for i, (sid, sector) in enumerate(zip(ids, sectors, strict=True)):
        sector = str(sector)
        by_sector[sector].append(i)
        kind = SECTORS.get(sector, (0, 0, "enterprise"))[2]
        supplies: list[dict] = []
        demands: list[dict] = []
        hp = lp = 0.0
        ww = hw = 0.0
        elec, water = rnd(500, 5000), rnd(5, 50)

        if sector == "olefins":
            supplies += [
                _flow("h2", rnd(2000, 20000), quality=H2_PURITIES[int(rng.integers(3))]),
                _flow("steam_hp", rnd(5e4, 3e5)),
                _flow("co2_raw", rnd(5e4, 3e5)),
            ]
            elec, water = rnd(1e5, 4e5), rnd(2000, 8000)
            ww, hw = rnd(500, 3000), rnd(1000, 5000)
            exporters_hp.append(i)
            raw = supplies[2]["amount"]
            processes.append(_capture(sid, raw))
        elif sector == "h2_user":
            h2 = rnd(1000, 15000)
            demands.append(_flow("h2", h2, quality=H2_PURITIES[int(rng.integers(3))]))
            hp = rnd(5e4, 2e5)
            elec, water = rnd(5e4, 2e5), rnd(500, 3000)
            ww = rnd(200, 1000)
            cap = 1.3 * h2
            processes.append(
                _process(
                    f"smr.{sid}",
                    sid,
                    cap,
                    activity_unit="t H2",
                    inputs={"natural_gas": 4.6, "electricity": 0.6, "water": 0.01},
                    outputs={"h2": 1.0, "co2_raw": 7.5},
                    output_quality={"h2": SMR_PURITY},
                    emissions={"co2": 1.5, "nox": 0.002},
                    variable_om_cny=300.0,
                )
            )
            raw = 7.5 * h2
            processes.append(_capture(sid, raw))
        elif sector == "isocyanate":
            hcl = rnd(2e4, 1.5e5)
            supplies.append(_flow("hcl", hcl))
            hp, lp = rnd(1e5, 4e5), rnd(5e4, 2e5)
            elec, water = rnd(5e4, 2e5), rnd(500, 3000)
            ww, hw = rnd(300, 1500), rnd(2000, 8000)
            processes.append(
                _process(
                    f"hcl_oxidation.{sid}",
                    sid,
                    0.8 * hcl,
                    candidate=True,
                    activity_unit="t HCl",
                    inputs={"hcl": 1.0, "electricity": 0.3},
                    capex_cny=float(f"{5.0e7 + 1500.0 * hcl:.4g}"),
                    fixed_om_cny_a=float(f"{1e6 + 20.0 * hcl:.4g}"),
                    variable_om_cny=-550.0,
                    lifetime_y=20,
                    name={
                        "en": "HCl oxidation to chlorine (recovered Cl2 valued as a negative cost)"
                    },
                )
            )
        elif sector == "chlorvinyl":
            demands.append(_flow("hcl", rnd(2e4, 1.2e5)))
            lp = rnd(5e4, 3e5)
            elec, water = rnd(2e5, 8e5), rnd(1000, 5000)
            ww, hw = rnd(200, 1000), rnd(1000, 5000)
        elif sector == "co2_user":
            demands.append(_flow("co2", rnd(1e4, 1e5)))
            hp = rnd(2e4, 1e5)
            elec, water = rnd(2e4, 1e5), rnd(200, 1000)
            ww = rnd(50, 300)
        elif sector == "exotherm":
            supplies.append(_flow("steam_lp", rnd(3e4, 2e5)))
            if rnd.chance(0.5):
                supplies.append(_flow("steam_hp", rnd(2e4, 1e5)))
                exporters_hp.append(i)
            elec, water = rnd(1e4, 5e4), rnd(200, 1000)
            ww = rnd(50, 200)
        elif sector == "polymers":
            if rnd.chance(0.6):
                hp = rnd(3e4, 2e5)
            lp = rnd(2e4, 1.5e5)
            elec, water = rnd(2e4, 1e5), rnd(200, 1500)
            ww = rnd(100, 800)
            hw = rnd(200, 1500) if rnd.chance(0.3) else 0.0
        elif sector == "fine_chem":
            lp = rnd(5e3, 5e4)
            elec, water = rnd(2e3, 3e4), rnd(20, 300)
            ww = rnd(20, 300)
            hw = rnd(100, 2000) if rnd.chance(0.5) else 0.0
        elif sector == "utility":
            cap = rnd(1e5, 5e5)
            processes.append(
                _process(
                    f"chp.{sid}",
                    sid,
                    cap,
                    activity_unit="MWh_e",
                    min_load=0.4,
                    inputs={"natural_gas": 0.21},
                    outputs={"electricity": 1.0, "steam_hp": 2.5},
                    emissions={"co2": 0.41, "nox": 0.0003},
                    variable_om_cny=30.0,
                )
            )
            processes.append(
                _process(
                    f"incinerator_hr.{sid}",
                    sid,
                    rnd(2e4, 6e4),
                    candidate=True,
                    activity_unit="t waste",
                    inputs={"hazwaste": 1.0, "natural_gas": 0.03},
                    outputs={"steam_hp": 2.2},
                    emissions={"co2": 1.1, "nox": 0.0015, "so2": 0.0008},
                    capex_cny=1.2e8,
                    fixed_om_cny_a=3.0e6,
                    variable_om_cny=1300.0,
                    lifetime_y=20,
                )
            )
            exporters_hp.append(i)
            water = rnd(500, 2000)
        elif sector == "ww_plant":
            water, elec = rnd(5, 20), rnd(5e3, 2e4)
        elif sector == "hw_plant":
            water, elec = rnd(5, 20), rnd(5e3, 2e4)
            exporters_hp.append(i)

        if hp > 0:
            demands.append(_seasonal("steam_hp", hp))
            steam_hp_users.append(i)
        if lp > 0:
            demands.append(_seasonal("steam_lp", lp))
            steam_lp_users.append(i)
        if hp > 0 or lp > 0:
            peak = max(m for _, _, m in SLICES) / (sum(h * m for _, h, m in SLICES) / 8760.0)
            processes.append(
                _process(
                    f"boiler.{sid}",
                    sid,
                    1.3 * peak * (hp + lp / 1.05),
                    activity_unit="t steam",
                    inputs={"natural_gas": 0.080},
                    outputs={"steam_hp": 1.0},
                    emissions={"co2": 0.157, "nox": 0.00012},
                    variable_om_cny=10.0,
                )
            )
        if lp > 0:
            processes.append(
                _process(
                    f"letdown.{sid}",
                    sid,
                    1.5 * lp,
                    activity_unit="t HP steam",
                    inputs={"steam_hp": 1.0, "water": 0.00005},
                    outputs={"steam_lp": 1.05},
                )
            )
        if ww > 0:
            supplies.append(_flow("wastewater", ww))
            ww_producers.append(i)
            ww_total += ww
        if hw > 0:
            supplies.append(_flow("hazwaste", hw))
            hw_producers.append(i)
            hw_total += hw
        demands += [_flow("electricity", elec), _flow("water", water)]

        big = elec >= 5e4
        sites.append(
            {
                "id": sid,
                "name": {"en": f"{sector.replace('_', ' ')} {i}"},
                "kind": kind,
                "zone": f"Z{int(zone[i]):02d}",
                "xy_km": [float(xy[i, 0]), float(xy[i, 1])],
                "sector": sector,
                "key_enterprise": bool(big),
                "economics": {
                    "output_value_1e4cny": rnd(5e3, 5e5) * (5 if big else 1),
                    "employees": float(round(rnd(30, 800) * (3 if big else 1))),
                    "estimate": SYNTHETIC,
                },
                "supplies": supplies,
                "demands": demands,
            }
        )

    # treatment plants: capacities shared out of the park's totals
    plants, burners = by_sector["ww_plant"], by_sector["hw_plant"]
    for i in plants:
        processes.append(
            _process(
                f"ww_treatment.{ids[i]}",
                ids[i],
                max(10.0, 0.85 * ww_total / len(plants) * rng.uniform(0.7, 1.3)),
                activity_unit="km3",
                inputs={"wastewater": 1.0, "electricity": 0.8},
                emissions={"cod": 0.03, "nh3n": 0.002},
                variable_om_cny=3000.0,
            )
        )
    for i in burners:
        processes.append(
            _process(
                f"incinerator.{ids[i]}",
                ids[i],
                max(100.0, 0.5 * hw_total / len(burners) * rng.uniform(0.7, 1.3)),
                activity_unit="t waste",
                inputs={"hazwaste": 1.0, "natural_gas": 0.06},
                emissions={"co2": 1.1, "nox": 0.0015, "so2": 0.0008},
                variable_om_cny=1500.0,
            )
        )
        processes.append(
            _process(
                f"incinerator_hr.{ids[i]}",
                ids[i],
                rnd(2e4, 6e4),
                candidate=True,
                activity_unit="t waste",
                inputs={"hazwaste": 1.0, "natural_gas": 0.03},
                outputs={"steam_hp": 2.2},
                emissions={"co2": 1.1, "nox": 0.0015, "so2": 0.0008},
                capex_cny=1.2e8,
                fixed_om_cny_a=3.0e6,
                variable_om_cny=1300.0,
                lifetime_y=20,
            )
        )

    # existing links: sewers (70 % of producers, to the nearest plant), steam mains from utilities
    links: list[dict] = []
    sewered: set[int] = set()
    if plants and ww_producers:
        _, near = cKDTree(xy[plants]).query(xy[ww_producers], k=1)
        for i, j in zip(ww_producers, np.atleast_1d(near), strict=True):
            if rng.random() < 0.7:
                sewered.add(i)
                links.append(
                    {
                        "id": f"sewer.{ids[i]}",
                        "resource": "wastewater",
                        "from": ids[i],
                        "to": ids[plants[int(j)]],
                        "variable_cost_cny": 300.0,
                        "estimate": SYNTHETIC,
                    }
                )
    if steam_hp_users or steam_lp_users:
        users = sorted(set(steam_hp_users) | set(steam_lp_users))
        k = min(2, len(users))
        _, near = cKDTree(xy[users]).query(xy[by_sector["utility"]], k=k)
        for u, row in zip(
            by_sector["utility"],
            np.atleast_2d(near).reshape(len(by_sector["utility"]), k),
            strict=True,
        ):
            for j in row:
                links.append(
                    {
                        "id": f"steam_main.{ids[u]}.{ids[users[int(j)]]}",
                        "resource": "steam_hp",
                        "from": ids[u],
                        "to": ids[users[int(j)]],
                        "loss_per_km": 0.03,
                        "estimate": SYNTHETIC,
                    }
                )

    # candidate-link generators: who may send what to whom
    capture = by_sector["olefins"] + by_sector["h2_user"]
    ends: dict[str, tuple[list[int], list[int]]] = {
        "h2": (by_sector["olefins"], by_sector["h2_user"]),
        "steam_hp": (sorted(exporters_hp), sorted(set(steam_hp_users) | set(steam_lp_users))),
        "steam_lp": (by_sector["exotherm"], steam_lp_users),
        "hcl": (by_sector["isocyanate"], by_sector["chlorvinyl"]),
        "co2": (sorted(capture), by_sector["co2_user"]),
        "wastewater": ([i for i in ww_producers if i not in sewered], plants),
        "hazwaste": (hw_producers, sorted(burners + by_sector["utility"])),
    }
    candidate_links: list[dict] = []
    for g in GENERATORS:
        src, dst = ends[g.resource]
        if not src or not dst:
            continue
        pos = {j: k for k, j in enumerate(dst)}
        same = np.array([pos.get(i, -1) for i in src])
        reach = _reach_km(xy[src], xy[dst], same, g.neighbours, g.cap_km)
        candidate_links.append(
            {
                "id": f"{g.resource}_links",
                "resource": g.resource,
                "max_km": reach,
                "from_sites": [ids[i] for i in sorted(src)],
                "to_sites": [ids[i] for i in sorted(dst)],
                "capex_cny": g.capex_cny,
                "capex_cny_per_km": g.capex_cny_per_km,
                "loss_per_km": g.loss_per_km,
                "variable_cost_cny": g.variable_cost_cny,
                "lifetime_y": g.lifetime_y,
                "detour_factor": 1.2,
                "estimate": f"{SYNTHETIC}; max_km chosen for ~{g.neighbours} receivers per sender",
            }
        )

    measures = [
        {
            "id": f"{g['resource']}_network",
            "name": {"en": f"{g['resource']} exchange network"},
            "members": [g["id"]],
        }
        for g in candidate_links
    ]
    return {
        "schema_version": 1,
        "name": {"en": f"Synthetic park N={n_sites} seed={seed}", "zh": f"合成园区 N={n_sites}"},
        "description": {  # scenario descriptions are bilingual (issue 15)
            "en": f"{DESCRIPTION} (benchmarks/parks.py, n_sites={n_sites}, seed={seed})",
            "zh": f"合成基准园区，非真实数据（benchmarks/parks.py，n_sites={n_sites}，seed={seed}）",
        },
        "time_slices": [{"id": sid, "hours": h} for sid, h, _ in SLICES],
        "resources": _resources(),
        "sites": sites,
        "processes": processes,
        "links": links,
        "candidate_links": candidate_links,
        "markets": _markets(),
        "disposal": _disposal(
            [ids[i] for i in by_sector["olefins"]],
            [ids[i] for i in sorted(exporters_hp)],
            [ids[i] for i in by_sector["exotherm"]],
        ),
        "policy": {"carbon_price_cny_t": 100.0, "discount_rate": 0.08},
        "measures": measures,
        "objective": {"minimize": "cost"},
        "solver": {"time_limit_s": 300.0, "mip_gap": 0.01, "threads": 2, "seed": 0},
    }


def generate_park(n_sites: int, seed: int = 0) -> Scenario:
    """Return a validated synthetic park of ``n_sites`` sites (same seed, same park).

    Parameters
    ----------
    n_sites
        Number of sites (at least 11: one of each non-logistics sector).
    seed
        Seed of the random generator; the park is a pure function of (n_sites, seed).
    """
    return Scenario.model_validate(park_data(n_sites, seed))


def candidate_link_counts(scenario: Scenario) -> dict[str, int]:
    """Number of candidate links each generator proposes (without building the graph)."""
    from symbio.flows.candidates import generate_links

    return {g.id: len(generate_links(scenario, g)) for g in scenario.candidate_links}


def _dump_yaml(data: dict, path: str) -> None:
    import yaml

    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False, width=120)


def main(argv: Iterable[str] | None = None) -> None:
    """``python -m benchmarks.parks N [--seed S] [--out park.yaml]``: summary or YAML."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("n_sites", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="write the scenario as YAML here")
    args = ap.parse_args(None if argv is None else list(argv))
    data = park_data(args.n_sites, args.seed)
    scenario = Scenario.model_validate(data)
    if args.out:
        _dump_yaml(data, args.out)
    links = candidate_link_counts(scenario)
    print(
        f"sites={len(scenario.sites)} processes={len(scenario.processes)} "
        f"(candidate {sum(p.candidate for p in scenario.processes)}) links={len(scenario.links)} "
        f"candidate links={sum(links.values())} {links}"
    )
    for g in scenario.candidate_links:
        print(
            f"  {g.id}: max_km={g.max_km} senders={len(g.from_sites or [])} receivers={len(g.to_sites or [])}"
        )


if __name__ == "__main__":
    main()
