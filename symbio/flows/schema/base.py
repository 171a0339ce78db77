"""Scenario format, base: id and number types, emission species, the strict base model,
provenance, bilingual names, factor references and quality attributes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

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


class FactoryDefaults(GenerateJsonSchema):
    """The JSON Schema generator of the input models: an empty list or dict made by
    ``default_factory`` is shown as the field's ``default``, as a ``= []`` default was.

    The models' empty lists and dicts are made by ``Field(default_factory=list)`` (or
    ``dict``): a default written as ``= []`` is deep-copied by pydantic for every record
    that leaves the field out (``copy.deepcopy``, ~5 us each: ~1 ms a SCIP validation).
    """

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> object:
        """``[]`` or ``{}`` for a ``list``/``dict`` factory; otherwise pydantic's rule."""
        factory = schema.get("default_factory")
        if factory in (list, dict) and not schema.get("default_factory_takes_data"):
            return factory()
        return super().get_default_value(schema)


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False
    )

    @classmethod
    def model_json_schema(cls, *args: object, **kwargs: object) -> dict:
        """pydantic's JSON Schema, with :class:`FactoryDefaults` as the default generator."""
        kwargs.setdefault("schema_generator", FactoryDefaults)
        return super().model_json_schema(*args, **kwargs)  # type: ignore[arg-type]


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
