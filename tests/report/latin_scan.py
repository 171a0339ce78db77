"""Latin-letter words a reader sees in a Chinese briefing, outside the allowed ones.

Allowed: units (t, kt/a, tce, MWh, m³, MPa ...), chemical formulas (CO₂, NOx, HCl ...),
standard codes (GB/T) and the product name; ids and citations only inside ``<code>`` or the
appendix sections (data provenance, solver status).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

UNITS = {"t", "kt", "Mt", "a", "tce", "ktce", "MWh", "kWh", "GWh", "GJ", "MJ", "TJ", "m", "km", "km2",
         "km3", "m3", "MPa", "MW", "MWp", "h", "kg", "kgce", "Nm3", "CO2e", "s", "ms"}  # fmt: skip
FORMULAS = {"CO", "CO2", "CH4", "N2O", "SO2", "NOx", "VOCs", "COD", "NH3-N", "H2", "HCl", "Cl2",
            "NaOH", "MDI", "TDI", "ABS", "MMA", "PC", "ADN", "O", "N", "CH", "SO", "NH3"}  # fmt: skip
OTHER = {"GB", "T", "symbio"}
APPENDIX = ("provenance", "solver")


class _Text(HTMLParser):
    def __init__(self, allowed: set[str]) -> None:
        super().__init__()
        self.allowed = UNITS | FORMULAS | OTHER | allowed
        self.skip = 0
        self.section = ""
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("code", "style", "script", "title"):
            self.skip += 1
        if tag == "section":
            self.section = dict(attrs).get("id") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip or self.section in APPENDIX:
            return
        for word in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", data):
            if word not in self.allowed:
                self.found.setdefault(word, f"{self.section}: {data.strip()[:70]}")


def latin_words(html: str, allowed: set[str] | None = None) -> dict[str, str]:
    """Each disallowed Latin word of the page with the section and text it stands in
    (``allowed``: more words to let pass, e.g. the user's own result-directory names).
    """
    parser = _Text(allowed or set())
    parser.feed(html)
    return parser.found
