"""Write and read an allocation directory (``symbio allocate --out DIR``)::

enterprise_accounts.csv   one row per account: own cost, paid, received, net cost in the
                          baseline and optimized case, gain (chosen rule and market
                          prices), energy, CO2 and pollutants with their change, Shapley
exchange_settlement.csv   every flow between two accounts: seller, buyer, amount, the
                          parties' marginal values, price, payment, surplus
coalition_values.csv      every coalition: cost, value v(S), gap, seconds, the larger
                          coalition whose optimum it reuses (same_as; empty: solved)
allocation.csv            per player: stand-alone value, Shapley (± standard error),
                          nucleolus, least-core point
pair_values.csv           per pair of linked accounts: value of their direct links
allocation.json           players, method, core verdicts, least core, timings, IR prices
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from symbio.allocation.engine import Allocation
from symbio.fileio import write_atomic
from symbio.outdir import replace_dir
from symbio.report.allocation_view import ALLOCATION_FILES, ALLOCATION_SUMMARY, load_allocation

FILES = ALLOCATION_FILES
SUMMARY = ALLOCATION_SUMMARY


def write_allocation(a: Allocation, out: str | Path, *, force: bool = False) -> dict[str, Path]:
    """Write the tables and ``allocation.json`` into ``out``; return the files.

    The directory is written beside ``out`` and swapped in whole
    (:func:`symbio.outdir.replace_dir`): a directory symbio did not write is refused unless
    ``force``.
    """
    summary = dict(a.summary)
    if a.rational is not None:
        summary["rational_prices"] = {
            **summary["rational_prices"],
            "prices": [
                {"resource": r, "seller": s, "buyer": b, "slice": t, "price_cny": p}
                for (r, s, b, t), p in a.rational.prices.items()
            ],
        }

    def fill(d: Path) -> None:
        for k, name in FILES.items():
            write_atomic(d / name, getattr(a, k).to_csv(index=False))
        text = json.dumps(summary, indent=2, ensure_ascii=False, default=float)
        write_atomic(d / SUMMARY, text)

    d = replace_dir(out, fill, kind="allocation", force=force)
    return {**{k: d / name for k, name in FILES.items()}, "summary": d / SUMMARY}


def read_allocation(folder: str | Path) -> tuple[dict[str, pd.DataFrame], dict]:
    """Tables and summary of an allocation directory (InputError naming what is missing)."""
    view = load_allocation(folder)
    return view.tables, view.summary
