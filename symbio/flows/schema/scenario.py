"""Scenario format, the whole: the ``Scenario`` model and its record families."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PrivateAttr

from symbio.flows.schema.base import (
    Names,
    StrictModel,
)
from symbio.flows.schema.network import (
    CandidateLinks,
    Link,
    Process,
    Resource,
    Site,
)
from symbio.flows.schema.settings import (
    AllocationSettings,
    BuildGroup,
    Disposal,
    EstimateRange,
    Market,
    Measure,
    Objective,
    Policy,
    SolverSettings,
    TimeSlice,
)


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
    processes: list[Process] = Field(default_factory=list)
    """Existing and candidate technologies at sites."""
    links: list[Link] = Field(default_factory=list)
    """Existing and candidate connections, one resource each."""
    candidate_links: list[CandidateLinks] = Field(default_factory=list)
    """Generators proposing candidate links within a distance."""
    markets: list[Market] = Field(default_factory=list)
    """Buying and selling outside the park network."""
    disposal: list[Disposal] = Field(default_factory=list)
    """Venting, flaring, landfill, discharge of what is not used."""
    policy: Policy = Policy()
    """Carbon price, discount rate, caps, factor set."""
    measures: list[Measure] = Field(default_factory=list)
    """Named sets of candidates (a planner's options)."""
    allocation: AllocationSettings = AllocationSettings()
    """Enterprise accounts, transfer prices and the cooperative game (``symbio allocate``)."""
    build_groups: list[BuildGroup] = Field(default_factory=list)
    """Shared, mutually exclusive and conditional build decisions."""
    objective: Objective = Objective()
    """What the optimizer minimises."""
    solver: SolverSettings = SolverSettings()
    """Solver settings (CLI options override them)."""
    estimates: dict[str, EstimateRange] = Field(default_factory=dict)
    """Field-level provenance: estimated numbers by field path, with method and range."""
    sources: dict[str, str] = Field(default_factory=dict)
    """Field-level provenance: cited numbers by field path (path -> citation or definition)."""

    _origin: dict | None = PrivateAttr(default=None)
    _lookup: dict | None = PrivateAttr(default=None)

    # Convenience look-ups, built once (models are frozen so they never go stale).
    def _by_id(self, family: str) -> dict:
        # read from pydantic's private-attribute store directly: ``self._lookup`` goes
        # through BaseModel.__getattr__ (~10x slower; the look-ups run ~1000 times a run)
        lookup = self.__pydantic_private__.get("_lookup")  # type: ignore[union-attr]
        if lookup is None:
            lookup = self._lookup = {
                "resources": {r.id: r for r in reversed(self.resources)},
                "sites": {s.id: s for s in reversed(self.sites)},
            }
        return lookup[family]

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
