"""The default bank keeps the promises the README makes about it."""

from __future__ import annotations

import re
from collections import Counter

from audit.read.bank import load_bank

from .conftest import ROOT

BANK = load_bank()


def test_size_types_and_languages() -> None:
    questions = [q for *_, q in BANK.questions()]
    assert len(questions) >= 60
    assert set(Counter(q.type for q in questions)) == {"scale", "choice", "multi", "number", "text"}
    assert BANK.languages == ["es", "en"]
    assert any(q.na for q in questions)
    assert len(BANK.departments) >= 6 and {p.id for p in BANK.profile} >= {"channel", "market"}


def test_every_scored_question_is_complete() -> None:
    for *_, q in BANK.questions():
        assert q.help, q.id
        if q.scored:
            assert q.suggestion and all(q.suggestion.values()), q.id  # type: ignore[union-attr]


def test_areas_and_implementation_dimensions() -> None:
    assert [a.id for a in BANK.areas] == ["front_office", "back_office", "implementation"]
    implementation = next(a for a in BANK.areas if a.id == "implementation")
    assert [s.id for s in implementation.sections][:5] == ["alignment", "planning", "execution", "reaction",
                                                           "feedback"]


def test_profile_drives_applies_if() -> None:
    used = {pid for _, s in BANK.sections() for pid in (s.applies_if or {})}
    used |= {pid for *_, q in BANK.questions() for pid in (q.applies_if or {})}
    assert used == {"channel", "market"}


def test_rules_encode_the_diagnoses() -> None:
    assert {"back-office-gap", "alignment-weak", "departments-disagree", "planning-ignores-costs",
            "execution-without-quality", "slow-reaction", "no-feedback-loop"} <= {r.id for r in BANK.rules}


def test_coverage_names_only_real_ids() -> None:
    text = (ROOT / "questions" / "COVERAGE.md").read_text()
    ids = {q.id for *_, q in BANK.questions()} | {r.id for r in BANK.rules}
    ids |= {a.id for a in BANK.areas} | {s.id for _, s in BANK.sections()}
    named = set(re.findall(r"`([a-z][a-z0-9_-]*)`", text)) - {"fo-", "bo-", "im-"}
    assert named and named <= ids, sorted(named - ids)
    every_question = {q.id for *_, q in BANK.questions() if q.type != "text"}
    assert len(every_question & named) >= 0.8 * len(every_question)
