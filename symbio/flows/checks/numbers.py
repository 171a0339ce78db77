"""Checks of numbers: prices, per-slice shares, estimate ranges and magnitudes."""

from __future__ import annotations

from symbio.flows import magnitudes
from symbio.flows.checks.context import Ctx
from symbio.flows.fieldpath import FieldPathError, is_number, resolve


def check_prices(c: Ctx) -> None:
    """Prices that would make the optimum unbounded, and negative standard-coal factors."""
    for m in c.s.markets:
        base = ("markets", f"[{m.id}]")
        if m.buy_cny is not None and m.buy_cny < 0 and m.buy_cap is None:
            c.add(
                (*base, "buy_cny"),
                f"negative price {m.buy_cny:g} (being paid to take {m.resource!r}) needs a "
                "buy_cap, or the optimum is unbounded; use a price >= 0 or set buy_cap",
            )
        if (
            m.buy_cny is not None
            and m.sell_cny is not None
            and m.sell_cny > m.buy_cny
            and m.buy_cap is None
            and m.sell_cap is None
        ):
            c.add(
                (*base, "sell_cny"),
                f"sell_cny {m.sell_cny:g} is above buy_cny {m.buy_cny:g} with no buy_cap or "
                "sell_cap: buying to sell again would be unbounded; set sell_cny <= buy_cny "
                "or a cap",
            )
    for d in c.s.disposal:
        if d.cost_cny < 0 and d.cap is None:
            c.add(
                ("disposal", f"[{d.id}]", "cost_cny"),
                f"negative cost {d.cost_cny:g} (a revenue) needs a cap, or the optimum may be "
                "unbounded; use cost_cny >= 0, a cap, or a market with sell_cny",
            )
    for r in c.s.resources:
        if isinstance(r.tce_per_unit, int | float) and r.tce_per_unit < 0:
            c.add(
                ("resources", f"[{r.id}]", "tce_per_unit"),
                f"must be greater than or equal to 0 (got {r.tce_per_unit:g})",
            )


def check_by_slice(c: Ctx) -> None:
    """A supply or demand given per time slice must add up to its annual amount."""
    for site in c.s.sites:
        for lst in ("supplies", "demands"):
            for f in getattr(site, lst):
                if f.by_slice is None:
                    continue
                total = sum(f.by_slice.values())
                if abs(total - f.amount) > 1e-6 * max(1.0, abs(f.amount)):
                    c.add(
                        ("sites", f"[{site.id}]", lst, f"[{f.resource}]", "by_slice"),
                        f"by_slice adds up to {total:g} but amount is {f.amount:g}; amount is "
                        "the annual total, so the slices must add up to it",
                    )


def _number_at(c: Ctx, table: str, path: str, memo: dict | None = None) -> float | None:
    """The number a field path of ``table`` names, or None after reporting why there is none."""
    try:
        value = resolve(c.s, path, memo)
    except FieldPathError as exc:
        if not c.known:  # a path into a record set aside is not reported twice
            c.add((table, path), f"the field path names no number: {exc}")
        return None
    if not is_number(value):
        what = "nothing (not set)" if value is None else f"a {type(value).__name__}"
        c.add((table, path), f"the field path names {what}, not a number")
        return None
    return value


def check_estimates(c: Ctx) -> None:
    """Each ``estimates`` path must name a number of the scenario lying within [low, high]."""
    memo: dict = {}
    for path, est in c.s.estimates.items():
        value = _number_at(c, "estimates", path, memo)
        if value is None:
            continue
        if not est.low <= value <= est.high:
            c.add(
                ("estimates", path),
                f"the value in the scenario, {value:g}, lies outside the range "
                f"[{est.low:g}, {est.high:g}]; the range must contain it",
            )


def check_magnitudes(c: Ctx) -> None:
    """Numbers beyond their unit family's range (:mod:`symbio.flows.magnitudes`)."""
    errors, _ = magnitudes.scenario_magnitudes(c.s)
    for path, message in errors:
        c.add(path, message)


def check_sources(c: Ctx) -> None:
    """Each ``sources`` path must name a number, and not one listed in ``estimates`` too."""
    memo: dict = {}
    for path in c.s.sources:
        if _number_at(c, "sources", path, memo) is not None and path in c.s.estimates:
            c.add(
                ("sources", path),
                "the number is listed in estimates as well; keep one (an estimate with a "
                "source belongs in estimates, its method citing the source)",
            )
