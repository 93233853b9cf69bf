"""Scoring cases worked out by hand (SPEC §3-4) on tests/data/mini.

The mini bank: area a (weight 2) has s1 {q1 scale w2 effort low, q2 choice x=.2 y=.8 na}
and s2 (weight 3, target 90, only for channel web/both) {q3 multi m1=.6 m2=.6 m3=.3,
q4 number: <=1 → 1, <=3 → .5, else 0}; area b (target 60) has s3 {q5 scale effort high,
q6 text, q7 scale only for channel shop}. Scale "three": 0 → 0, 1 → .5, 2 → 1.
Levels low 0, mid 50, high 80. Rules: gap-ab (a - b >= 10), s3-weak (s3 < 50),
a-split (divergence of a >= 25).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.model import Bank

from .conftest import make_bank, respondent, score_team


def test_one_respondent_every_type(mini: Bank, tmp_path: Path) -> None:
    r = score_team(mini, tmp_path, respondent(
        {"q1": 2, "q2": "x", "q3": ["m1", "m2"], "q4": 3, "q5": 1, "q6": "ok"},
        profile={"channel": "web"}))
    # s1 = 100 (2*1 + 1*.2) / 3 ; s2 = 100 (min(1, 1.2) + .5) / 2 ; a = (1*s1 + 3*s2) / 4
    s1 = 100 * (2 * 1 + 0.2) / 3
    s2 = 100 * (1 + 0.5) / 2
    a = (s1 + 3 * s2) / 4
    assert r.sections["s1"].score == pytest.approx(s1)
    assert r.sections["s2"].score == pytest.approx(75.0)
    assert r.areas["a"].score == pytest.approx(a)
    assert r.areas["b"].score == pytest.approx(50.0)
    assert r.overall.score == pytest.approx((2 * a + 50) / 3)
    assert r.sections["s1"].level == "mid" and r.sections["s2"].level == "mid"
    assert "q7" not in r.questions  # channel web: q7 is for shops only
    assert r.questions["q6"].score is None and r.questions["q6"].share == 0.0
    assert r.completion == 1.0
    # a - b = a - 50 >= 10 fires gap-ab; s3 = 50 is not below 50
    assert r.diagnoses == ["gap-ab"]


def test_team_of_three(mini: Bank, tmp_path: Path) -> None:
    r = score_team(
        mini, tmp_path,
        respondent({"q1": 2, "q2": "x", "q3": ["m1", "m3"], "q4": 2, "q5": 1, "q6": "fine", "q7": 0},
                   name="Ana", department="sales", profile={"channel": "web"}),
        respondent({"q1": 0, "q2": "na", "q3": [], "q4": 10, "q5": "0"},
                   name="Bo", department="ops", profile={"channel": "both"}),
        respondent({"q1": 1, "q2": "y"}, name="Cy", profile={"channel": "web"}))
    # question scores on 0..100: q1 = 100 (1 + 0 + .5)/3 = 50 ; q2 = 100 (.2 + .8)/2 = 50 (Bo's N/A is neutral)
    assert r.questions["q1"].score == 50.0 and r.questions["q1"].answered == 3
    assert r.questions["q2"].score == 50.0 and r.questions["q2"].answered == 2
    # q3 = 100 (.9 + 0)/2 ; q4 = 100 (.5 + 0)/2
    assert r.questions["q3"].score == pytest.approx(45.0)
    assert r.questions["q4"].score == 25.0
    assert r.sections["s1"].score == 50.0                     # 100 (2*.5 + .5) / 3
    assert r.sections["s2"].score == pytest.approx(35.0)      # 100 (.45 + .25) / 2
    assert r.areas["a"].score == pytest.approx(38.75)         # (50 + 3*35) / 4
    assert r.areas["b"].score == 25.0                         # q5 = (.5 + 0)/2
    assert r.overall.score == pytest.approx((2 * 38.75 + 25) / 3)
    # completion: 5 applicable non-text questions; Ana 5/5, Bo 5/5 (N/A counts), Cy 2/5
    assert r.completion == pytest.approx((1 + 1 + 0.4) / 3)
    # shares in overall points, e(q) * 100 * s(q): e(q1) = 2/3 * 1/4 * 2/3 and s(q1) = .5;
    # e(q5) = 1 * 1 * 1/3 and s(q5) = .25; the shares add up to the overall score
    assert r.questions["q1"].share == pytest.approx(2 / 3 * 1 / 4 * 2 / 3 * 100 * 0.5)
    assert r.questions["q5"].share == pytest.approx(1 / 3 * 100 * 0.25)
    assert sum(q.share for q in r.questions.values()) == pytest.approx(r.overall.score)
    # departments: sales = Ana alone; ops = Bo alone; unspecified = Cy
    assert list(r.departments) == ["sales", "ops", "unspecified"]
    sales = r.departments["sales"]
    assert sales.sections["s1"] == pytest.approx(100 * (2 * 1 + 0.2) / 3)
    assert sales.sections["s2"] == pytest.approx(100 * (0.9 + 0.5) / 2)
    assert r.departments["ops"].overall == 0.0
    assert r.departments["unspecified"].areas == {"a": 60.0, "b": None}
    # divergence of s1: sales 73.33 - ops 0 ; b: sales 50 - ops 0 (unspecified has none)
    assert r.sections["s1"].divergence == pytest.approx(100 * 2.2 / 3)
    assert r.areas["b"].divergence == 50.0 and r.areas["b"].flagged
    # profile: web twice, both once → web, with a warning
    assert r.profile == {"channel": "web"}
    assert any("disagree on profile 'channel'" in w for w in r.warnings)
    assert any("q7" in w and "ignored" in w for w in r.warnings)
    assert r.diagnoses == ["gap-ab", "s3-weak", "a-split"]


def test_percent_to_target_and_recommendations(mini: Bank, tmp_path: Path) -> None:
    # channel shop: s2 is out, q7 is in. s1 target 75 (bank), s3 target 60 (area b).
    r = score_team(mini, tmp_path, respondent({"q1": 2, "q2": "x", "q5": 1, "q7": 0},
                                              profile={"channel": "shop"}))
    assert "s2" not in r.sections and "q3" not in r.questions
    # e: q1 = 2/3 * 2/3, q2 = 1/3 * 2/3, q5 = 1/2 * 1/3, q7 = 1/2 * 1/3
    e = {"q1": 4 / 9, "q2": 2 / 9, "q5": 1 / 6, "q7": 1 / 6}
    s = {"q1": 1.0, "q2": 0.2, "q5": 0.5, "q7": 0.0}
    t = {"q1": 75, "q2": 75, "q5": 60, "q7": 60}
    gap = sum(e[q] * max(0, t[q] - 100 * s[q]) for q in e)   # q1 overachieves: 0, not -25
    reach = sum(e[q] * t[q] for q in e)
    assert r.percent_to_target == pytest.approx(1 - gap / reach)
    # below target: q2 (20 < 75), q5 (50 < 60), q7 (0 < 60); gains e * 100 * (1 - s)
    assert [(x.question, x.effort) for x in r.recommendations] == [
        ("q2", "medium"), ("q7", "medium"), ("q5", "high")]
    gains = [x.gain for x in r.recommendations]
    assert gains == pytest.approx([2 / 9 * 80, 1 / 6 * 100, 1 / 6 * 50])


def test_recommendation_ties_go_to_effort_then_bank_order(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", questions=[
        {"id": "qa", "scale": "two", "effort": "high"},
        {"id": "qb", "scale": "two", "effort": "low"},
        {"id": "qc", "scale": "two", "effort": "high"},
    ])
    r = score_team(bank, tmp_path, respondent({"qa": 0, "qb": 0, "qc": 0}))
    assert [x.question for x in r.recommendations] == ["qb", "qa", "qc"]


def test_na_and_unanswered_do_not_score_but_na_completes(mini: Bank, tmp_path: Path) -> None:
    base = {"q1": 2, "q3": ["m3"], "q4": 0, "q5": 2}
    web = {"channel": "web"}
    with_na = score_team(mini, tmp_path, respondent({**base, "q2": "na"}, profile=web))
    without = score_team(mini, tmp_path, respondent(base, profile=web))
    assert with_na.overall.score == without.overall.score
    assert with_na.completion == 1.0 and without.completion == pytest.approx(4 / 5)


def test_profile_unanswered_means_everything_applies(mini: Bank, tmp_path: Path) -> None:
    r = score_team(mini, tmp_path, respondent({"q1": 1, "q7": 2}))
    assert {"s1", "s2", "s3"} == set(r.sections) and "q7" in r.questions
    assert r.sections["s2"].score is None and r.areas["a"].score == 50.0
    assert r.profile == {}


def test_profile_tie_goes_to_earliest_respondent(mini: Bank, tmp_path: Path) -> None:
    r = score_team(mini, tmp_path, respondent({}, profile={"channel": "shop"}),
                   respondent({}, profile={"channel": "web"}))
    assert r.profile == {"channel": "shop"}
    r = score_team(mini, tmp_path, respondent({}), respondent({}, profile={"channel": "web"}),
                   respondent({}, profile={"channel": "shop"}))
    assert r.profile == {"channel": "web"}


def test_departments_use_the_team_profile(mini: Bank, tmp_path: Path) -> None:
    # the ops respondent says "shop", but the team says "web": s2 applies to ops as well
    r = score_team(mini, tmp_path,
                   respondent({"q3": ["m1"]}, department="sales", profile={"channel": "web"}),
                   respondent({"q3": ["m3"], "q7": 2}, department="ops", profile={"channel": "shop"}),
                   respondent({}, department="sales", profile={"channel": "web"}))
    assert r.departments["ops"].sections == {"s1": None, "s2": pytest.approx(30.0), "s3": None}
    assert r.sections["s2"].divergence == pytest.approx(30.0)
    assert r.departments["sales"].respondents == 2


def test_nothing_answered(mini: Bank, tmp_path: Path) -> None:
    r = score_team(mini, tmp_path, respondent({}))
    assert r.overall.score is None and r.overall.level is None
    assert r.percent_to_target is None and r.recommendations == [] and r.diagnoses == []
    assert r.completion == 0.0
    assert r.sections["s1"].divergence is None and not r.sections["s1"].flagged


def test_divergence_flag_at_threshold(mini: Bank, tmp_path: Path) -> None:
    # s3: sales q5 = 2 → 100, ops q5 = 1 → 50
    r = score_team(mini, tmp_path, respondent({"q5": 2}, department="sales"),
                   respondent({"q5": 1}, department="ops"))
    assert r.sections["s3"].divergence == 50.0
    r = score_team(mini, tmp_path, respondent({"q1": 1, "q2": "y"}, department="sales"),
                   respondent({"q1": 1, "q2": "x"}, department="ops"))
    # s1: 100 (2*.5 + .8)/3 = 60 against 100 (2*.5 + .2)/3 = 40
    assert r.sections["s1"].divergence == pytest.approx(20.0) and not r.sections["s1"].flagged
    r = score_team(mini, tmp_path, respondent({"q5": 1}, department="sales"),
                   respondent({"q5": 0}, department="ops"),
                   respondent({"q5": 2}, department="ops"))
    assert r.sections["s3"].divergence == 0.0  # ops averages (0 + 1)/2 = 50 like sales


def test_divergence_exactly_at_threshold_is_flagged(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", questions=[{"id": "qa", "scale": "two"}],
                     divergence_threshold=100)
    r = score_team(bank, tmp_path, respondent({"qa": 1}, department="d1"),
                   respondent({"qa": 0}, department="d2"))
    assert r.sections["sec"].divergence == 100.0 and r.sections["sec"].flagged
    assert r.overall.divergence == 100.0 and r.overall.flagged


def test_json_shape(mini: Bank, tmp_path: Path) -> None:
    data = score_team(mini, tmp_path, respondent({"q1": 1}, department="ops")).to_json()
    assert list(data) == ["bank", "organisation", "respondents", "min_group", "overall", "areas", "sections",
                          "questions", "departments", "profile", "diagnoses", "recommendations",
                          "warnings"]
    assert data["min_group"] == 1
    assert data["bank"] == {"id": "mini", "version": "1"}
    # one answer: q1 (weight 2) of the weighted questions q1-q4 in a (2 + 1 + 1 + 1) and q5, q7 in b (1 + 1),
    # so coverage is 2/7 overall and 2/5 in a: both provisional (below 0.5), hence no level
    assert data["overall"] == {"score": 50.0, "level": None, "completion": pytest.approx(1 / 6),
                               "percent_to_target": pytest.approx(50 / 75), "coverage": pytest.approx(2 / 7),
                               "provisional": True}
    assert data["areas"]["a"] == {"score": 50.0, "level": None, "divergence": None, "flagged": False,
                                  "coverage": 0.4, "provisional": True}
    assert data["departments"] == {"ops": {"respondents": 1, "overall": 50.0,
                                           "areas": {"a": 50.0, "b": None},
                                           "sections": {"s1": 50.0, "s2": None, "s3": None}}}
    assert data["recommendations"] == [{"question": "q1", "gain": pytest.approx(50.0), "effort": "low", "focus": []}]
    assert data["questions"]["q1"] == {"score": 50.0, "share": 50.0, "answered": 1, "dont_know": 0}
