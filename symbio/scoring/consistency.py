"""Consistency of pairwise matrices: random-index tables, CR thresholds, the GCI.

Random index ``RI(n)``: the mean consistency index ``CI = (lambda_max - n)/(n - 1)`` of
random reciprocal matrices on the 1/9..9 scale. Published tables differ with the sample
and the sampling of the scale; every table below names its primary source and what was
checked against what (closing note of issue 18 lists the checks).

=====================  =========  ====================================================
table                  n          primary source
=====================  =========  ====================================================
``saaty1980``          1..15      Saaty, T.L. (1980) *The Analytic Hierarchy Process*,
                                  McGraw-Hill, p. 21 (n = 11..15 from the 1980 book's
                                  extension, including the non-monotone 1.48 at n = 12;
                                  some reprints give 1.54 there).
``saaty2005``          1..15      Saaty, T.L. (2005) *Theory and Applications of the
                                  Analytic Network Process*, RWS, p. 31; also Saaty (2008)
                                  Int. J. Services Sciences 1(1):83.
``donegan_dodd1991``   1..20      Donegan, H.A. & Dodd, F.J. (1991) "A note on Saaty's
                                  random indexes", Math. Comput. Modelling 15(10):135-137.
                                  n = 3 is 0.4914 and n = 4 is 0.8286 (an earlier version
                                  of this module had 0.4887 / 0.8045, which turned a
                                  published CR of 0.080 into 0.0826).
``alonso_lamata2006``  1..15      Alonso, J.A. & Lamata, M.T. (2006) "Consistency in the
                                  analytic hierarchy process: a new approach", Int. J.
                                  Uncertainty, Fuzziness and Knowledge-Based Systems
                                  14(4):445-459, Table (100 000 matrices per order).
``chinese_common``     1..15      The table of most Chinese AHP textbooks (1 000 matrices
                                  per order), usually credited to 许树柏 (1988)
                                  《实用决策方法——层次分析法原理》; attribution not verified.
=====================  =========  ====================================================

Beyond a table (e.g. n = 16 with ``saaty1980``) there is no RI: the caller either picks a
longer table (``donegan_dodd1991`` reaches n = 20) or skips CR (``beyond="skip"``: CR is
NaN and the matrix is reported as "not checked"); the GCI needs no RI at any n.

Geometric consistency index (Crawford & Williams 1985; Aguarón & Moreno-Jiménez 2003,
EJOR 147:137-145), paired with the row-geometric-mean weights ``w``::

    GCI = 2 / ((n - 1)(n - 2)) * sum_{i<j} log^2(a_ij w_j / w_i)

Thresholds (Aguarón & Moreno-Jiménez 2003): 0.31 for n = 3, 0.35 for n = 4, 0.37 for
n > 4. For n = 3 the GCI is ``delta^2 / 3`` with ``delta = log(a12 a23 / a13)``.

Saaty's CR thresholds by size (Saaty 1994, *Fundamentals of Decision Making and Priority
Theory*, RWS; the CR values Aguarón & Moreno-Jiménez 2003 match their GCI thresholds to):
0.05 for n = 3, 0.08 for n = 4, 0.10 for n >= 5.
"""

from __future__ import annotations

import math

import numpy as np

from symbio.scoring.errors import ScoringError

__all__ = [
    "CR_THRESHOLD_RULES",
    "GCI_THRESHOLDS",
    "RI_SOURCES",
    "RI_TABLES",
    "cr_threshold",
    "gci",
    "gci_threshold",
    "random_index",
]

#: Random-index tables, RI for n = 1, 2, ... (sources in the module docstring).
RI_TABLES: dict[str, tuple[float, ...]] = {
    "saaty1980": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    "saaty2005": (0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
    "donegan_dodd1991": (
        0, 0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055,
        1.4213, 1.4497, 1.4643, 1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371,
    ),
    "alonso_lamata2006": (
        0, 0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854,
        1.5141, 1.5365, 1.5551, 1.5713, 1.5838,
    ),
    "chinese_common": (0, 0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
}  # fmt: skip
#: Short citation of each table (shown in outputs).
RI_SOURCES: dict[str, str] = {
    "saaty1980": "Saaty (1980) The Analytic Hierarchy Process, McGraw-Hill",
    "saaty2005": "Saaty (2005) Theory and Applications of the ANP, RWS, p. 31",
    "donegan_dodd1991": "Donegan & Dodd (1991) Math. Comput. Modelling 15(10):135-137",
    "alonso_lamata2006": "Alonso & Lamata (2006) Int. J. Uncertain. Fuzz. 14(4):445-459",
    "chinese_common": "common Chinese textbook table (许树柏 1988, attribution not verified)",
}
#: GCI thresholds by order (Aguarón & Moreno-Jiménez 2003): n = 3, n = 4, n > 4.
GCI_THRESHOLDS = (0.31, 0.35, 0.37)
#: CR threshold rules: a fixed number or Saaty's thresholds by size.
CR_THRESHOLD_RULES = ("fixed", "saaty_by_size")


def random_index(n: int, table: str = "saaty1980", beyond: str = "error") -> float:
    """Return the random index RI(n) from a named table (see the module docstring).

    Parameters
    ----------
    n : int
        Matrix order.
    table : str
        A key of :data:`RI_TABLES`.
    beyond : {"error", "skip"}
        For an order the table does not cover: raise, or return NaN (CR not checked).

    Raises
    ------
    ScoringError
        For an unknown table, or an order outside the table with ``beyond="error"``.
    """
    if table not in RI_TABLES:
        raise ScoringError(
            "ri_table", table, f"unknown RI table (choose from {', '.join(RI_TABLES)})"
        )
    values = RI_TABLES[table]
    if 1 <= n <= len(values):
        return float(values[n - 1])
    if beyond == "skip" and n > len(values):
        return float("nan")
    raise ScoringError(
        "ri_table",
        table,
        f"no random index for n = {n}: the table covers n = 1..{len(values)} "
        f"({RI_SOURCES[table]}); use ri_table=donegan_dodd1991 (to n = 20) or skip CR "
        "(beyond='skip'; the GCI needs no RI)",
    )


def cr_threshold(n: int, rule: str | float = 0.10) -> float:
    """CR acceptance threshold for order ``n``: a number, or ``"saaty_by_size"``.

    >>> cr_threshold(3, "saaty_by_size"), cr_threshold(4, "saaty_by_size"), cr_threshold(7, "saaty_by_size")
    (0.05, 0.08, 0.1)
    """
    if isinstance(rule, str):
        if rule != "saaty_by_size":
            raise ScoringError("threshold", rule, "expected a number or 'saaty_by_size'")
        return 0.05 if n <= 3 else 0.08 if n == 4 else 0.10
    value = float(rule)
    if not math.isfinite(value) or value <= 0:
        raise ScoringError("threshold", str(rule), "CR threshold must be a positive number")
    return value


def gci_threshold(n: int) -> float:
    """GCI threshold of Aguarón & Moreno-Jiménez (2003) for order ``n`` (0 for n <= 2)."""
    if n <= 2:
        return 0.0
    return GCI_THRESHOLDS[0] if n == 3 else GCI_THRESHOLDS[1] if n == 4 else GCI_THRESHOLDS[2]


def gci(matrix: object) -> float:
    """Geometric consistency index of a complete positive reciprocal matrix.

    Uses the row-geometric-mean weights; 0 for n <= 2 and for a consistent matrix.

    >>> round(gci([[1, 2, 8], [1/2, 1, 2], [1/8, 1/2, 1]]), 4)  # delta = log(1/2): delta^2/3
    0.1602
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    if n <= 2:
        return 0.0
    logs = np.log(a)
    lw = logs.mean(axis=1)
    err = logs - lw[:, None] + lw[None, :]
    upper = err[np.triu_indices(n, 1)]
    return float(2.0 / ((n - 1) * (n - 2)) * (upper**2).sum())
