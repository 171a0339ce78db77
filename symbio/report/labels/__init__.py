"""Everything a reader sees, in Chinese and English: words, names and number formats.

* :mod:`~symbio.report.labels.text`: section titles, headers, axes (:func:`t`, :data:`TEXT`);
* :mod:`~symbio.report.labels.names`: KPI, species, site-kind, unit, status and phase names;
* :mod:`~symbio.report.labels.numbers`: one number format per unit family (money, mass,
  energy, shares).

A term is translated once, here; figures, the HTML briefing and the workbook import from this
package.
"""

from __future__ import annotations

from symbio.report.labels.names import (
    HIGHER_BETTER_PREFIXES,
    KIND_NAMES,
    KPI_NAMES,
    KPI_ORDER,
    NEUTRAL_PREFIXES,
    PHASE_NAMES,
    SLICE_NAMES,
    SPECIES_NAMES,
    STATUS_NAMES,
    UNIT_NAMES,
    higher_is_better,
    is_neutral,
    kpi_name,
    kpi_rank,
    species_name,
    status_name,
    unit_label,
)
from symbio.report.labels.numbers import (
    NOISE,
    Scale,
    denoise,
    fmt_change_pct,
    fmt_money,
    fmt_num,
    fmt_pct,
    fmt_scaled,
    scale_for,
    unit_family,
)
from symbio.report.labels.text import LANGS, TEXT, Lang, pick, t

__all__ = [
    "NOISE",
    "denoise",
    "HIGHER_BETTER_PREFIXES",
    "KIND_NAMES",
    "KPI_NAMES",
    "KPI_ORDER",
    "LANGS",
    "NEUTRAL_PREFIXES",
    "PHASE_NAMES",
    "SLICE_NAMES",
    "SPECIES_NAMES",
    "STATUS_NAMES",
    "TEXT",
    "UNIT_NAMES",
    "Lang",
    "Scale",
    "fmt_change_pct",
    "fmt_money",
    "fmt_num",
    "fmt_pct",
    "fmt_scaled",
    "higher_is_better",
    "is_neutral",
    "kpi_name",
    "kpi_rank",
    "pick",
    "scale_for",
    "species_name",
    "status_name",
    "t",
    "unit_family",
    "unit_label",
]
