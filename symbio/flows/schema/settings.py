"""Scenario format, around the network: markets, disposal, time slices, policy, allocation,
objective, solver settings, build groups, measures and estimate ranges."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from symbio.flows.schema.base import (
    GWP_SETS,
    Coefficient,
    Fraction,
    Id,
    Names,
    NonNeg,
    Positive,
    Provenance,
    StrictModel,
)


class Market(Provenance):
    """Buying and/or selling a resource outside the park network."""

    id: Id
    """Unique id."""
    resource: Id
    """Id of the resource bought or sold."""
    site: Id | None = None
    """Where the market is reached; none: at every site (a public grid), or ``sites``."""
    sites: list[Id] | Literal["demands"] | None = None
    """Instead of ``site``: the sites that reach the market (caps shared), or ``demands``: every site that demands or consumes the resource."""
    buy_cny: float | None = None
    """Price per unit bought; none: cannot buy."""
    sell_cny: float | None = None
    """Price per unit sold; none: cannot sell."""
    buy_cap: NonNeg | None = None
    """Maximum bought per year; none: no limit."""
    sell_cap: NonNeg | None = None
    """Maximum sold per year; none: no limit."""
    quality: float | None = None
    """Quality of what is bought (quality-tracked resources)."""
    emissions: dict[str, Coefficient] = Field(default_factory=dict)
    """Tonnes per unit bought (upstream: e.g. purchased electricity)."""
    sell_emissions_credit: bool = False
    """Whether selling avoids these emissions (credits them); default no credit."""

    @model_validator(mode="after")
    def _buys_or_sells(self) -> Market:
        if self.buy_cny is None and self.sell_cny is None:
            raise ValueError("a market needs buy_cny, sell_cny or both")
        if self.site is not None and self.sites is not None:
            raise ValueError("give site (one site) or sites (several), not both")
        return self

    @property
    def park_wide(self) -> bool:
        """Reached at more than one site (its caps are shared by them)."""
        return self.site is None


class Disposal(Provenance):
    """What happens to what is not used: venting, flaring, landfill, discharge."""

    id: Id
    """Unique id."""
    resource: Id
    """Id of the resource disposed of."""
    site: Id | None = None
    """Where; none: at every site where the resource is supplied or produced."""
    cost_cny: float = 0.0
    """Cost per unit disposed of (a negative cost, a revenue, needs a cap)."""
    cap: NonNeg | None = None
    """Maximum disposed of per year; none: no limit."""
    emissions: dict[str, Coefficient] = Field(default_factory=dict)
    """Tonnes of each species per unit disposed of (e.g. flaring CO2)."""


class TimeSlice(StrictModel):
    """A representative period of the year."""

    id: Id
    """Unique id, used as key of ``by_slice``."""
    hours: Positive
    """Hours of the year the slice stands for (all slices together: 8760, or 8784)."""
    name: Names | None = None
    """Display name in English and Chinese."""


class Policy(Provenance):
    """Prices, caps and accounting choices."""

    carbon_price_cny_t: NonNeg = 0.0
    """Price of CO2 in the cost objective, CNY per tonne."""
    discount_rate: Annotated[float, Field(ge=0, lt=1)] = 0.08
    """Discount rate for annualising capex (capital recovery factor)."""
    factor_set: str = "shanghai-2022"
    """Name of a factor set: ``factors/<name>.yaml`` beside the scenario, else the bundled data/factors/."""
    gwp_set: Literal[GWP_SETS] | None = None  # type: ignore[valid-type]
    """GWP set for CO2e (``SAR``, ``AR4``, ``AR5``, ``AR6``); default: the factor set's (SAR)."""
    caps: dict[str, NonNeg] = Field(default_factory=dict)
    """Upper limits per year on a species (``co2``, ``nox``, ...), ``co2e`` or ``energy_tce``."""


class AllocationSettings(StrictModel):
    """Inter-enterprise accounts and cooperative allocation (``symbio allocate``)."""

    players: Literal["site", "owner", "zone"] = "owner"
    """Players of the game: every site, sites grouped by ``owner``, or by ``zone``."""
    shared_assets: Literal["buyer", "seller", "split", "park"] = "split"
    """Who pays a link's capital and operating cost: the receiving enterprise, the sending
    one, both (``split_ratio``), or the park (its own account)."""
    split_ratio: Fraction = 0.5
    """Buyer's share of a shared asset's cost under ``split``."""
    settlement: Literal["market", "cost_plus", "split_savings", "rational"] = "market"
    """Transfer-price rule of the exchanges: the buyer's alternative (``market``), the
    seller's marginal cost plus a margin, the surplus split, or model-found individually
    rational prices."""
    cost_plus_margin: NonNeg = 0.1
    """Margin on the seller's marginal cost under ``cost_plus`` (0.1 = 10%)."""
    savings_share: Fraction = 0.5
    """Seller's share of each exchange's surplus under ``split_savings``."""


class Objective(StrictModel):
    """What the optimizer minimises."""

    minimize: str = "cost"
    """``cost``, ``energy``, ``co2``, ``co2e`` or a pollutant species."""
    weights: dict[str, NonNeg] | None = None
    """Weighted-sum objective over several criteria (normalised by the payoff table)."""


class SolverSettings(StrictModel):
    """Solver settings; CLI options override them."""

    time_limit_s: Positive = 300.0
    """Time limit of the whole run (every solve draws on it), seconds."""
    mip_gap: Annotated[float, Field(ge=0, le=1)] = 1e-4
    """Relative MIP gap (of the total objective) at which the solver stops."""
    savings_gap: Annotated[float, Field(ge=0, lt=1)] = 0.01
    """Share of the savings (baseline - best bound) the optimized case may leave unproven; it stops at this or at mip_gap, whichever first (0: mip_gap alone)."""
    threads: Annotated[int, Field(ge=1)] = 1
    """Solver threads."""
    seed: int = 0
    """Random seed (same inputs, same outputs)."""


class BuildGroup(StrictModel):
    """Build decisions tied together: one shared binary, a choice among alternatives, or a precondition."""

    id: Id
    """Unique id."""
    name: Names | None = None
    """Display name in English and Chinese."""
    kind: Literal["shared", "at_most_one", "exactly_one", "requires"]
    """``shared``: all members built or none; ``at_most_one`` / ``exactly_one`` of the members; ``requires``: each member only if every one of ``requires`` is built."""
    members: Annotated[list[Id], Field(min_length=1)]
    """Ids of candidate links, processes or candidate-link generators (each generated link is a member)."""
    requires: list[Id] = Field(default_factory=list)
    """Kind ``requires`` only: the candidates the members need."""

    @model_validator(mode="after")
    def _requires(self) -> BuildGroup:
        if (self.kind == "requires") != bool(self.requires):
            raise ValueError("requires is given exactly when kind is 'requires'")
        if self.kind != "requires" and len(self.members) < 2:
            raise ValueError(f"a {self.kind!r} group needs at least two members")
        return self


class Measure(StrictModel):
    """A named set of candidate links and processes (a planner's option)."""

    id: Id
    """Unique id."""
    name: Names
    """Display name in English and Chinese."""
    members: list[Id]
    """Ids of candidate links, processes, or candidate-link generators."""


# --- Field-level provenance (data issue): the range of an estimated number --------------


class EstimateRange(StrictModel):
    """An estimated number's method and plausible range, keyed in ``estimates`` by its field path.

    The path uses the ``--set`` form (``sites[lianheng].supplies[h2].amount``); the number
    written in the scenario is the central value and must lie within ``[low, high]``.
    """

    method: Annotated[str, Field(min_length=1)]
    """How the number was estimated (and what the range rests on)."""
    low: float
    """Lowest plausible value, in the field's unit."""
    high: float
    """Highest plausible value, in the field's unit."""
    dist: Literal["triangular", "uniform"] = "triangular"
    """Sampling distribution: ``triangular`` (mode = the value in the file) or ``uniform``."""
    group: Id | None = None
    """Numbers of one group are sampled together, fully correlated (the same quantile)."""

    @model_validator(mode="after")
    def _ordered(self) -> EstimateRange:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be less than high ({self.high:g})")
        return self
