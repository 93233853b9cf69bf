"""The report's parts on their own: formats, charts, the headline, the chosen dimensions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from audit.model.brand import Brand
from audit.read.answers import parse_timestamp
from audit.read.messages import load_messages
from audit.write.formats import figure, long_date, number, percent
from audit.write.messages import Words
from audit.write.report.charts import Bar, Palette, bars, mix, radar
from audit.write.report.html import css_string, default_templates_dir
from audit.write.report.view import report_context
from audit.write.terminal import fmt

from .conftest import make_bank, respondent, score_team

PALETTE = Palette("#1d3557", "#b5532f", "#1f2328", "#66707a", "#eef1f5", "Report Sans")


@pytest.mark.parametrize(("value", "es", "en"), [
    (61.5, "61,5", "61.5"), (56.25, "56,2", "56.2"), (0.05, "0,1", "0.1"), (100.0, "100,0", "100.0"),
    (-0.04, "-0,0", "-0.0"), (None, "—", "—"),
])
def test_numbers_round_as_the_cli(value: float | None, es: str, en: str) -> None:
    assert number(value, "es") == es and number(value, "en") == en
    assert number(value, "en") == fmt(value)


def test_percent_figure_and_dates() -> None:
    assert percent(0.8215, "es") == "82,2\u00a0%" and percent(0.8215, "en") == "82.2%"
    assert figure(75, "es") == "75" and figure(72.5, "es") == "72,5" and figure(2.25, "en") == "2.25"
    day = dt.date(2026, 11, 22)
    assert long_date(day, "es") == "22 de noviembre de 2026"
    assert long_date(day, "en") == "22 November 2026"
    assert long_date(day, "en-GB") == "22 November 2026" and long_date(day, "fr") == "2026-11-22"
    assert number(3.5, "fr") == "3,5" and number(3.5, "ja") == "3.5"


def test_timestamps_become_utc() -> None:
    assert parse_timestamp("2026-11-22T10:00:00Z") == dt.datetime(2026, 11, 22, 10)
    assert parse_timestamp("2026-11-23T01:00:00+02:00") == dt.datetime(2026, 11, 22, 23)
    assert parse_timestamp("2026-11-22") == dt.datetime(2026, 11, 22)
    assert parse_timestamp("last week") is None


def test_css_strings_cannot_break_out() -> None:
    assert css_string('a"b') == "a\\22 b"
    assert css_string("</style><script>") == "\\3c /style\\3e \\3c script\\3e "
    assert css_string("x\\y\nz") == "x\\5c y\\a z"


def test_charts_escape_labels_and_are_stable() -> None:
    items = [Bar("<b>Shop</b> & co", 62.5, 75, True), Bar("Web", None, 75), Bar("Delivery", 25.0, 80)]
    svg = radar(items, PALETTE, lambda v: number(v, "en"), "Sections", "Target", "Team")
    assert svg is not None
    assert "&lt;b&gt;Shop&lt;/b&gt; &amp; co" in svg and "<b>" not in svg
    assert "62.5" in svg and "—" in svg and "▲" in svg
    assert svg == radar(items, PALETTE, lambda v: number(v, "en"), "Sections", "Target", "Team")
    assert radar(items[:2], PALETTE, lambda v: number(v, "en"), "S", "T", "U") is None
    chart = bars(items, PALETTE, lambda v: number(v, "es"), "Puntuación", "Objetivo",
                 [(0, "Bajo"), (50, "Medio")])
    assert "62,5 ▲" in chart and 'stroke-dasharray="3 2"' in chart and "Medio" in chart
    assert mix("#000000", "#ffffff", 0.5) == "#808080"


def _messages() -> dict[str, dict[str, str]]:
    return load_messages([default_templates_dir()])


def _view(tmp_path: Path, areas: list[dict[str, Any]], rules: list[dict[str, Any]],
          *answers: dict[str, Any], brand: Brand | None = None) -> Any:
    bank = make_bank(tmp_path / "bank", [], areas=areas, rules=rules)
    result = score_team(bank, tmp_path, *answers)
    return report_context(result, Words("en", _messages()), brand=brand)


def _area(ident: str, *sections: str) -> dict[str, Any]:
    return {"id": ident, "title": ident.title(), "sections": [
        {"id": s, "title": s.title(), "questions": [{"id": f"{s}-q", "scale": "two"}]} for s in sections]}


def test_headline_is_the_first_rule_that_holds(tmp_path: Path) -> None:
    areas = [_area("attract", "shop"), _area("keep", "service", "delivery")]
    rules = [{"id": "weak", "when": [{"score": "keep", "below": 60}], "title": "Keep is weak"},
             {"id": "gap", "when": [{"gap": ["attract", "keep"], "at_least": 20}], "title": "Sells, loses"}]
    view = _view(tmp_path, areas, rules,
                 respondent({"shop-q": 1, "service-q": 0, "delivery-q": 1}, department="d1"))
    # rules are listed by priority: the first that holds leads; it compares no areas, so the
    # summary shows no pair (a pair of areas would speak of another diagnosis)
    assert view.headline.title == "Keep is weak" and view.headline.fired
    assert view.headline.pair is None and view.headline.gap is None
    assert [f.id for f in view.findings] == ["weak", "gap"]
    # when the gap rule leads, its own two areas are compared
    view = _view(tmp_path / "lead", areas, list(reversed(rules)),
                 respondent({"shop-q": 1, "service-q": 0, "delivery-q": 1}, department="d1"))
    assert view.headline.title == "Sells, loses"
    assert view.headline.pair == ("Attract", 100.0, "Keep", 50.0) and view.headline.gap == 50.0
    # no area is drawn against target by itself: only the one the brand names
    assert view.dimensions is None
    assert _view(tmp_path / "b", areas, rules, respondent({"shop-q": 1}),
                 brand=Brand(dimensions="attract")).dimensions.id == "attract"


def test_headline_without_rules_compares_nothing(tmp_path: Path) -> None:
    # no area id is special (audit/engine/findings.py): without a rule that holds, no pair of
    # areas is put forward, even when two are called front_office and back_office
    areas = [_area("other", "x"), _area("front_office", "shop"), _area("back_office", "service")]
    view = _view(tmp_path, areas, [], respondent({"x-q": 1, "shop-q": 1, "service-q": 1}))
    assert not view.headline.fired and view.headline.title == "No diagnostic rule fired"
    assert view.headline.pair is None and view.headline.gap is None
    assert view.summary.initiatives == [] and view.summary.diagnoses == []


def test_roadmap_and_disagreement_come_from_the_data(tmp_path: Path) -> None:
    areas = [{"id": "a", "title": "A", "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "q1", "scale": "two", "weight": 3, "effort": "high", "suggestion": "Do the big thing."},
        {"id": "q2", "scale": "two", "effort": "low", "suggestion": "Do the easy thing."}]}]},
             _area("b", "t")]
    view = _view(tmp_path, areas, [], respondent({"q1": 0, "q2": 0, "t-q": 1}, department="d1"),
                 respondent({"q1": 0, "q2": 1, "t-q": 0}, department="d2"))
    assert [r.effort for r in view.roadmap[0][2]] == ["low"] and view.roadmap[2][2][0].id == "q1"
    # the team disagrees on q2 (one says yes, one says no); nobody disagrees on q1
    questions = {q.id: q for s in view.areas[0].sections for q in s.questions}
    assert questions["q2"].disagree and questions["q2"].spread == 100.0
    assert not questions["q1"].disagree
