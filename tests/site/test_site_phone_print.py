"""The site on a 390 px phone, in the dark scheme, on paper, and its 404 page."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from site_support import ROOT, SCREENSHOTS, QuietHandler, axe_violations, screenshot, serious, served, with_axe

from audit.model import kind_of, text_of
from audit.read.bank import load_bank
from audit.site.pages import decimal_text
from audit.write.formats import long_date

BANK = load_bank(ROOT / "questions")
PHONE = {"width": 390, "height": 844}
LONG_TEXT = "Reviewed by customer-service-representatives and after-sales every week, with notes " * 3


def response(department: str, pick: int) -> dict[str, Any]:
    """A response file answering every question of the bank (option ``pick`` where there are options)."""
    answers: dict[str, Any] = {}
    for _, _, q in BANK.questions():
        shape = kind_of(q).answer
        options = [o.key for o in q.options or []]
        if shape == "single":
            answers[q.id] = options[pick % len(options)]
        elif shape == "multiple":
            answers[q.id] = options[: 1 + pick % 2]
        elif shape == "numeric":
            answers[q.id] = q.range[0] if q.range else 1
        else:
            answers[q.id] = LONG_TEXT
    return {"bank": BANK.id, "bank_version": BANK.version, "organisation": "Muebles Alba S.L.",
            "respondent": {"name": f"Someone in {department}", "department": department},
            "answers": answers, "comments": {q.id: LONG_TEXT for _, _, q in BANK.questions()[:3]}}


@pytest.fixture(scope="module")
def responses(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("responses")
    paths = []
    for department, pick in (("marketing", 3), ("sales", 0)):
        path = folder / f"{department}.json"
        path.write_text(json.dumps(response(department, pick), ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _open(browser: Any, scheme: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, color_scheme=scheme, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: dialog.accept())
    tab.errors = errors
    return tab


def _answered(tab: Any, base_url: str, path: Path) -> None:
    """Import a response file on the results page, as a respondent would."""
    tab.goto(base_url + "results.html")
    tab.set_input_files("[data-action=import]", str(path))
    confirm = tab.locator("[data-action=confirm-import]")
    if confirm.count() and confirm.first.is_visible():
        confirm.first.click()
    tab.wait_for_function("() => !document.querySelector('[data-score=overall]').textContent.includes('—')")


def _team(tab: Any, base_url: str, files: list[Path]) -> None:
    tab.goto(base_url + "team.html")
    tab.set_input_files("[data-team-files]", [str(p) for p in files])
    tab.wait_for_selector("[data-team-result]:not([hidden])")


# The page's width, and what reaches past the screen's right edge outside a box that scrolls
# sideways itself (Material's own overflow-x: hidden on <html> hides such things from a finger,
# not from scrollWidth, so both are looked at)
SCROLL_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) { return true; } } return false; };
  const past = Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > width + 0.5 && !scrolls(e);
  }).map(e => e.tagName.toLowerCase() + '.' + String(e.className).trim().split(/\\s+/).join('.'));
  return {width: document.documentElement.scrollWidth, past: past.slice(0, 5)};
}"""


def _pages() -> list[str]:
    pages = ["index.html", "about.html", "results.html", "team.html", "en/results.html", "en/index.html"]
    return pages + [f"{area.id}/{section.id}.html" for area, section in BANK.sections()]


def test_no_horizontal_scroll_on_a_phone(browser: Any, http_url: str, scheme: str, responses: list[Path]) -> None:
    tab = _open(browser, scheme, PHONE)
    _answered(tab, http_url, responses[0])
    for path in _pages():
        if path.endswith("team.html"):
            _team(tab, http_url, responses)
        else:
            tab.goto(http_url + path)
        got = tab.evaluate(SCROLL_JS)
        assert got == {"width": 390, "past": []}, (path, scheme, got)
    tab.goto(http_url + "team.html")
    _team(tab, http_url, responses)
    assert tab.locator(".la-flag").count() > 0  # the team's flags (with their screen-reader text) are on the page
    assert tab.evaluate(SCROLL_JS)["width"] == 390
    screenshot(tab, f"phone-team-{scheme}")
    assert not tab.errors
    tab.context.close()


def test_phone_bar_one_line_and_results_table_wraps_words(browser: Any, http_url: str,
                                                          responses: list[Path]) -> None:
    tab = _open(browser, "light", PHONE)
    _answered(tab, http_url, responses[0])
    area, section = BANK.sections()[0]
    tab.goto(http_url + f"{area.id}/{section.id}.html")
    tops = tab.evaluate("() => Array.from(document.querySelectorAll('.la-bar__item'))"
                        ".filter(e => e.getClientRects().length).map(e => e.offsetTop)")  # those shown
    assert len(tops) >= 3 and len(set(tops)) == 1, tops
    screenshot(tab, "phone-section", full_page=False)
    tab.goto(http_url + "results.html")
    # every word of the table on one line: a word broken between letters has two boxes
    split = tab.evaluate("""() => {
      const split = [];
      for (const cell of document.querySelectorAll('.la-results-table :is(th, td)')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const m of node.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
            if (lines.size > 1) { split.push(m[0]); }
          }
        }
      }
      return split;
    }""")
    assert split == []
    # the file picker is an outlined button in the page's words; the browser's control, whose words
    # are the browser's (here English), is out of sight
    picker = tab.locator(".la-actions label[for]").first
    assert picker.inner_text() == "Importar respuestas (JSON)"
    assert tab.evaluate("e => getComputedStyle(e).backgroundColor", picker.element_handle()) == "rgba(0, 0, 0, 0)"
    assert tab.locator("[data-action=import]").first.bounding_box()["width"] <= 1
    assert not tab.errors
    tab.context.close()


def test_axe_finds_nothing_serious_in_either_scheme(browser: Any, http_url: str, scheme: str,
                                                    responses: list[Path]) -> None:
    tab = _open(browser, scheme, {"width": 1280, "height": 900})
    with_axe(tab.context)
    _answered(tab, http_url, responses[0])
    area, section = BANK.sections()[1]
    found = []
    for path in ("index.html", f"{area.id}/{section.id}.html", "results.html", "team.html"):
        if path == "team.html":
            _team(tab, http_url, responses)
        else:
            tab.goto(http_url + path)
        assert tab.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
        tab.locator(".la-page .md-button").first.hover()  # a pointed-at button too (axe_violations waits
        # for its colours to have changed: Material eases them in)
        for violation in serious(axe_violations(tab)):
            found.append((path, violation["id"], [n["target"] for n in violation["nodes"]][:5]))
        screenshot(tab, f"axe-{path.replace('/', '-')}-{scheme}", full_page=False)
    assert found == []
    assert not tab.errors
    tab.context.close()


def test_dark_scheme_follows_the_system_and_the_toggle(browser: Any, http_url: str) -> None:
    tab = _open(browser, "dark", {"width": 1280, "height": 900})
    tab.goto(http_url + "results.html")
    assert tab.get_attribute("body", "data-md-color-scheme") == "slate"
    tab.click("label[for=__palette_0]")  # Material's toggle: to the light scheme
    tab.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    tab.goto(http_url + "index.html")
    assert tab.get_attribute("body", "data-md-color-scheme") == "default"  # kept across pages
    tab.context.close()


def test_results_print_keep_headings_with_what_follows(browser: Any, http_url: str, responses: list[Path],
                                                       tmp_path: Path) -> None:
    from pypdf import PdfReader

    tab = _open(browser, "dark", {"width": 1280, "height": 900})
    _answered(tab, http_url, responses[0])
    tab.emulate_media(media="print")
    styles = tab.evaluate("""() => ({
      bar: getComputedStyle(document.querySelector('.la-bar')).display,
      actions: getComputedStyle(document.querySelector('.la-actions')).display,
      h2: getComputedStyle(document.querySelector('.la-page h2')).breakAfter,
      background: getComputedStyle(document.body).backgroundColor})""")
    assert styles == {"bar": "none", "actions": "none", "h2": "avoid", "background": "rgb(255, 255, 255)"}
    pdf = tmp_path / "results.pdf"
    tab.pdf(path=str(pdf), format="A4", print_background=True)
    text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    for area in BANK.areas:
        assert area.title["es"] in text  # type: ignore[index]
    assert tab.inner_text("[data-score=overall]") in text
    tab.context.close()


@pytest.fixture(scope="module")
def sub_path_server(default_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site under /audit/ of a server that answers a missing page with the site's 404.html,
    as static hosts do."""
    root = tmp_path_factory.mktemp("host")
    shutil.copytree(default_site, root / "audit")

    class NotFound(QuietHandler):
        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                super().send_error(code, message, explain)
                return
            body = (root / "audit" / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with served(root, NotFound) as port:
        yield f"http://127.0.0.1:{port}/audit/"


def test_404_works_under_a_sub_path_and_from_file(browser: Any, default_site: Path, sub_path_server: str) -> None:
    tab = _open(browser, "light", {"width": 1280, "height": 900})
    failed: list[str] = []
    # (a request cut short by leaving the page, such as the favicon's, is not a failure)
    tab.on("requestfailed",
           lambda request: failed.append(request.url) if request.failure != "net::ERR_ABORTED" else None)
    tab.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    missing = sub_path_server + "no-such-page.html"
    for url, home in ((missing, sub_path_server + "index.html"),
                      ((default_site / "404.html").as_uri(), (default_site / "index.html").as_uri())):
        tab.goto(url)
        # styled (the theme's and our stylesheets found), and its links lead into the site
        assert tab.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert tab.evaluate("() => getComputedStyle(document.body).getPropertyValue('--la-error')").strip()
        assert tab.evaluate("() => document.querySelector('.md-header__button.md-logo').href") == home
        tab.click(".md-header__button.md-logo")
        tab.wait_for_url(home)
        assert tab.locator("[data-la-page=home]").count() == 1
    assert failed == [missing]  # the missing page itself, nothing the 404 page needs
    assert not tab.errors
    tab.context.close()


def _pdf_text(pdf: Path) -> list[str]:
    """Each page of a PDF as pdftotext reads it, its whitespace made single spaces."""
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                           check=True, timeout=120).stdout.split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


def test_printed_results_say_who_and_when_and_hold_the_answers(browser: Any, http_url: str,
                                                                tmp_path: Path) -> None:
    # an organisation that looks like markup: on paper it is the same characters, never a tag
    organisation = "Muebles <b>Alba</b> & Hijos"
    data = response("customer_service", 1)
    data["organisation"] = organisation
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tab = _open(browser, "light", {"width": 1280, "height": 900})
    _answered(tab, http_url, path)
    head = "[data-la-print-head]"
    assert tab.evaluate(f"() => getComputedStyle(document.querySelector('{head}')).display") == "none"  # screen
    assert not tab.locator("[data-la-print-answers]").is_visible()
    tab.emulate_media(media="print")
    assert tab.evaluate(f"() => getComputedStyle(document.querySelector('{head}')).display") == "grid"
    today = long_date(dt.date.today(), "es")
    shown = dict(zip(tab.locator(f"{head} dt").all_inner_texts(), tab.locator(f"{head} dd").all_inner_texts(),
                     strict=True))
    assert shown == {"Organización": organisation, "Persona que responde": "Someone in customer_service",
                     "Departamento": "Atención al cliente", "Fecha": today}
    assert tab.locator(f"{head} b").count() == 0
    # one item per answered question, each with its answer in words
    items = tab.locator(".la-print-answers > li")
    answered = [q for _, _, q in BANK.questions() if q.id in data["answers"]]
    assert items.count() == len(answered) == len(BANK.questions())
    pdf = tmp_path / "results.pdf"
    tab.pdf(path=str(pdf), format="A4", print_background=True)
    if SCREENSHOTS is not None:  # the first page, to look at
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(SCREENSHOTS / "print-results-page1")], check=True, timeout=120)
    pages = _pdf_text(pdf)
    first = pages[0]
    # who and when, at the top of the first page, before the scores
    for words in ("Organización", organisation, "Departamento", "Atención al cliente", "Fecha", today):
        assert words in first, words
    score = tab.inner_text("[data-score=overall]")
    assert first.index(today) < first.index(score) < first.index(text_of(BANK.areas[0].title, "es"))
    text = " ".join(pages)
    assert "Sus respuestas" in text
    by_shape: dict[str, Any] = {}
    for q in answered:
        by_shape.setdefault(kind_of(q).answer, q)
    assert set(by_shape) >= {"single", "multiple", "numeric"}
    for shape, q in by_shape.items():
        value = data["answers"][q.id]
        options = {o.key: text_of(o.label, "es") for o in q.options or []}
        if shape == "single":
            words = options[value]
        elif shape == "multiple":
            words = "; ".join(options[k] for k in value)
        elif shape == "numeric":
            words = decimal_text(value, "es")
        else:
            words = " ".join(value.split())
        item = tab.locator(f'.la-print-answers > li[data-la-answer="{q.id}"]')
        assert item.locator(".la-print-answers__a").inner_text().startswith(words), (shape, q.id)
        assert " ".join(text_of(q.text, "es").split()[:6]) in text, q.id
        assert words.split(";")[0] in text, (shape, q.id)
    # the date as the report writes it in each language ("2 December 2026", not Intl's "December 2, 2026")
    tab.goto(http_url + "en/results.html")
    assert tab.inner_text("[data-la-print=date]") == long_date(dt.date.today(), "en")
    assert tab.inner_text("[data-la-print=department]") == "Customer service"
    assert not tab.errors
    tab.context.close()
