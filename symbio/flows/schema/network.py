"""Scenario format, the park network: resources, sites, processes, links and candidate-link
generators (with their sizing)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from symbio.flows.schema.base import (
    RESOURCE_CATEGORIES,
    Coefficient,
    Fraction,
    Id,
    Names,
    NonNeg,
    Positive,
    Provenance,
    Quality,
    StrictModel,
)


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
    substitutes: dict[Id, Positive] = Field(default_factory=dict)
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
    audits: list[Audit] = Field(default_factory=list)
    """Cleaner-production audit rounds of the enterprise."""
    supplies: list[SiteFlow] = Field(default_factory=list)
    """Fixed supplies (by-products, waste heat, wastewater) that must go somewhere."""
    demands: list[SiteFlow] = Field(default_factory=list)
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
    inputs: dict[Id, NonNeg] = Field(default_factory=dict)
    """Resource consumed per unit of activity."""
    outputs: dict[Id, NonNeg] = Field(default_factory=dict)
    """Resource produced per unit of activity."""
    output_quality: dict[Id, float] = Field(default_factory=dict)
    """Quality of a quality-tracked output (with ``quality_load``: the outlet's maximum)."""
    input_quality: dict[Id, float] = Field(default_factory=dict)
    """Limit on the quality of a quality-tracked input as it reaches the process (min or max, by the sense)."""
    quality_load: dict[Id, NonNeg] = Field(default_factory=dict)
    """Contaminant picked up into a quality-tracked output per year (quality unit x resource unit; e.g. ``2 kg/h``)."""
    substitutes: dict[Id, dict[Id, Positive]] = Field(default_factory=dict)
    """Per input: other resources that may meet it, in units of each per unit of the input."""
    emissions: dict[str, Coefficient] = Field(default_factory=dict)
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
    lifetime_y: Annotated[float, Field(ge=1, le=100)] = 20
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
    lifetime_y: Annotated[float, Field(ge=1, le=100)] = 25
    """Economic lifetime in years (for the annualised capex)."""
    sizing: Sizing | None = None
    """Candidate only: choose the capacity continuously (size variable, capex per unit of size)."""
    inputs: dict[Id, NonNeg] = Field(default_factory=dict)
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
