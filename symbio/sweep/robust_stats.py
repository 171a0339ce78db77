"""The robustness study's tables, computed from the sweep index and the point result.

``intervals``: per KPI the point value, median and 90 % interval (5 % and 95 % quantiles)
of the baseline, the optimum, the saving (baseline − optimum) and the recommended plan's
saving (baseline − plan), with the share of samples where a saving is positive.
``builds``: per candidate, how often each sample's own optimum builds it, and whether the
recommended plan does. ``regret``: per sample, the plan's objective against the sample's
optimum (regret = plan − optimum ≥ 0 for a minimisation) and the plan's headline savings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The headline KPIs (cards, sensitivity, regret), in this order.
HEADLINE = ("total_cost_cny", "co2_t", "energy_tce")
#: Quantities of the intervals table, per KPI.
QUANTITIES = ("baseline", "optimized", "saving", "plan", "plan_saving")
INTERVAL_COLUMNS = ("kpi", "quantity", "point", "p05", "median", "p95", "mean", "share_positive", "runs")  # fmt: skip


def solved(index: pd.DataFrame) -> pd.DataFrame:
    """Rows of the runs that solved (status ``ok``)."""
    return index[index["status"] == "ok"].reset_index(drop=True)


def kpi_samples(index: pd.DataFrame, kpi: str) -> dict[str, pd.Series]:
    """Per quantity the sample values of one KPI (missing quantities left out)."""
    col = f"kpi.{kpi}"
    out: dict[str, pd.Series] = {}
    for quantity, column in (("optimized", col), ("baseline", f"{col}.baseline"),
                             ("plan", f"{col}.plan")):  # fmt: skip
        if column in index.columns:
            out[quantity] = pd.to_numeric(index[column], errors="coerce")
    if {"baseline", "optimized"} <= set(out):
        out["saving"] = out["baseline"] - out["optimized"]
    if {"baseline", "plan"} <= set(out):
        out["plan_saving"] = out["baseline"] - out["plan"]
    return out


def intervals(index: pd.DataFrame, point: pd.DataFrame) -> pd.DataFrame:
    """Median and 90 % interval of every KPI's baseline, optimum, saving and plan saving.

    Parameters
    ----------
    index
        The sweep index (``kpi.<name>``, ``kpi.<name>.baseline``, ``kpi.<name>.plan``).
    point
        The point result's KPI table (``kpi``, ``baseline``, ``optimized``, ``saving``).
    """
    ok = solved(index)
    point_by = point.set_index("kpi") if not point.empty else pd.DataFrame()
    names = sorted({c[4:].removesuffix(".baseline").removesuffix(".plan")
                    for c in ok.columns if c.startswith("kpi.")})  # fmt: skip
    rows = []
    for kpi in names:
        samples = kpi_samples(ok, kpi)
        for quantity in QUANTITIES:
            if quantity not in samples:
                continue
            values = samples[quantity].dropna()
            rows.append(
                {
                    "kpi": kpi,
                    "quantity": quantity,
                    "point": _point(point_by, kpi, quantity),
                    **_summary(values),
                    "share_positive": float((values > 0).mean()) if len(values) else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))


def _point(point: pd.DataFrame, kpi: str, quantity: str) -> float:
    """The point value: the recommended plan *is* the point optimum."""
    column = {"plan": "optimized", "plan_saving": "saving"}.get(quantity, quantity)
    if kpi not in point.index or column not in point.columns:
        return np.nan
    return float(pd.to_numeric(point.loc[kpi, column], errors="coerce"))


def _summary(values: pd.Series) -> dict[str, float]:
    if values.empty:
        return {"p05": np.nan, "median": np.nan, "p95": np.nan, "mean": np.nan, "runs": 0}
    p05, median, p95 = np.quantile(values.to_numpy(dtype=float), [0.05, 0.5, 0.95])
    return {"p05": p05, "median": median, "p95": p95, "mean": values.mean(), "runs": len(values)}


def builds(index: pd.DataFrame, candidates: list[str], plan: list[str]) -> pd.DataFrame:
    """Per candidate: samples whose optimum builds it, that share, and whether the plan does.

    ``candidates`` are the candidates of the point scenario (listed even when never built);
    ids built in some sample but not among them (e.g. generated links) are added.
    """
    ok = solved(index)
    built = [set(str(b).split(";")) - {""} if isinstance(b, str) else set() for b in ok["builds"]]
    ids = list(dict.fromkeys([*candidates, *sorted(set().union(*built) if built else set())]))
    rows = []
    for cid in ids:
        count = sum(cid in b for b in built)
        rows.append(
            {
                "id": cid,
                "in_plan": cid in plan,
                "built_runs": count,
                "probability": count / len(built) if built else np.nan,
                "runs": len(built),
            }
        )
    table = pd.DataFrame(rows, columns=["id", "in_plan", "built_runs", "probability", "runs"])
    return table.sort_values(["in_plan", "probability", "id"], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)  # fmt: skip


def regret(index: pd.DataFrame, objective_kpi: str) -> pd.DataFrame:
    """Per solved sample: optimum and plan objective, regret, and the plan's headline savings.

    ``regret`` = plan − optimum of the objective's KPI (≥ 0 up to the solver's gap);
    ``regret_share`` = regret / the optimum's saving of that KPI. A sample where the plan
    cannot be operated (infeasible) has ``plan_feasible`` False and no regret.
    """
    ok = solved(index)
    objective = kpi_samples(ok, objective_kpi)
    table = pd.DataFrame({"run_id": ok["run_id"]})
    table["optimum"] = objective.get("optimized")
    table["plan"] = objective.get("plan")
    table["plan_feasible"] = table["plan"].notna()
    table["status_quo_feasible"] = objective.get("baseline", pd.Series(index=ok.index)).notna()
    table["regret"] = table["plan"] - table["optimum"]
    saving = objective.get("saving")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["regret_share"] = table["regret"] / saving.where(saving.abs() > 0)
    for kpi in HEADLINE:
        samples = kpi_samples(ok, kpi)
        for quantity in ("saving", "plan_saving"):
            if quantity in samples:
                table[f"{quantity}.{kpi}"] = samples[quantity]
    return table


def status_quo_infeasible(index: pd.DataFrame) -> pd.Series:
    """Per sample (index order): True when its own optimum solved but its baseline did not.

    Such a sample's estimates are not a state the existing park could operate in (some
    demand cannot be met without new units): its savings are undefined and left out of the
    intervals, and :func:`infeasibility_factors` names the estimates that cause it.
    """
    column = f"kpi.{HEADLINE[0]}.baseline"
    ok = index["status"] == "ok"
    missing = pd.to_numeric(index.get(column), errors="coerce").isna() if column in index else ok
    return ok & missing


def infeasibility_factors(quantiles: pd.DataFrame, infeasible: pd.Series) -> pd.DataFrame:
    """Factors ranked by how far their mean quantile differs between infeasible and other samples.

    ``quantiles`` and ``infeasible`` are aligned by row. A factor whose high (or low) values
    make the status quo infeasible has a difference near +0.5 (or −0.5); an unrelated one
    near 0 (noise about ±1/√(12 n)).
    """
    u = quantiles.drop(columns=["run_id"], errors="ignore")
    mask = infeasible.to_numpy(dtype=bool)
    if not mask.any() or mask.all():
        return pd.DataFrame(
            columns=["factor", "infeasible_mean", "other_mean", "difference", "rank"]
        )
    table = pd.DataFrame({"factor": u.columns, "infeasible_mean": u[mask].mean().to_numpy(),
                          "other_mean": u[~mask].mean().to_numpy()})  # fmt: skip
    table["difference"] = table["infeasible_mean"] - table["other_mean"]
    table = table.reindex(table["difference"].abs().sort_values(ascending=False).index)
    table["rank"] = range(1, len(table) + 1)
    return table.reset_index(drop=True)
