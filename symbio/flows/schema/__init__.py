"""The scenario format: strict, frozen pydantic models of a chemical park.

One module per record family: ``base`` (types, species, provenance), ``network`` (resources,
sites, processes, links), ``settings`` (markets, disposal, policy, objective, solver, groups,
measures, estimates) and ``scenario`` (the whole). Import from ``symbio.flows.schema``.

Conventions (see ``docs/scenario-format.md``):

* amounts, capacities and caps are **per year** in the unit of the resource (or of the
  process activity); a time slice gets the share ``hours / 8760`` unless ``by_slice`` says
  otherwise;
* prices and costs are CNY per unit of the resource (or of activity); capex in CNY;
* emissions are tonnes of the species per unit;
* every record may carry ``source:`` (a citation) or ``estimate:`` (the method); reports
  show how much of a scenario rests on estimates.
"""

from symbio.flows.schema.base import (
    CRITERIA,
    GREENHOUSE_GASES,
    GWP_SETS,
    ID_PATTERN,
    POLLUTANTS,
    RESOURCE_CATEGORIES,
    SPECIES,
    Coefficient,
    FactorRef,
    Fraction,
    Id,
    Names,
    NonNeg,
    Positive,
    Provenance,
    Quality,
    StrictModel,
)
from symbio.flows.schema.network import (
    Audit,
    CandidateLinks,
    Economics,
    Link,
    LinkCosts,
    Process,
    Resource,
    Site,
    SiteFlow,
    Sizing,
)
from symbio.flows.schema.scenario import RECORD_FAMILIES, RECORD_KEYS, Scenario
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

__all__ = [
    "AllocationSettings",
    "Audit",
    "BuildGroup",
    "CRITERIA",
    "CandidateLinks",
    "Coefficient",
    "Disposal",
    "Economics",
    "EstimateRange",
    "FactorRef",
    "Fraction",
    "GREENHOUSE_GASES",
    "GWP_SETS",
    "ID_PATTERN",
    "Id",
    "Link",
    "LinkCosts",
    "Market",
    "Measure",
    "Names",
    "NonNeg",
    "Objective",
    "POLLUTANTS",
    "Policy",
    "Positive",
    "Process",
    "Provenance",
    "Quality",
    "RECORD_FAMILIES",
    "RECORD_KEYS",
    "RESOURCE_CATEGORIES",
    "Resource",
    "SPECIES",
    "Scenario",
    "Site",
    "SiteFlow",
    "Sizing",
    "SolverSettings",
    "StrictModel",
    "TimeSlice",
]
