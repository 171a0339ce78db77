"""Pollution equivalents: several pollutants weighed into one number.

The pollution equivalents (污染当量数) of an emission of ``m`` tonnes of species ``p`` are

    E_p = 1000 * m / v_p

where ``v_p`` is the pollution-equivalent value (污染当量值) in kg, e.g. 0.95 kg for SO2 and NOx,
1 kg for COD, 0.8 kg for ammonia nitrogen (环境保护税法 附表二). The values are data, kept in
``data/pollution-equivalents.yaml`` with their sources; a species without a value (CO2, CH4,
N2O) is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from symbio.errors import InputError
from symbio.paths import data_dir
from symbio.scoring.yamlfile import safe_load

__all__ = ["PollutionEquivalents", "load_equivalents"]

DEFAULT_FILE = "pollution-equivalents.yaml"


@dataclass(frozen=True)
class PollutionEquivalents:
    """Pollution-equivalent values by species.

    Attributes
    ----------
    value_kg : dict[str, float]
        kg of the species per pollution equivalent.
    source : dict[str, str]
        Citation of each value.
    verified : dict[str, bool]
        Whether each value was checked against its source.
    file : str
        Where the values were read from.
    """

    value_kg: dict[str, float]
    source: dict[str, str] = field(default_factory=dict)
    verified: dict[str, bool] = field(default_factory=dict)
    file: str = ""

    @property
    def species(self) -> tuple[str, ...]:
        """Species with a value, in file order."""
        return tuple(self.value_kg)

    def per_tonne(self, species: str) -> float:
        """Pollution equivalents of one tonne of ``species`` (0 when it has no value)."""
        v = self.value_kg.get(species)
        return 1000.0 / v if v else 0.0

    def equivalents(self, emissions_t: Mapping[str, float]) -> float:
        """Total pollution equivalents of emissions given in tonnes per species.

        Examples
        --------
        >>> pe = PollutionEquivalents({"so2": 0.95, "cod": 1.0})
        >>> round(pe.equivalents({"so2": 0.95, "cod": 2.0, "co2": 1e6}), 6)
        3000.0
        """
        return sum(self.per_tonne(s) * float(m) for s, m in emissions_t.items())

    def breakdown(self, emissions_t: Mapping[str, float]) -> dict[str, float]:
        """Pollution equivalents per species with a value."""
        return {s: self.per_tonne(s) * float(emissions_t.get(s, 0.0)) for s in self.value_kg}


def load_equivalents(path: str | Path | None = None) -> PollutionEquivalents:
    """Read pollution-equivalent values from YAML (default ``data/pollution-equivalents.yaml``).

    Raises
    ------
    InputError
        When the file is missing or a value is not a positive number.
    """
    file = Path(path) if path is not None else data_dir() / DEFAULT_FILE
    if not file.exists():
        raise InputError(str(file), "", "pollution-equivalent file not found")
    with file.open(encoding="utf-8") as fh:
        raw = safe_load(fh.read()) or {}
    species = raw.get("species")
    if not isinstance(species, dict) or not species:
        raise InputError(str(file), "species", "expected a mapping of species to values")
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    verified: dict[str, bool] = {}
    for sid, rec in species.items():
        v = rec.get("value_kg") if isinstance(rec, dict) else None
        if not isinstance(v, int | float) or isinstance(v, bool) or v <= 0:
            raise InputError(str(file), f"species.{sid}.value_kg", "must be a positive number")
        values[str(sid)] = float(v)
        sources[str(sid)] = str(rec.get("source", ""))
        verified[str(sid)] = bool(rec.get("verified", False))
    return PollutionEquivalents(values, sources, verified, str(file))
