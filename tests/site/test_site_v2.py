"""Contract version 2 on the site: "I don't know" (No lo sé), option help, provisional scores,
department pooling on the team page, and what respondents are not shown (question evidence)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from site_support import ROOT, V2_BANK, page_data, screenshot
from test_site_browser import (
    BANK,
    DEMO,
    SCORE_JS,
    assert_page_shows,
    cli_scores,
    counted,
    import_file,
    page_lang,
    shown,
    stored,
)
from test_site_build import payload

from audit.model import text_of
from audit.read.bank import load_bank
from audit.site.pages import offers_dont_know

V2_CASES = ROOT / "tests" / "vectors" / "cases"
KEY = f"loyalty-audit:{BANK.id}:{BANK.version}"


def question(ident: str) -> Any:
    return next(q for *_, q in BANK.questions() if q.id == ident)


def saved_answers(tab: Any) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads(stored(tab)[KEY])["answers"]
    return answers


def export(tab: Any, folder: Path) -> Path:
    with tab.expect_download() as info:
        tab.click("[data-action=export]")
    path: Path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


# -- built pages, no browser ---------------------------------------------------------------

def test_no_evidence_reaches_respondents(default_site: Path) -> None:
    """`evidence` tells the auditor what to ask to see: it is in no page and no payload."""
    evidence = [text_of(q.evidence, lang) for *_, q in BANK.questions() if q.evidence for lang in BANK.languages]
    assert evidence, "the default bank has evidence to keep back"
    pages = sorted(default_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for words in evidence:
            for form in (words, html.escape(words), html.escape(words, quote=False),
                         json.dumps(words, ensure_ascii=False)[1:-1]):
                assert form not in text, (page, words)
        if "loyalty-audit-data" in text:
            data = payload(page)
            bank = data["bank"]
            assert isinstance(bank, dict)
            assert not [q["id"] for a in bank["areas"] for s in a["sections"] for q in s["questions"]
                        if "evidence" in q], page


def test_dont_know_is_on_the_section_pages_and_option_help_in_the_data(default_site: Path) -> None:
    offered = 0
    for prefix, lang in (("", "es"), ("en/", "en")):
        for area in BANK.areas:
            for section in area.sections:
                path = default_site / f"{prefix}{area.id}/{section.id}.html"
                text = path.read_text(encoding="utf-8")
                data = {q["id"]: q for a in page_data(path)["bank"]["areas"] for s in a["sections"]
                        for q in s["questions"]}
                for q in section.questions:
                    field = text[text.index(f'data-question="{q.id}"'):]
                    field = field[:field.index("</fieldset>")]
                    controls = re.findall(r"<input [^>]*data-dont-know[^>]*>", field)
                    if offers_dont_know(q):
                        offered += 1
                        assert len(controls) == 1 and 'value="dont_know"' in controls[0], q.id
                        label = "No lo sé" if lang == "es" else "I don&#39;t know"
                        assert f'<span class="la-opt__label">{label}</span>' in field, q.id
                    else:
                        assert not controls, q.id
                    # a scale's help is not repeated under every question of every page: the
                    # script writes it from the data file (shown in the browser test below)
                    for i, option in enumerate(q.options or [], start=1):
                        if option.help:
                            assert str(escape(text_of(option.help, lang))) not in field, (q.id, option.key)
                            assert f"oh-{q.id}-{i}" not in field
                            assert data[q.id]["options"][i - 1]["help"] == {lang: text_of(option.help, lang)}
    assert offered == 2 * sum(1 for *_, q in BANK.questions() if offers_dont_know(q)) > 0


# -- "No lo sé" in the browser ----------------------------------------------------------------

def test_dont_know_is_stored_exported_counted_and_not_scored(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "back_office/after_sales.html")
    service = '[data-question="bo-after-sales-service"]'
    dont_know = f"{service} input[data-dont-know]"
    assert page.get_attribute(dont_know, "value") == "dont_know"
    assert page.inner_text(f"{service} .la-opt--dk") == "No lo sé"
    page.check(dont_know)
    assert saved_answers(page) == {"bo-after-sales-service": "dont_know"}
    assert page.inner_text('[data-progress="section:after_sales"]') == f"1 de {counted('after_sales')}"
    assert page.inner_text("[data-progress=overall]").startswith(f"1 de {counted()} ")
    assert page.inner_text('[data-score="section:after_sales"]') == "—"
    assert page.inner_text("[data-score=overall]") == "—"
    assert page.locator('[data-la-q="bo-after-sales-service"].is-answered').count() == 1

    page.check('[data-question="bo-warranty-returns"] input[value="3"]')
    scores = page.evaluate(SCORE_JS)
    # a number, then "I don't know": the number goes, the field is disabled, the scores are back
    days = '[data-question="bo-incident-days"]'
    page.fill(f"{days} input[data-number]", "4")
    assert page.evaluate(SCORE_JS) != scores
    page.check(f"{days} input[data-dont-know]")
    assert page.input_value(f"{days} input[data-number]") == ""
    assert page.is_disabled(f"{days} input[data-number]")
    assert page.evaluate(SCORE_JS) == scores
    assert saved_answers(page)["bo-incident-days"] == "dont_know"
    page.check(f"{days} input[value=na]")  # N/A and "I don't know" exclude each other
    assert not page.is_checked(f"{days} input[data-dont-know]")
    assert saved_answers(page)["bo-incident-days"] == "na"
    page.check(f"{days} input[data-dont-know]")
    assert not page.is_checked(f"{days} input[value=na]")
    assert saved_answers(page)["bo-incident-days"] == "dont_know"
    # cleared like any other answer
    page.check('[data-question="bo-repairs"] input[data-dont-know]')
    assert page.inner_text('[data-progress="section:after_sales"]') == f"4 de {counted('after_sales')}"
    page.click('[data-question="bo-repairs"] [data-action=clear]')
    assert not page.is_checked('[data-question="bo-repairs"] input[data-dont-know]')
    assert "bo-repairs" not in saved_answers(page)
    assert page.inner_text('[data-progress="section:after_sales"]') == f"3 de {counted('after_sales')}"
    assert page.evaluate(SCORE_JS) == scores

    # several answers: "I don't know" clears the boxes, a box clears "I don't know"
    page.goto(base_url + "back_office/payment.html")
    methods = '[data-question="bo-payment-methods"]'
    first = (question("bo-payment-methods").options or [])[0].key
    page.check(f'{methods} input[value="{first}"]')
    page.check(f"{methods} input[data-dont-know]")
    assert not page.is_checked(f'{methods} input[value="{first}"]')
    assert saved_answers(page)["bo-payment-methods"] == "dont_know"
    page.check(f'{methods} input[value="{first}"]')
    assert not page.is_checked(f"{methods} input[data-dont-know]")
    assert saved_answers(page)["bo-payment-methods"] == [first]
    page.check(f"{methods} input[data-dont-know]")
    # free text takes no "I don't know"
    page.goto(base_url + "back_office/continuous_improvement.html")
    assert page.locator('[data-question="bo-customer-asks"] input').count() == 0

    # the export says dont_know, and the command line scores it as the page does
    page.goto(base_url + "results.html")
    exported = export(page, tmp_path)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["answers"] == {"bo-after-sales-service": "dont_know", "bo-warranty-returns": "3",
                               "bo-incident-days": "dont_know", "bo-payment-methods": "dont_know"}
    result = cli_scores([exported])
    assert assert_page_shows(page, result) > 3
    assert [q for q, v in result["questions"].items() if v["dont_know"]] == \
        ["bo-payment-methods", "bo-after-sales-service", "bo-incident-days"]
    assert result["overall"]["completion"] == 4 / counted()

    # imported back, "I don't know" is ticked again
    page.evaluate("() => localStorage.clear()")
    page.reload()
    assert "Importadas 4 respuestas" in import_file(page, exported)
    page.goto(base_url + "back_office/after_sales.html")
    assert page.is_checked(dont_know) and page.is_checked(f"{days} input[data-dont-know]")


# -- option help -----------------------------------------------------------------------------

def test_option_help_is_shown_under_each_option(page: Any, browser: Any, http_url: str) -> None:
    q = question("bo-after-sales-service")
    helped = [(i, o) for i, o in enumerate(q.options or [], start=1) if o.help]
    assert len(helped) >= 3
    for prefix, lang in (("", "es"), ("en/", "en")):
        page.goto(http_url + prefix + "back_office/after_sales.html")
        for i, option in helped:
            help_box = page.locator(f"#oh-{q.id}-{i}")
            assert help_box.is_visible()
            assert help_box.inner_text() == text_of(option.help, lang)
            box = page.locator(f'[data-question="{q.id}"] input[value="{option.key}"]')
            assert box.get_attribute("aria-describedby") == f"oh-{q.id}-{i}"  # read out with the option
            label = box.locator("xpath=..")
            assert label.locator(".la-opt__label").inner_text() == text_of(option.label, lang)
            below = help_box.bounding_box()
            title = label.locator(".la-opt__label").bounding_box()
            assert below and title and below["y"] >= title["y"] + title["height"] - 1  # a line under the label

    # on a phone: two lines each, the whole text once the option is chosen
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        tab = phone.new_page()
        tab.goto(http_url + "back_office/after_sales.html")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        i, option = helped[-1]
        box = tab.locator(f"#oh-{q.id}-{i}")
        assert box.is_visible()
        line = float(tab.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", box.element_handle()))
        short = box.bounding_box()
        assert short and short["height"] <= 2 * line + 1
        tab.locator(f'[data-question="{q.id}"] input[value="{option.key}"]').tap()
        tab.mouse.click(5, 300)  # focus and pointer elsewhere: the chosen option stays open
        full = box.bounding_box()
        assert full and full["height"] > short["height"]
        screenshot(tab, "section-phone-help", full_page=False)
    finally:
        phone.close()


# -- provisional scores ------------------------------------------------------------------------

def test_a_score_on_two_answers_is_provisional(page: Any, http_url: str, tmp_path: Path) -> None:
    page.goto(http_url + "back_office/after_sales.html")
    page.check('[data-question="bo-after-sales-service"] input[value="2"]')
    page.check('[data-question="bo-repairs"] input[value="1"]')
    # while answering: the overall score, on 2 questions of many, is provisional
    overall = page.locator("[data-score=overall]")
    assert overall.get_attribute("data-provisional") is not None
    assert page.locator('[data-la-prov="overall"]').is_visible()
    assert page.inner_text('[data-la-prov="overall"]') == "provisional"

    page.goto(http_url + "results.html")
    result = cli_scores([export(page, tmp_path)])
    assert result["overall"]["provisional"] and result["overall"]["level"] is None
    assert assert_page_shows(page, result) == 1 + len(result["areas"]) + len(result["sections"])
    marked = 0
    for ref, node in [("overall", result["overall"])] + [(f"area:{k}", v) for k, v in result["areas"].items()] + \
            [(f"section:{k}", v) for k, v in result["sections"].items()]:
        provisional = node["provisional"] and node["score"] is not None
        for element in page.locator(f'[data-score="{ref}"], [data-level="{ref}"]').all():
            assert (element.get_attribute("data-provisional") is not None) == provisional, ref
        level = page.inner_text(f'[data-level="{ref}"]')
        if provisional:
            marked += 1
            assert level == "Provisional", ref
        elif node["level"] is not None:
            assert level == text_of(next(lv.label for lv in BANK.levels if lv.key == node["level"]), "es"), ref
    assert marked >= 2
    assert page.inner_text("[data-level=overall]") == "Provisional"
    assert page.locator('[data-la-prov="overall"]').is_visible()
    assert page.locator("[data-ptt]").get_attribute("data-provisional") is not None
    assert "Una puntuación provisional se apoya en muy pocas respuestas" in page.inner_text("[data-level-summary]")
    for level in BANK.levels:  # no level is named for the overall score
        assert text_of(level.label, "es") not in page.inner_text(".la-summary")
    assert "alcanzan ya su objetivo" not in page.inner_text("[data-la-list=recommendations]")
    diagnoses = page.locator("[data-diagnosis]").evaluate_all("es => es.map(e => e.dataset.diagnosis)")
    assert diagnoses == result["diagnoses"]
    listed = page.locator("[data-recommendation]").evaluate_all("es => es.map(e => e.dataset.recommendation)")
    assert listed == [r["question"] for r in result["recommendations"]][:10]
    for rec in result["recommendations"][:10]:
        focus = page.locator(f'[data-recommendation="{rec["question"]}"] [data-focus]')
        assert focus.count() == (1 if rec["focus"] else 0)
    screenshot(page, "results-provisional")

    # every answer of a demo respondent: nothing provisional
    import_file(page, DEMO / "02-marketing.json")
    assert page.locator("[data-provisional]").count() == 0
    assert page.inner_text("[data-level=overall]") != "Provisional"


# -- the team page pools small departments ---------------------------------------------------

@pytest.mark.parametrize("case", ["v2-team", "v2-small-other"])
def test_team_page_pools_departments_like_the_cli(page: Any, v2_url: str, case: str) -> None:
    bank = load_bank(V2_BANK)
    files = json.loads((V2_CASES / case / "case.json").read_text(encoding="utf-8"))["responses"]
    paths = [V2_CASES / case / name for name in files]
    result = cli_scores_for(V2_BANK, paths)
    assert result["min_group"] == bank.min_group == 2
    page.goto(v2_url + "team.html")
    page.set_input_files("[data-team-files]", [str(p) for p in paths])
    page.wait_for_selector("[data-team-result]:not([hidden])")
    labels = {d.key: text_of(d.label, "en") for d in bank.departments} | {"other": "Other (pooled)"}
    header = page.locator(".la-team-table thead th").all_inner_texts()
    assert header[2:-1] == [f"{labels[k]} ({d['respondents']})" for k, d in result["departments"].items()]
    assert page.inner_text("[data-team-score=overall]") == shown(result["overall"]["score"], page_lang(page))
    for kind in ("areas", "sections"):
        for ident, node in result[kind].items():
            cell = page.locator(f'[data-team-score="{kind[:-1]}:{ident}"]')
            assert cell.inner_text() == shown(node["score"], page_lang(page)), ident
            provisional = node["provisional"] and node["score"] is not None
            assert (cell.get_attribute("data-provisional") is not None) == provisional, ident
    assert page.locator(".la-team-table .is-flagged").count() == \
        sum(1 for n in [*result["areas"].values(), *result["sections"].values()] if n["flagged"]) + \
        (1 if _overall_flagged(result, bank.divergence_threshold) else 0)
    diagnoses = page.locator("[data-team-result] [data-diagnosis]").evaluate_all(
        "es => es.map(e => e.dataset.diagnosis)")
    assert diagnoses == result["diagnoses"]
    listed = page.locator("[data-recommendation]").evaluate_all("es => es.map(e => e.dataset.recommendation)")
    assert listed == [r["question"] for r in result["recommendations"]][:5]
    note = page.inner_text("[data-team-pooled]")
    assert "fewer than 2 respondents" in note
    left = result["respondents"] - sum(d["respondents"] for d in result["departments"].values())
    assert (f"Not shown by department: {left} of {result['respondents']} respondents." in note) == (left > 0)
    if case == "v2-small-other":
        assert list(result["departments"]) == ["sales"] and left == 1
    else:
        assert list(result["departments"]) == ["sales", "other"]
        assert result["sections"]["billing"]["provisional"]
    screenshot(page, f"team-{case}")


def _overall_flagged(result: dict[str, Any], threshold: float) -> bool:
    scores = [d["overall"] for d in result["departments"].values() if d["overall"] is not None]
    return len(scores) > 1 and max(scores) - min(scores) >= threshold


def cli_scores_for(bank: Path, files: list[Path]) -> dict[str, Any]:
    return cli_scores(files, bank)
