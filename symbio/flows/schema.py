"""The scenario format: strict, frozen pydantic models of a chemical park.

Conventions (see ``docs/scenario-format.md``):

* amounts, capacities and caps are **per year** in the unit of the resource (or of the
  process activity); a time slice gets the share ``hours / 8760`` unless ``by_slice`` says
  otherwise;
* prices and costs are CNY per unit of the resource (or of activity); capex in CNY;
* emissions are tonnes of the species per unit;
* every record may carry ``source:`` (a citation) or ``estimate:`` (the method); reports
  show how much of a scenario rests on estimates.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
NonNeg = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]

#: Emission species symbio accounts for, all in tonnes.
SPECIES: dict[str, str] = {
    "co2": "carbon dioxide",
    "ch4": "methane",
    "n2o": "nitrous oxide",
    "so2": "sulphur dioxide",
    "nox": "nitrogen oxides",
    "vocs": "volatile organic compounds",
    "particulates": "particulate matter",
    "cod": "chemical oxygen demand",
    "nh3n": "ammonia nitrogen",
}
POLLUTANTS = tuple(s for s in SPECIES if s != "co2")
#: Greenhouse gases added up as CO2-equivalent (``co2e``) with the GWP set of the factor set.
GREENHOUSE_GASES = ("co2", "ch4", "n2o")
#: GWP sets of ``data/gwp.yaml`` (100-year).
GWP_SETS = ("SAR", "AR4", "AR5", "AR6")
#: What a model can minimise or cap: cost, primary energy, CO2, CO2e and each pollutant.
CRITERIA = ("cost", "energy", "co2", "co2e", *POLLUTANTS)

RESOURCE_CATEGORIES = (
    "product",
    "byproduct",
    "feedstock",
    "fuel",
    "electricity",
    "heat",
    "water",
    "reclaimed_water",
    "wastewater",
    "hazardous_waste",
    "solid_waste",
    "co2",
    "other",
)


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False
    )


class Provenance(StrictModel):
    """Where the numbers of a record come from."""

    source: str | None = None
    """Citation: the SCIP pilot plan, a standard and clause, a report or paper."""
    estimate: str | None = None
    """Method of an estimate, e.g. 'capacity x specific consumption (ref)'."""


class Names(StrictModel):
    """A text in English and Chinese: ``{en: ..., zh: ...}``, or a plain string (English)."""

    en: str
    """English text."""
    zh: str | None = None
    """Chinese text (the English one is shown where it is missing)."""

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, data: object) -> object:
        return {"en": data} if isinstance(data, str) else data

    def text(self, lang: str = "en") -> str:
        """The text in ``lang`` (``zh`` falls back to English when not given)."""
        return self.zh if lang == "zh" and self.zh else self.en


class FactorRef(StrictModel):
    """A number taken from the scenario's factor set (``data/factors/<factor_set>.yaml``)."""

    factor: str
    """Key of the factor in the factor set, e.g. ``grid_electricity_co2``."""


Coefficient = float | FactorRef


class Quality(StrictModel):
    """A quality attribute tracked for a resource, e.g. H2 purity or a contaminant."""

    attribute: str
    """What is measured, e.g. ``purity`` or ``chloride``."""
    unit: str
    """Unit of the attribute, e.g. ``%`` or ``ppm``."""
    sense: Literal["min", "max"]
    """``min``: demands set a minimum (purity); ``max``: demands set a maximum (contaminant)."""


class Resource(Provenance):
    """A material or energy flow: a by-product, a utility, a waste, a product."""

    id: Id
    """Unique id, referred to by supplies, demands, processes, links, markets, disposal."""
    unit: str
    """Unit of amounts, e.g. ``t``, ``MWh``, ``GJ``, ``m3``."""
    name: Names
    """Display name in English and Chinese."""
    category: Literal[RESOURCE_CATEGORIES] = "other"  # type: ignore[valid-type]
    """Role of the resource, used for KPIs (by-product utilisation, water reuse, ...)."""
    quality: Quality | None = None
    """Quality attribute tracked along the network, if any."""
    tce_per_unit: Coefficient | None = None
    """Standard-coal equivalent (t ce per unit) of an energy carrier (GB/T 2589)."""
    renewable: bool = False
    """Renewable energy (counts toward the renewable share)."""
    molar_volume_nm3_per_kmol: Positive | None = None
    """Gas: Nm3 per kmol at the stated normal conditions (22.414 at 0 °C, 101.325 kPa), for amounts in mol."""
    molar_mass_kg_per_kmol: Positive | None = None
    """kg per kmol, for amounts in mol of a resource measured by mass."""


class Economics(Provenance):
    """Economic figures of a site for indicators (per year)."""

    output_value_1e4cny: NonNeg | None = None
    """Industrial output value, 10^4 CNY."""
    value_added_1e4cny: NonNeg | None = None
    """Industrial value added, 10^4 CNY."""
    employees: NonNeg | None = None
    """Number of employees."""
    land_km2: NonNeg | None = None
    """Land area, km^2."""


class Audit(StrictModel):
    """One cleaner-production audit round of an enterprise (the year may be unknown)."""

    round: int = Field(default=1, ge=1)
    """1 for the first audit, 2 for the second, ..."""
    year: int | None = Field(default=None, ge=1990, le=2100)
    """Year the audit was completed (1990-2100), if known."""


class SiteFlow(Provenance):
    """A fixed supply (by-product) or demand of one resource at a site."""

    resource: Id
    """Id of the resource supplied or demanded (one entry per resource)."""
    amount: NonNeg
    """Amount per year, in the resource's unit."""
    by_slice: dict[Id, NonNeg] | None = None
    """Amount per time slice instead of the share by hours (must cover every slice)."""
    quality: float | None = None
    """Supply: its quality value. Demand: its limit (minimum or maximum, by the sense)."""
    substitutes: dict[Id, Positive] = {}
    """Demand only: other resources that may meet it, in units of each per unit of this one."""


class Site(Provenance):
    """An enterprise, utility, treatment facility, hub or the park gate."""

    id: Id
    """Unique id, referred to by processes, links, markets and disposal."""
    name: Names
    """Display name in English and Chinese."""
    kind: Literal["enterprise", "utility", "treatment", "hub", "gate"] = "enterprise"
    """``enterprise``, ``utility``, ``treatment`` (wastewater, waste), ``hub`` or ``gate``."""
    zone: str | None = None
    """Function zone of the park, e.g. ``east``, ``middle``, ``west``."""
    xy_km: tuple[float, float] | None = None
    """Map position in km (x east, y north) on the park's own grid."""
    sector: str | None = None
    """Industry sector, e.g. ``isocyanates``."""
    owner: Id | None = None
    """Enterprise (legal owner) the site belongs to; default: the site itself (allocation)."""
    key_enterprise: bool = False
    """A key (重点) enterprise for cleaner-production audit statistics."""
    economics: Economics | None = None
    """Output value, value added, employees and land, for the indicators."""
    audits: list[Audit] = []
    """Cleaner-production audit rounds of the enterprise."""
    supplies: list[SiteFlow] = []
    """Fixed supplies (by-products, waste heat, wastewater) that must go somewhere."""
    demands: list[SiteFlow] = []
    """Fixed demands that must be met (by supplies, processes, links or markets)."""


class Sizing(StrictModel):
    """Continuous capacity sizing of a candidate: the model chooses the size (nonconvex investment).

    With sizing the candidate's ``capacity`` is ``max_capacity``; the chosen size ``s`` obeys
    ``min_capacity * build <= s <= max_capacity * build``, activity (or flow) per slice is at
    most ``s * hours / 8760``, and the annualised capex is
    ``CRF * (capex_cny * build + capex_cny_per_unit * s)``.
    """

    max_capacity: Positive
    """Largest size that may be built, per year (activity of a process, resource of a link)."""
    capex_cny_per_unit: NonNeg
    """Investment per unit of size (CNY per unit of activity or resource per year)."""
    min_capacity: NonNeg = 0.0
    """Smallest size that may be built when the candidate is built, per year."""

    @model_validator(mode="after")
    def _min_le_max(self) -> Sizing:
        if self.min_capacity > self.max_capacity:
            raise ValueError("min_capacity must not exceed max_capacity")
        return self


def _capacity_from_sizing(data: object) -> object:
    """Before validation: a record with ``sizing`` and no ``capacity`` gets ``max_capacity``."""
    if not isinstance(data, dict) or data.get("capacity") is not None:
        return data
    sz = data.get("sizing")
    cap = sz.get("max_capacity") if isinstance(sz, dict) else getattr(sz, "max_capacity", None)
    return data if cap is None else {**data, "capacity": cap}


def _check_sizing(rec: Process | Link | CandidateLinks, candidate: bool) -> None:
    if rec.sizing is None:
        return
    if not candidate:
        raise ValueError("sizing is for candidates (candidate: true); an existing asset has a size")
    if rec.capacity != rec.sizing.max_capacity:
        raise ValueError(
            "with sizing, capacity is sizing.max_capacity; leave capacity out "
            f"(got capacity {rec.capacity} and max_capacity {rec.sizing.max_capacity})"
        )


class Process(Provenance):
    """A technology at a site converting inputs to outputs per unit of activity."""

    id: Id
    """Unique id (shared namespace with links and candidate-link generators)."""
    site: Id
    """Id of the site where the process runs."""
    name: Names | None = None
    """Display name in English and Chinese."""
    candidate: bool = False
    """True: may be built (binary decision). False: existing."""
    activity_unit: str = "unit"
    """What one unit of activity is, e.g. ``t Cl2``."""
    inputs: dict[Id, NonNeg] = {}
    """Resource consumed per unit of activity."""
    outputs: dict[Id, NonNeg] = {}
    """Resource produced per unit of activity."""
    output_quality: dict[Id, float] = {}
    """Quality of a quality-tracked output (with ``quality_load``: the outlet's maximum)."""
    input_quality: dict[Id, float] = {}
    """Limit on the quality of a quality-tracked input as it reaches the process (min or max, by the sense)."""
    quality_load: dict[Id, NonNeg] = {}
    """Contaminant picked up into a quality-tracked output per year (quality unit x resource unit; e.g. ``2 kg/h``)."""
    substitutes: dict[Id, dict[Id, Positive]] = {}
    """Per input: other resources that may meet it, in units of each per unit of the input."""
    emissions: dict[str, Coefficient] = {}
    """Tonnes of each species per unit of activity."""
    capacity: Positive
    """Maximum activity per year (with ``sizing``: ``sizing.max_capacity``, may be left out)."""
    sizing: Sizing | None = None
    """Candidate only: choose the capacity continuously (size variable, capex per unit of size)."""
    min_load: Fraction = 0.0
    """Minimum activity as a share of capacity when the process runs (semi-continuous)."""
    must_run: bool = False
    """Existing process that must run at least at min_load (e.g. a product unit)."""
    capex_cny: NonNeg = 0.0
    """Investment of a candidate process, CNY (annualised with the discount rate)."""
    fixed_om_cny_a: NonNeg = 0.0
    """Fixed operation and maintenance, CNY per year (when built or existing)."""
    variable_om_cny: float = 0.0
    """Cost per unit of activity (negative for a revenue not modelled as a sale)."""
    lifetime_y: Annotated[int, Field(ge=1, le=100)] = 20
    """Economic lifetime in years (for the annualised capex)."""
    renewable: bool = False
    """Energy outputs of this process are renewable (e.g. rooftop PV)."""

    _fill_capacity = model_validator(mode="before")(_capacity_from_sizing)

    @model_validator(mode="after")
    def _has_flows(self) -> Process:
        if not self.inputs and not self.outputs:
            raise ValueError("a process needs at least one input or output")
        _check_sizing(self, self.candidate)
        return self


class LinkCosts(Provenance):
    """Cost and loss parameters shared by explicit links and the candidate generator."""

    capex_cny: NonNeg = 0.0
    """Fixed capex of building the link."""
    capex_cny_per_km: NonNeg = 0.0
    """Investment per km of length, CNY/km."""
    loss: Fraction | None = None
    """Share of the flow lost on the link (overrides loss_per_km)."""
    loss_per_km: Fraction = 0.0
    """Share of the flow lost per km (used when ``loss`` is not given)."""
    variable_cost_cny: NonNeg = 0.0
    """Cost per unit carried (pumping, compression); never negative (flow could cycle)."""
    fixed_om_cny_a: NonNeg = 0.0
    """Fixed operation and maintenance, CNY per year."""
    lifetime_y: Annotated[int, Field(ge=1, le=100)] = 25
    """Economic lifetime in years (for the annualised capex)."""
    sizing: Sizing | None = None
    """Candidate only: choose the capacity continuously (size variable, capex per unit of size)."""
    inputs: dict[Id, NonNeg] = {}
    """Resource used at the sending site per unit sent (compression electricity, pumping)."""


class Link(LinkCosts):
    """A connection carrying one resource from one site to another."""

    id: Id
    """Unique id (shared namespace with processes and generators)."""
    resource: Id
    """Id of the resource carried."""
    from_: Id = Field(alias="from")
    """Id of the sending site."""
    to: Id
    """Id of the receiving site."""
    candidate: bool = False
    """True: may be built (binary decision). False: existing."""
    length_km: NonNeg | None = None
    """Length; default the straight-line distance between the sites' xy_km."""
    capacity: Positive | None = None
    """Maximum flow per year; default what the endpoints can supply or absorb (or ``sizing.max_capacity``)."""

    model_config = ConfigDict(populate_by_name=True)

    _fill_capacity = model_validator(mode="before")(_capacity_from_sizing)

    @model_validator(mode="after")
    def _sizing(self) -> Link:
        _check_sizing(self, self.candidate)
        return self


class CandidateLinks(LinkCosts):
    """A generator proposing candidate links for a resource from supplying to demanding sites."""

    id: Id
    """Id of the generator; its links are named ``<id>.<from>.<to>``."""
    resource: Id
    """Id of the resource the proposed links carry."""
    max_km: Positive
    """Only pairs within this straight-line distance."""
    capacity: Positive | None = None
    """Maximum flow per year of each proposed link; default: unlimited (or ``sizing.max_capacity``)."""
    from_sites: list[Id] | None = None
    """Restrict the supplying sites (default: every site that supplies or produces it)."""
    to_sites: list[Id] | None = None
    """Restrict the receiving sites (default: every site that demands or consumes it)."""
    detour_factor: Annotated[float, Field(ge=1)] = 1.0
    """Route length / straight-line distance."""

    _fill_capacity = model_validator(mode="before")(_capacity_from_sizing)

    @model_validator(mode="after")
    def _sizing(self) -> CandidateLinks:
        _check_sizing(self, True)
        return self


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
    emissions: dict[str, Coefficient] = {}
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
    emissions: dict[str, Coefficient] = {}
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
    caps: dict[str, NonNeg] = {}
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
    """Relative MIP gap at which the solver stops."""
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
    requires: list[Id] = []
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


class Scenario(StrictModel):
    """A park scenario: the whole input of one optimization run."""

    schema_version: Literal[1] = 1
    """Version of this format; 1."""
    name: Names
    """Name of the scenario in English and Chinese."""
    description: Names | None = None
    """What the scenario is for (``{en, zh}`` or a plain string)."""
    extends: str | None = None
    """Base scenario file (relative to this one); this file's content overrides it."""
    time_slices: Annotated[list[TimeSlice], Field(min_length=1)] = [
        TimeSlice(id="year", hours=8760)
    ]
    """Representative periods of the year; default one slice ``year`` of 8760 h."""
    resources: list[Resource]
    """Materials and energy carriers."""
    sites: list[Site]
    """Enterprises, utilities, treatment facilities, hubs, the gate."""
    processes: list[Process] = []
    """Existing and candidate technologies at sites."""
    links: list[Link] = []
    """Existing and candidate connections, one resource each."""
    candidate_links: list[CandidateLinks] = []
    """Generators proposing candidate links within a distance."""
    markets: list[Market] = []
    """Buying and selling outside the park network."""
    disposal: list[Disposal] = []
    """Venting, flaring, landfill, discharge of what is not used."""
    policy: Policy = Policy()
    """Carbon price, discount rate, caps, factor set."""
    measures: list[Measure] = []
    """Named sets of candidates (a planner's options)."""
    allocation: AllocationSettings = AllocationSettings()
    """Enterprise accounts, transfer prices and the cooperative game (``symbio allocate``)."""
    build_groups: list[BuildGroup] = []
    """Shared, mutually exclusive and conditional build decisions."""
    objective: Objective = Objective()
    """What the optimizer minimises."""
    solver: SolverSettings = SolverSettings()
    """Solver settings (CLI options override them)."""
    estimates: dict[str, EstimateRange] = {}
    """Field-level provenance: estimated numbers by field path, with method and range."""

    _origin: dict | None = PrivateAttr(default=None)
    _lookup: dict | None = PrivateAttr(default=None)

    # Convenience look-ups, built once (models are frozen so they never go stale).
    def _by_id(self, family: str) -> dict:
        if self._lookup is None:
            self._lookup = {
                "resources": {r.id: r for r in reversed(self.resources)},
                "sites": {s.id: s for s in reversed(self.sites)},
            }
        return self._lookup[family]

    def resource(self, rid: str) -> Resource:
        """Return the resource with id ``rid`` (KeyError when undefined)."""
        return self._by_id("resources")[rid]

    def site(self, sid: str) -> Site:
        """Return the site with id ``sid`` (KeyError when undefined)."""
        return self._by_id("sites")[sid]


#: Top-level lists of records with an ``id`` (the scenario's record families).
RECORD_FAMILIES: tuple[str, ...] = (
    "resources",
    "sites",
    "processes",
    "links",
    "candidate_links",
    "markets",
    "disposal",
    "time_slices",
    "measures",
    "build_groups",
)

#: Key field of each list of records, for merging variants and naming field paths.
RECORD_KEYS: dict[str, str] = {"supplies": "resource", "demands": "resource", "audits": "round"}
