"""The respondent's pages on a 390 px phone: previous beside next, a skip link to the first
question, the sticky bar on one line, the results table wrapping whole words, no sideways
scroll; and a screenshot of every page type on a phone and a desktop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from site_support import ANIMATIONS_DONE, screenshot
from test_site_browser import BANK, DEMO, import_file, section_title
from test_site_respondent import section_path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = ["index.html", "about.html", section_path("delivery"), "finish.html", "results.html", "team.html"]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield tab
        assert not errors, errors
    finally:
        context.close()


def test_previous_beside_next_follows_the_profile(page: Any, http_url: str) -> None:
    sections = [s.id for _, s in BANK.sections()]
    page.goto(http_url + section_path(sections[0]))
    assert page.inner_text("[data-la-prev]") == "← Sus datos"
    page.goto(http_url + section_path(sections[1]))
    assert page.inner_text("[data-la-prev]") == "← " + section_title(sections[0], "es")
    assert page.inner_text("[data-la-next]") == section_title(sections[2], "es") + " →"
    last = page.locator("[data-la-prev]").bounding_box()
    nxt = page.locator("[data-la-next]").bounding_box()
    assert abs(last["y"] - nxt["y"]) < 2  # side by side
    with page.expect_navigation():
        page.click("[data-la-prev]")
    assert page.url.endswith(section_path(sections[0]))
    page.goto(http_url + section_path(sections[-1]))
    assert page.inner_text("[data-la-next]") == "Terminar →"


def test_skip_link_reaches_the_first_question(page: Any, http_url: str) -> None:
    page.goto(http_url + section_path("delivery"))
    skip = page.locator("[data-la-skip]")
    opacity = "e => getComputedStyle(e).opacity"
    assert skip.evaluate(opacity) == "0"  # out of sight until focused
    page.keyboard.press("Tab")  # the page's first Tab stop, before the header and the navigation
    assert page.evaluate("() => document.activeElement.matches('[data-la-skip]')")
    page.wait_for_function(ANIMATIONS_DONE)
    assert skip.evaluate(opacity) == "1" and skip.inner_text() == "Ir a la primera pregunta"
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    page.keyboard.press("Enter")
    first = next(q.id for _, s, q in BANK.questions() if s.id == "delivery")
    assert page.url.endswith(f"#q-{first}")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('[data-la-q]').id") == f"q-{first}"


def test_phone_bar_on_one_line_table_words_whole_no_sideways_scroll(phone: Any, http_url: str) -> None:
    phone.goto(http_url + "index.html")
    import_file(phone, DEMO / "02-marketing.json")
    for path in PAGES:
        phone.goto(http_url + path)
        if path == "team.html":
            phone.set_input_files("[data-team-files]", [str(p) for p in sorted(DEMO.glob("0*.json"))])
            phone.wait_for_selector("[data-team-result]:not([hidden])")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        tops = phone.evaluate("() => Array.from(document.querySelectorAll('[data-la-bar] .la-bar__item'))"
                              ".filter(e => e.offsetParent).map(e => Math.round(e.getBoundingClientRect().top))")
        assert len(set(tops)) <= 1, (path, tops)
        heights = phone.evaluate("() => Array.from(document.querySelectorAll('[data-la-bar]'))"
                                 ".map(e => e.getBoundingClientRect().height)")
        assert all(h < 40 for h in heights), (path, heights)
    phone.goto(http_url + "results.html")
    # a cell breaks only between words: never more lines than words
    broken = phone.evaluate("""() => Array.from(document.querySelectorAll('.la-results-table th, .la-results-table td'))
        .filter(c => c.offsetParent && c.textContent.trim()).filter(c => {
          const r = document.createRange(); r.selectNodeContents(c);
          const lines = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size;
          return lines > c.textContent.trim().split(/\\s+/).length;
        }).map(c => c.textContent.trim())""")
    assert broken == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_every_page_type(browser: Any, http_url: str, size: str) -> None:
    context = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE, accept_downloads=True)
    tab = context.new_page()
    try:
        tab.goto(http_url + "index.html")
        import_file(tab, DEMO / "02-marketing.json")
        for path in PAGES:
            tab.goto(http_url + path)
            if path == "team.html":
                tab.set_input_files("[data-team-files]", [str(p) for p in sorted(DEMO.glob("0*.json"))])
                tab.wait_for_selector("[data-team-result]:not([hidden])")
            assert tab.evaluate("() => document.documentElement.scrollWidth") <= (1280 if size == "desktop" else 390)
            screenshot(tab, f"{size}-{path.replace('/', '-').removesuffix('.html')}")
    finally:
        context.close()
