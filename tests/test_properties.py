"""Invariants of the scoring engine, checked with generated teams on the mini bank."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.engine.score import Result, score
from audit.model import NA, Bank, Question, Response, Team
from audit.read.bank import load_bank

from .conftest import MINI

BANK = load_bank(MINI)
QUESTIONS = {q.id: q for *_, q in BANK.questions()}


def answer(q: Question) -> st.SearchStrategy[Any]:
    keys = [o.key for o in q.options or []]
    if q.type in ("scale", "choice"):
        base: st.SearchStrategy[Any] = st.sampled_from(keys)
    elif q.type == "multi":
        base = st.lists(st.sampled_from(keys), unique=True)
    elif q.type == "number":
        lo, hi = q.range or (0.0, 100.0)
        base = st.floats(min_value=lo, max_value=hi, allow_nan=False)
    else:
        base = st.text(max_size=20)
    return st.one_of(base, st.just(NA)) if q.na else base


@st.composite
def responses(draw: st.DrawFn, profile: bool = True) -> Response:
    answers = {qid: draw(answer(q)) for qid, q in QUESTIONS.items() if draw(st.booleans())}
    channel = draw(st.sampled_from([None, "shop", "web", "both"])) if profile else None
    return Response("gen.yaml", None, draw(st.sampled_from([None, "sales", "ops"])), None, None,
                    {"channel": channel} if channel else {}, answers, {})


def team(respondents: list[Response]) -> Team:
    return Team(BANK.id, BANK.version, "Gen", respondents)


def numbers(result: Result) -> list[float | None]:
    out = [result.overall.score, result.overall.divergence, result.completion, result.percent_to_target]
    out += [n.score for n in result.areas.values()] + [n.divergence for n in result.areas.values()]
    out += [n.score for n in result.sections.values()] + [n.divergence for n in result.sections.values()]
    out += [q.score for q in result.questions.values()] + [q.share for q in result.questions.values()]
    out += [r.gain for r in result.recommendations]
    return out


teams = st.lists(responses(), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(teams)
def test_bounds_and_shares(respondents: list[Response]) -> None:
    r = score(BANK, team(respondents))
    for node in [r.overall, *r.areas.values(), *r.sections.values()]:
        assert node.score is None or 0 <= node.score <= 100
        assert node.divergence is None or 0 <= node.divergence <= 100
        assert node.flagged == (node.divergence is not None and node.divergence >= BANK.divergence_threshold)
    assert r.completion is not None and 0 <= r.completion <= 1
    assert r.percent_to_target is None or 0 <= r.percent_to_target <= 1 + 1e-12
    if r.overall.score is not None:
        # shares are overall points: they rebuild the overall score
        assert sum(q.share for q in r.questions.values()) == pytest.approx(r.overall.score)
    assert all(q.score is None or 0 <= q.score <= 100 for q in r.questions.values())
    gains = [x.gain for x in r.recommendations]
    assert gains == sorted(gains, reverse=True)
    assert all(q.answered <= len(respondents) for q in r.questions.values())


@settings(max_examples=200, deadline=None)
@given(teams, st.data())
def test_a_better_answer_never_lowers_a_score(respondents: list[Response], data: st.DataObject) -> None:
    before = score(BANK, team(respondents))
    who = data.draw(st.integers(0, len(respondents) - 1))
    qid = data.draw(st.sampled_from(["q1", "q2", "q5"]))
    q = QUESTIONS[qid]
    current = respondents[who].answers.get(qid)
    options = q.options or []
    floor = next((o.score for o in options if o.key == current), -1.0)
    better = [o.key for o in options if o.score >= floor]
    improved = list(respondents)
    improved[who] = Response(**{**respondents[who].__dict__,
                                "answers": {**respondents[who].answers, qid: data.draw(st.sampled_from(better))}})
    after = score(BANK, team(improved))
    if current is None or current is NA:
        return  # a first answer adds a question to the mean: it may lower a score, by design
    for old, new in [(before.overall, after.overall), *((before.areas[k], after.areas[k]) for k in before.areas),
                     *((before.sections[k], after.sections[k]) for k in before.sections)]:
        if old.score is not None:
            assert new.score is not None and new.score >= old.score - 1e-9


@settings(max_examples=150, deadline=None)
@given(teams)
def test_na_is_neutral(respondents: list[Response]) -> None:
    blanked = [Response(**{**r.__dict__, "answers": {k: v for k, v in r.answers.items() if k != "q2"}})
               for r in respondents]
    with_na = [Response(**{**r.__dict__, "answers": {**r.answers, "q2": NA}}) for r in blanked]
    a, b = score(BANK, team(blanked)), score(BANK, team(with_na))
    assert numbers(a)[4:] == numbers(b)[4:] or _close(numbers(a)[4:], numbers(b)[4:])
    assert a.overall.score == b.overall.score
    assert b.completion is not None and a.completion is not None and b.completion >= a.completion


@settings(max_examples=150, deadline=None)
@given(st.lists(responses(profile=False), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_respondent_order_does_not_matter(respondents: list[Response], rnd: Any) -> None:
    shuffled = list(respondents)
    rnd.shuffle(shuffled)
    a, b = score(BANK, team(respondents)), score(BANK, team(shuffled))
    assert numbers(a) == numbers(b)  # to the last digit: per-respondent values are added sorted
    assert a.diagnoses == b.diagnoses
    assert {k: d.respondents for k, d in a.departments.items()} == {k: d.respondents for k, d in b.departments.items()}


def _close(xs: list[float | None], ys: list[float | None]) -> bool:
    return len(xs) == len(ys) and all(
        (x is None and y is None) or (x is not None and y is not None and math.isclose(x, y, abs_tol=1e-9))
        for x, y in zip(xs, ys, strict=True))


def test_bank_is_loaded_once() -> None:
    assert isinstance(BANK, Bank) and len(QUESTIONS) == 7
