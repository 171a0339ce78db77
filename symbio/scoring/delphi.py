"""Delphi statistics for expert screening rounds.

Input is the raw score sheet -- one row per (round, expert, indicator, score) on a Likert
scale (default 1-5) -- plus each expert's self-assessment: judgement basis ``Ca`` and
familiarity ``Cs``. Everything else is a pure function of those:

- concentration: mean, full-score frequency ``K`` (share of maximal scores), rank sum;
- dispersion: standard deviation (ddof = 1) and coefficient of variation ``CV = SD / mean``;
- coordination: Kendall's W over all indicators per round with the tie correction
  (midranks) and its chi-square test ``chi2 = m (n - 1) W``, ``df = n - 1``;
- authority coefficient ``Cr = (Ca + Cs) / 2`` (acceptable from 0.7);
- positive coefficient: share of invited experts who answered the round;
- screening: fixed cut-offs (default mean >= 3.5 and CV < 0.25, both parameters) or the
  "界值法" boundary-value rule (cut-offs at column mean -/+ SD);
- convergence between rounds: change of W and of each indicator's CV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from symbio.scoring.delphi_io import load_delphi
from symbio.scoring.errors import ScoringError, as_matrix

__all__ = [
    "DelphiResult",
    "KendallW",
    "authority_coefficients",
    "delphi_analysis",
    "delphi_round_stats",
    "kendall_w",
    "load_delphi",
    "screen_indicators",
]


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance with its chi-square test."""

    w: float
    chi2: float
    df: int
    p_value: float
    m: int
    n: int

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "w": self.w,
            "chi2": self.chi2,
            "df": self.df,
            "p_value": self.p_value,
            "m": self.m,
            "n": self.n,
        }


def kendall_w(ratings: object, ties: bool = True) -> KendallW:
    """Kendall's W for ``m`` raters (rows) scoring ``n`` items (columns).

    Parameters
    ----------
    ratings : array-like, shape (m, n)
        Scores; each rater's scores are ranked with midranks for ties.
    ties : bool
        Apply the tie correction ``T = sum(t^3 - t)`` per rater.

    Returns
    -------
    KendallW
        ``W = 12 S / (m^2 (n^3 - n) - m sum T)``, ``chi2 = m (n - 1) W`` with ``n - 1``
        degrees of freedom (the Friedman statistic; the chi-square approximation is
        reasonable for n > 7). When every rater gives every item the same score there is
        no ranking to agree on: W, chi2 and the p-value are NaN (not W = 1).

    Raises
    ------
    ScoringError
        With fewer than 2 raters or items, or missing values.
    """
    r = as_matrix(ratings, "ratings")
    if r.shape[0] < 2 or r.shape[1] < 2 or np.isnan(r).any():
        raise ScoringError(
            "ratings",
            "",
            f"kendall_w needs a complete (m >= 2) x (n >= 2) score matrix, got {r.shape}",
        )
    m, n = r.shape
    ranks = np.apply_along_axis(stats.rankdata, 1, r)
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    t = 0.0
    if ties:
        for row in r:
            _, counts = np.unique(row, return_counts=True)
            t += float((counts**3 - counts).sum())
    denom = m**2 * (n**3 - n) - m * t
    if denom <= 0:  # every rater tied every item: W is undefined, not perfect agreement
        return KendallW(float("nan"), float("nan"), n - 1, float("nan"), m, n)
    w = 12.0 * s / denom
    chi2 = m * (n - 1) * w
    return KendallW(w, chi2, n - 1, float(stats.chi2.sf(chi2, n - 1)), m, n)


def authority_coefficients(experts: pd.DataFrame) -> pd.DataFrame:
    """Authority coefficient ``Cr = (Ca + Cs) / 2`` per expert.

    Parameters
    ----------
    experts : pandas.DataFrame
        Columns ``expert, ca, cs`` (judgement basis and familiarity, each in 0..1).

    Returns
    -------
    pandas.DataFrame
        ``expert, ca, cs, cr``.
    """
    out = experts[["expert", "ca", "cs"]].copy()
    out["cr"] = (out["ca"] + out["cs"]) / 2.0
    return out


def delphi_round_stats(scores: pd.DataFrame, scale_max: float = 5) -> pd.DataFrame:
    """Per-indicator statistics of one round.

    Parameters
    ----------
    scores : pandas.DataFrame
        Columns ``expert, indicator, score`` (one round).
    scale_max : float
        The maximal score (for the full-score frequency).

    Returns
    -------
    pandas.DataFrame
        Indexed by indicator: ``n, mean, sd, cv, full_score_freq, rank_sum``.
    """
    wide = scores.pivot_table(index="expert", columns="indicator", values="score", aggfunc="first")
    ranks = wide.rank(axis=1, method="average")
    out = pd.DataFrame(
        {
            "n": wide.count(),
            "mean": wide.mean(),
            "sd": wide.std(ddof=1),
            "full_score_freq": (wide == scale_max).sum() / wide.count(),
            "rank_sum": ranks.sum(),
        }
    )
    out["cv"] = out["sd"] / out["mean"]
    out.index.name = "indicator"
    return out[["n", "mean", "sd", "cv", "full_score_freq", "rank_sum"]]


def screen_indicators(
    round_stats: pd.DataFrame,
    rule: str = "threshold",
    min_mean: float = 3.5,
    max_cv: float = 0.25,
    min_full_score_freq: float | None = None,
) -> pd.DataFrame:
    """Decide which indicators to retain from one round's statistics.

    Parameters
    ----------
    round_stats : pandas.DataFrame
        Output of :func:`delphi_round_stats`.
    rule : {"threshold", "boundary"}
        ``threshold``: keep when ``mean >= min_mean`` and ``cv < max_cv`` (and
        ``full_score_freq >= min_full_score_freq`` if given). ``boundary`` (界值法): cut-offs
        are ``mean - SD`` of the column for the mean and the full-score frequency (higher
        is better) and ``mean + SD`` for the CV; keep when (mean or frequency) meets its
        cut-off and the CV is within its cut-off.
    min_mean, max_cv, min_full_score_freq : float
        Cut-offs of the ``threshold`` rule (conventions, not standards).

    Returns
    -------
    pandas.DataFrame
        ``retained`` (bool) and ``reason`` per indicator.
    """
    st = round_stats
    if rule == "threshold":
        ok_mean = st["mean"] >= min_mean
        ok_cv = st["cv"] < max_cv
        ok_full = (
            st["full_score_freq"] >= min_full_score_freq
            if min_full_score_freq is not None
            else True
        )
        keep = ok_mean & ok_cv & ok_full
        reason = np.where(
            keep,
            "meets cut-offs",
            np.where(
                ~ok_mean,
                f"mean < {min_mean}",
                np.where(~ok_cv, f"CV >= {max_cv}", "full-score frequency low"),
            ),
        )
    elif rule == "boundary":
        cut_mean = st["mean"].mean() - st["mean"].std(ddof=1)
        cut_full = st["full_score_freq"].mean() - st["full_score_freq"].std(ddof=1)
        cut_cv = st["cv"].mean() + st["cv"].std(ddof=1)
        ok_conc = (st["mean"] >= cut_mean) | (st["full_score_freq"] >= cut_full)
        ok_cv = st["cv"] <= cut_cv
        keep = ok_conc & ok_cv
        reason = np.where(
            keep,
            f"boundary cut-offs met (mean >= {cut_mean:.3f} or K >= {cut_full:.3f}; CV <= {cut_cv:.3f})",
            np.where(
                ~ok_conc, f"mean < {cut_mean:.3f} and K < {cut_full:.3f}", f"CV > {cut_cv:.3f}"
            ),
        )
    else:
        raise ScoringError(
            "screen_indicators",
            "rule",
            f"screening rule must be 'threshold' or 'boundary', not {rule!r}",
        )
    return pd.DataFrame({"retained": keep.astype(bool), "reason": reason}, index=st.index)


@dataclass(frozen=True)
class DelphiResult:
    """All Delphi statistics of a score sheet.

    Attributes
    ----------
    stats : pandas.DataFrame
        Per round and indicator: ``round, indicator, n, mean, sd, cv, full_score_freq,
        rank_sum, retained, reason``.
    concordance : pandas.DataFrame
        Per round: ``round, w, chi2, df, p_value, m, n, positive_coefficient``.
    authority : pandas.DataFrame
        ``expert, ca, cs, cr`` (empty when no self-assessment was given).
    convergence : pandas.DataFrame
        Per pair of consecutive rounds: ``round, delta_w, max_abs_delta_cv, converged``.
    retained : list of str
        Indicators retained in the final round.
    method : dict
        Every choice made (rule, cut-offs, tolerances, scale).
    """

    stats: pd.DataFrame
    concordance: pd.DataFrame
    authority: pd.DataFrame
    convergence: pd.DataFrame
    retained: list[str]
    method: dict = field(default_factory=dict)


def delphi_analysis(
    scores: pd.DataFrame,
    experts: pd.DataFrame | None = None,
    *,
    scale_max: float = 5,
    invited: int | None = None,
    rule: str = "threshold",
    min_mean: float = 3.5,
    max_cv: float = 0.25,
    min_full_score_freq: float | None = None,
    tol_w: float = 0.05,
    tol_cv: float = 0.05,
) -> DelphiResult:
    """Run the full Delphi analysis over all rounds of a score sheet.

    Parameters
    ----------
    scores : pandas.DataFrame
        Columns ``round, expert, indicator, score``.
    experts : pandas.DataFrame, optional
        Columns ``expert, ca, cs``.
    scale_max : float
        Maximal Likert score.
    invited : int, optional
        Experts invited per round, for the positive coefficient (default: the number of
        experts in ``experts``, else the number who answered round 1).
    rule, min_mean, max_cv, min_full_score_freq
        See :func:`screen_indicators`.
    tol_w, tol_cv : float
        Convergence: ``|delta W| <= tol_w`` and ``max |delta CV| <= tol_cv``.

    Returns
    -------
    DelphiResult
    """
    # Long: the docstring documents parameters (22 lines); the rounds loop and the result tables follow.
    rounds = sorted(scores["round"].unique())
    if invited is None:
        invited = (
            len(experts)
            if experts is not None
            else scores.loc[scores["round"] == rounds[0], "expert"].nunique()
        )
    stat_frames, conc_rows = [], []
    for rnd in rounds:
        sub = scores[scores["round"] == rnd]
        st = delphi_round_stats(sub, scale_max)
        st = st.join(screen_indicators(st, rule, min_mean, max_cv, min_full_score_freq))
        st.insert(0, "round", rnd)
        stat_frames.append(st.reset_index())
        wide = sub.pivot_table(
            index="expert", columns="indicator", values="score", aggfunc="first"
        ).dropna()
        kw = kendall_w(wide.to_numpy())
        conc_rows.append(
            {
                "round": rnd,
                **kw.as_dict(),
                "positive_coefficient": sub["expert"].nunique() / invited,
            }
        )
    stats_df = pd.concat(stat_frames, ignore_index=True)
    conc = pd.DataFrame(conc_rows)
    conv_rows = []
    for prev, cur in zip(rounds[:-1], rounds[1:], strict=True):
        cv_prev = stats_df[stats_df["round"] == prev].set_index("indicator")["cv"]
        cv_cur = stats_df[stats_df["round"] == cur].set_index("indicator")["cv"]
        dcv = (cv_cur - cv_prev).dropna().abs()
        dw = float(
            conc.loc[conc["round"] == cur, "w"].iloc[0]
            - conc.loc[conc["round"] == prev, "w"].iloc[0]
        )
        max_dcv = float(dcv.max()) if len(dcv) else float("nan")
        conv_rows.append(
            {
                "round": cur,
                "delta_w": dw,
                "max_abs_delta_cv": max_dcv,
                "converged": abs(dw) <= tol_w and max_dcv <= tol_cv,
            }
        )
    conv = pd.DataFrame(conv_rows, columns=["round", "delta_w", "max_abs_delta_cv", "converged"])
    auth = (
        authority_coefficients(experts)
        if experts is not None
        else pd.DataFrame(columns=["expert", "ca", "cs", "cr"])
    )
    last = stats_df[stats_df["round"] == rounds[-1]]
    method = {
        "rule": rule,
        "min_mean": min_mean,
        "max_cv": max_cv,
        "min_full_score_freq": min_full_score_freq,
        "scale_max": scale_max,
        "invited": invited,
        "kendall_w": "midranks with tie correction; chi2 = m(n-1)W, df = n-1",
        "authority": "Cr = (Ca + Cs) / 2",
        "convergence": f"|dW| <= {tol_w} and max|dCV| <= {tol_cv}",
        "retained_from_round": int(rounds[-1]),
    }
    return DelphiResult(
        stats_df, conc, auth, conv, last.loc[last["retained"], "indicator"].tolist(), method
    )
