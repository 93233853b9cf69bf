"""Bank features beyond the mini bank: weights, bands, zero weights, rules, plain-string texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.errors import InputError
from audit.model import Bank
from audit.read.bank import load_bank

from .conftest import make_bank, respondent, score_team


def test_number_bands_min_max_and_catch_all(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "b", questions=[
        {"id": "n", "type": "number", "bands": [{"min": 10, "score": 1}, {"max": 2, "score": 0},
                                                 {"score": 0.4}]}])
    for value, expected in [(10, 100.0), (12.5, 100.0), (2, 0.0), (-1, 0.0), (2.01, 40.0), (9.99, 40.0)]:
        r = score_team(bank, tmp_path, respondent({"n": value}))
        assert r.sections["sec"].score == pytest.approx(expected), value


def test_number_outside_every_band_is_unscored(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "b", questions=[
        {"id": "n", "type": "number", "bands": [{"max": 5, "score": 1}]}])
    r = score_team(bank, tmp_path, respondent({"n": 6}))
    assert r.questions["n"].score is None and r.completion == 1.0


def test_weights_at_every_level(tmp_path: Path) -> None:
    two = [{"key": "a", "label": "A", "score": 0.25}, {"key": "b", "label": "B", "score": 1}]
    bank = make_bank(tmp_path / "b", questions=[], areas=[
        {"id": "x", "title": "X", "weight": 3, "sections": [
            {"id": "x1", "title": "X1", "weight": 2, "questions": [
                {"id": "q1", "type": "choice", "options": two, "weight": 3},
                {"id": "q2", "type": "choice", "options": two}]},
            {"id": "x2", "title": "X2", "questions": [
                {"id": "q3", "type": "choice", "options": two, "weight": 0},
                {"id": "q4", "type": "choice", "options": two}]}]},
        {"id": "y", "title": "Y", "sections": [
            {"id": "y1", "title": "Y1", "questions": [{"id": "q5", "type": "choice", "options": two}]}]}])
    r = score_team(bank, tmp_path, respondent({"q1": "a", "q2": "b", "q3": "b", "q4": "a", "q5": "b"}))
    x1 = 100 * (3 * 0.25 + 1) / 4           # 43.75
    x2 = 25.0                               # q3 has weight 0: asked, not scored
    x = (2 * x1 + x2) / 3
    assert r.sections["x1"].score == pytest.approx(x1)
    assert r.sections["x2"].score == pytest.approx(x2)
    assert r.overall.score == pytest.approx((3 * x + 100) / 4)
    assert r.questions["q3"].score is None and r.questions["q3"].share == 0.0
    # e(q1) = 3/4 * 2/3 * 3/4 and q1 answered "a" (score .25): share = e * 100 * .25 overall points
    assert r.questions["q1"].share == pytest.approx(3 / 4 * 2 / 3 * 3 / 4 * 100 * 0.25)
    assert sum(q.share for q in r.questions.values()) == pytest.approx(r.overall.score)
    assert r.completion == 1.0  # the weight-0 question counts as answered


def test_zero_weight_section_is_shown_but_not_counted(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "b", questions=[], sections=[
        {"id": "s1", "title": "S1", "questions": [{"id": "qa", "scale": "two"}]},
        {"id": "s0", "title": "S0", "weight": 0, "questions": [{"id": "qb", "scale": "two"}]}])
    r = score_team(bank, tmp_path, respondent({"qa": 1, "qb": 0}))
    assert r.sections["s0"].score == 0.0 and r.areas["area"].score == 100.0
    assert r.questions["qb"].share == 0.0
    assert [x.question for x in r.recommendations] == ["qb"] and r.recommendations[0].gain == 0.0


def test_multi_is_capped_and_empty_list_scores_zero(tmp_path: Path) -> None:
    opts = [{"key": k, "label": k, "score": 0.5} for k in ("a", "b", "c")]
    bank = make_bank(tmp_path / "b", questions=[{"id": "m", "type": "multi", "options": opts}])
    assert score_team(bank, tmp_path, respondent({"m": ["a", "b", "c"]})).overall.score == 100.0
    assert score_team(bank, tmp_path, respondent({"m": ["c"]})).overall.score == 50.0
    assert score_team(bank, tmp_path, respondent({"m": []})).overall.score == 0.0


def test_numeric_keys_compare_as_text(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "b", questions=[{"id": "q", "scale": "two"}])
    for answer in (1, "1", 1.0):
        assert score_team(bank, tmp_path, respondent({"q": answer})).overall.score == 100.0


def test_targets_section_over_area_over_bank(tmp_path: Path) -> None:
    half = [{"key": "h", "label": "H", "score": 0.5}]
    bank = make_bank(tmp_path / "b", questions=[], target=40, areas=[
        {"id": "x", "title": "X", "target": 60, "sections": [
            {"id": "x1", "title": "X1", "target": 45,
             "questions": [{"id": "q1", "type": "choice", "options": half}]},
            {"id": "x2", "title": "X2", "questions": [{"id": "q2", "type": "choice", "options": half}]}]},
        {"id": "y", "title": "Y", "sections": [
            {"id": "y1", "title": "Y1", "questions": [{"id": "q3", "type": "choice", "options": half}]}]}])
    r = score_team(bank, tmp_path, respondent({"q1": "h", "q2": "h", "q3": "h"}))
    # targets 45, 60, 40 against 50 each: only q2 is below target
    assert [x.question for x in r.recommendations] == ["q2"]
    e = {"q1": 0.25, "q2": 0.25, "q3": 0.5}
    assert r.percent_to_target == pytest.approx(1 - e["q2"] * 10 / (e["q1"] * 45 + e["q2"] * 60 + e["q3"] * 40))


def test_rules_with_null_values_do_not_fire(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "b", questions=[], sections=[
        {"id": "s1", "title": "S1", "questions": [{"id": "qa", "scale": "two"}]},
        {"id": "s2", "title": "S2", "questions": [{"id": "qb", "scale": "two"}]}], rules=[
        {"id": "gap", "when": [{"gap": ["s1", "s2"], "at_least": 50}], "title": "Gap"},
        {"id": "low", "when": [{"score": "overall", "below": 60}], "title": "Low"},
        {"id": "both", "when": [{"score": "s1", "below": 101}, {"score": "s2", "below": 101}],
         "title": "Both"},
        {"id": "split", "when": [{"divergence": "overall", "at_least": 0}], "title": "Split"}])
    r = score_team(bank, tmp_path, respondent({"qa": 1}))
    assert r.diagnoses == []  # s2 null: no gap, no "both"; overall 100; one department only
    r = score_team(bank, tmp_path, respondent({"qa": 1, "qb": 0}, department="d1"),
                   respondent({}, department="d2"))
    assert r.diagnoses == ["gap", "low", "both"]  # d2 has no score: divergence stays null
    r = score_team(bank, tmp_path, respondent({"qa": 1, "qb": 0}, department="d1"),
                   respondent({"qa": 1, "qb": 0}, department="d2"))
    assert r.diagnoses == ["gap", "low", "both", "split"]


def test_plain_string_texts_and_multilingual_mappings(tmp_path: Path) -> None:
    # a one-language bank writes plain texts; once loaded, every text is a {language: text} mapping
    bank = make_bank(tmp_path / "one", questions=[{"id": "q", "scale": "two", "text": "Yes?"}], title="Plain title")
    q = bank.questions()[0][2]
    assert q.text == {"en": "Yes?"} and bank.title == {"en": "Plain title"}
    assert q.options is not None and [o.key for o in q.options] == ["0", "1"]
    # in a bank of several languages a plain text is refused at its line
    with pytest.raises(InputError) as exc:
        make_bank(tmp_path / "two", questions=[{"id": "q", "scale": "two", "text": {"es": "¿Sí?", "en": "Yes?"}}],
                  languages=["es", "en"], title="Plain title")
    assert "bank.yaml:6: a plain text in a bank with several languages" in str(exc.value)


def test_default_bank_loads() -> None:
    bank = load_bank()
    assert bank.id == "loyalty-audit" and bank.languages[:2] == ["es", "en"]


def two_profile_bank(folder: Path) -> Bank:
    yes_no = [{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}]
    return make_bank(folder, questions=[], profile=[
        {"id": "shop", "text": "Shop?", "options": yes_no},
        {"id": "b2b", "text": "B2B?", "options": yes_no}], sections=[
        {"id": "both", "title": "Both", "applies_if": {"shop": ["yes"], "b2b": ["yes"]},
         "questions": [{"id": "qa", "scale": "two"}]},
        {"id": "any", "title": "Any", "questions": [
            {"id": "qb", "scale": "two"},
            {"id": "qc", "scale": "two", "applies_if": {"b2b": ["no"]}}]}])


@pytest.mark.parametrize(("profile", "sections", "questions"), [
    ({}, {"both", "any"}, {"qa", "qb", "qc"}),                       # unanswered: everything applies
    ({"shop": "yes"}, {"both", "any"}, {"qa", "qb", "qc"}),          # b2b unanswered still applies
    ({"shop": "yes", "b2b": "yes"}, {"both", "any"}, {"qa", "qb"}),  # question-level exclusion
    ({"shop": "no", "b2b": "yes"}, {"any"}, {"qb"}),                 # one condition fails: section out
    ({"shop": "yes", "b2b": "no"}, {"any"}, {"qb", "qc"}),
])
def test_every_applies_if_path(tmp_path: Path, profile: dict[str, str], sections: set[str],
                               questions: set[str]) -> None:
    bank = two_profile_bank(tmp_path / "b")
    r = score_team(bank, tmp_path, respondent({"qa": 1, "qb": 0, "qc": 1}, profile=profile))
    assert set(r.sections) == sections and set(r.questions) == questions
    ignored = {"qa", "qb", "qc"} - questions
    assert any(f"ignored: {', '.join(sorted(ignored))}" in w for w in r.warnings) == bool(ignored)
    assert r.completion == 1.0  # ignored answers never count, in or out


def test_quoted_boolean_words_are_keys(tmp_path: Path) -> None:
    bank = two_profile_bank(tmp_path / "b")
    path = tmp_path / "a.yaml"
    path.write_text("bank: test\nprofile: {shop: 'yes', b2b: \"no\"}\nanswers: {qb: 1}\n")
    from audit.read.answers import load_responses
    assert load_responses([path], bank).respondents[0].profile == {"shop": "yes", "b2b": "no"}
    path.write_text("bank: test\nprofile: {shop: yes}\n")
    with pytest.raises(Exception, match=r"a.yaml:2: profile.shop: YAML reads this key as true/false"):
        load_responses([path], bank)


def test_organisation_and_version_warnings(tmp_path: Path) -> None:
    from audit.read.answers import load_responses
    bank = two_profile_bank(tmp_path / "b")
    (tmp_path / "1.yaml").write_text("bank: test\nbank_version: '1'\norganisation: Acme\nanswers: {qb: 1}\n")
    (tmp_path / "2.yaml").write_text("bank: test\nbank_version: '0'\norganisation: ACME Ltd\nanswers: {qb: 0}\n")
    team = load_responses([tmp_path / "1.yaml", tmp_path / "2.yaml"], bank)
    assert team.organisation == "Acme"
    assert team.warnings == [f"{tmp_path}/2.yaml: answers are for bank version 0, the bank is version 1",
                             f"{tmp_path}/2.yaml: organisation 'ACME Ltd' differs from 'Acme'; the first is used"]
