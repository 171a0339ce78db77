"""Regenerate the ILLUSTRATIVE expert files in this directory (not survey data).

    python data/experts/make_illustrative.py

Writes ``ahp_panel.yaml`` (5 experts: a 6x6 area matrix and one matrix per area) and
``delphi_scores.csv`` / ``delphi_scores_experts.csv`` (15 experts, 2 rounds). The numbers
are drawn around *assumed* priorities with a fixed seed; they only exercise the methods
and must not be presented as the opinion of any real panel.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from symbio.scoring.ahp import consistency

HERE = Path(__file__).resolve().parent
SEED = 20220701

AREAS = {
    "resource_energy_efficiency": 0.22,
    "pollutant_emissions": 0.18,
    "decoupling": 0.14,
    "carbon_emissions": 0.20,
    "industrial_chain": 0.16,
    "cp_management": 0.10,
}
LOCAL = {
    "resource_energy_efficiency": {
        "energy_intensity": 0.35,
        "fresh_water_intensity": 0.15,
        "water_reuse_rate": 0.15,
        "waste_heat_recovery_rate": 0.25,
        "land_productivity": 0.10,
    },
    "pollutant_emissions": {
        "cod_intensity": 0.20,
        "nox_intensity": 0.20,
        "so2_intensity": 0.15,
        "vocs_intensity": 0.30,
        "wastewater_intensity": 0.15,
    },
    "decoupling": {"energy_elasticity": 0.40, "co2_elasticity": 0.35, "non_fossil_share": 0.25},
    "carbon_emissions": {"co2_intensity": 0.65, "co2_intensity_reduction_rate": 0.35},
    "industrial_chain": {
        "solid_waste_utilisation_rate": 0.20,
        "byproduct_utilisation_rate": 0.35,
        "hazardous_waste_utilisation_rate": 0.20,
        "symbiosis_links": 0.25,
    },
    "cp_management": {
        "key_enterprise_audit_rate": 0.50,
        "enterprise_audit_share": 0.30,
        "multi_round_audit_share": 0.20,
    },
}
PANEL = [("P1", 0.90), ("P2", 0.85), ("P3", 0.80), ("P4", 0.75), ("P5", 0.88)]


def saaty(r: float) -> Fraction:
    """Nearest value on Saaty's 1-9 scale (integers and their reciprocals)."""
    k = int(min(9, max(1, round(r if r >= 1 else 1 / r))))
    return Fraction(k) if r >= 1 else Fraction(1, k)


def judge(
    w: list[float], rng: np.random.Generator, sigma: float, max_cr: float | None
) -> list[list[Fraction]]:
    """Judgments around the ratios w_i / w_j with log-normal noise; retry until CR fits."""
    n = len(w)
    for _ in range(500):
        m = [[Fraction(1)] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                v = saaty(w[i] / w[j] * float(np.exp(rng.normal(0, sigma))))
                m[i][j], m[j][i] = v, 1 / v
        cr = consistency(np.array(m, dtype=float))[3]
        if max_cr is None or cr < max_cr:
            return m
    raise RuntimeError("no acceptable matrix drawn")


def fmt(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f'"{x.numerator}/{x.denominator}"'


def write_panel(rng: np.random.Generator) -> None:
    lines = [
        "# ILLUSTRATIVE EXAMPLE -- NOT SURVEY DATA.",
        "# AHP judgments of a fictitious 5-expert panel, drawn by data/experts/make_illustrative.py",
        f"# (seed {SEED}) around assumed priorities, to exercise the method and give symbio default",
        "# weights. Replace with a real panel's judgments before drawing conclusions (docs/scoring.md).",
        "# Expert weights are illustrative authority coefficients Cr. P4's area matrix is deliberately",
        "# inconsistent (CR > 0.1) and P5 left one industrial-chain comparison blank (null), to show",
        "# how group aggregation (AIJ) and incomplete-matrix completion (Harker) handle them.",
        "illustrative: true",
        "note: ILLUSTRATIVE EXAMPLE, not survey data",
        "scale: Saaty 1-9",
        "experts:",
        *[f"  - {{id: {e}, weight: {w}}}" for e, w in PANEL],
        "hierarchy:",
        f"  goal: [{', '.join(AREAS)}]",
        *[f"  {a}: [{', '.join(LOCAL[a])}]" for a in AREAS],
        "judgments:",
    ]
    for expert, _ in PANEL:
        lines.append(f"  {expert}:")
        goal = judge(list(AREAS.values()), rng, 0.25, None if expert == "P4" else 0.1)
        if expert == "P4":
            while consistency(np.array(goal, dtype=float))[3] <= 0.1:
                goal = judge(list(AREAS.values()), rng, 0.6, None)
        lines += ["    goal:", "      matrix:"] + [
            f"        - [{', '.join(fmt(x) for x in row)}]" for row in goal
        ]
        for area, local in LOCAL.items():
            ids = list(local)
            m = judge(list(local.values()), rng, 0.25, 0.1)
            lines += [f"    {area}:", "      pairs:"]
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    blank = expert == "P5" and (ids[i], ids[j]) == (
                        "byproduct_utilisation_rate",
                        "symbiosis_links",
                    )
                    lines.append(
                        f"        - [{ids[i]}, {ids[j]}, {'null' if blank else fmt(m[i][j])}]"
                    )
    (HERE / "ahp_panel.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_delphi(rng: np.random.Generator) -> None:
    library = [ind for local in LOCAL.values() for ind in local] + ["renewable_share"]
    mu = {ind: 4.2 + 0.5 * rng.random() for ind in library}
    mu["renewable_share"] = 3.1
    extra = {
        "noise_compliance_rate": 2.9,
        "env_info_disclosure_rate": 4.0,
        "green_factory_share": 3.6,
    }
    mu.update(extra)
    experts = [f"D{k:02d}" for k in range(1, 16)]
    lenient = dict(zip(experts, rng.normal(0, 0.15, len(experts)), strict=True))
    rows = ["# ILLUSTRATIVE EXAMPLE -- NOT SURVEY DATA.",
            "# Delphi score sheet of a fictitious 15-expert panel, 2 rounds, 5-point importance scale",
            f"# (5 = very important), drawn by data/experts/make_illustrative.py (seed {SEED}).",
            "# round 2: D09 did not answer. green_factory_share is deliberately polarised.",
            "round,expert,indicator,score"]  # fmt: skip
    for rnd, sigma in ((1, 0.85), (2, 0.45)):
        for ex in experts:
            if rnd == 2 and ex == "D09":
                continue
            for ind, m in mu.items():
                if ind == "green_factory_share" and rnd == 2:
                    s = 5 if rng.random() < 0.55 else 2
                else:
                    s = int(np.clip(round(m + lenient[ex] + rng.normal(0, sigma)), 1, 5))
                rows.append(f"{rnd},{ex},{ind},{s}")
    (HERE / "delphi_scores.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    exp_rows = ["# ILLUSTRATIVE EXAMPLE -- NOT SURVEY DATA.",
                "# Self-assessment of the fictitious Delphi panel: ca = judgement basis, cs = familiarity",
                "# (1.0 very familiar, 0.8 familiar, 0.6 moderately familiar).",
                "expert,ca,cs"]  # fmt: skip
    for ex in experts:
        ca = round(float(rng.uniform(0.7, 1.0)), 2)
        cs = float(rng.choice([0.6, 0.8, 0.8, 1.0]))
        exp_rows.append(f"{ex},{ca},{cs}")
    (HERE / "delphi_scores_experts.csv").write_text("\n".join(exp_rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    gen = np.random.default_rng(SEED)
    write_panel(gen)
    write_delphi(gen)
