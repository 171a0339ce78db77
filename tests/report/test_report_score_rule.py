"""Issue 18: the briefing states the grading rule and shows the membership vector, not a second grade."""

from __future__ import annotations

from symbio.report.html.details import scores
from symbio.report.scoreview import ScoreView
from symbio.scoring.explain import grading_rule


def _view() -> ScoreView:
    # SCIP 2025 optimum, output basis with the time series: grade III by score 75.0 while
    # the largest membership is I (0.417) -- the committee member's puzzle
    return ScoreView(
        grade="III",
        grade_max="I",
        score=75.0,
        membership={"I": 0.417, "II": 0.115, "III": 0.109, "below": 0.359},
        rule=grading_rule((95, 85, 70, 50), ("I", "II", "III", "below")),
    )


def test_briefing_scores_show_rule_and_membership_without_a_second_grade():
    en = scores(_view(), "en")
    assert en["grade"].startswith("III")
    assert en["membership"] == "Grade I 0.42 · Grade II 0.12 · Grade III 0.11 · Below III 0.36"
    assert "I from 90, II from 77.5, III from 60" in en["rule"]
    assert "grade_max" not in en  # no "by maximum membership it would be grade I"
    zh = scores(_view(), "zh")
    assert zh["membership"].startswith("Ⅰ级 0.42") and "Ⅲ 级 ≥ 60" in zh["rule"]
