"""The respondent's site keeps every answer: tabs kept in step, imports that ask first and can
be undone, numbers read in the page's language, and a warning before answers are left behind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_site_browser import BANK, SCORE_JS, counted, stored

KEY = f"loyalty-audit:{BANK.id}:{BANK.version}"
HOURS = '[data-question="bo-response-hours"]'


def saved(tab: Any) -> dict[str, Any]:
    raw = stored(tab).get(KEY)
    state: dict[str, Any] = json.loads(raw) if raw else {}
    return state


def section_path(section_id: str) -> str:
    area = next(a for a, s in BANK.sections() if s.id == section_id)
    return f"{area.id}/{section_id}.html"


def first_single(section_id: str, n: int = 0) -> tuple[str, str]:
    """The n-th question of shape single in a section, and its first option's key."""
    qs = [q for _, s, q in BANK.questions() if s.id == section_id and q.type in ("scale", "choice") and q.options]
    return qs[n].id, qs[n].options[0].key


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """One browser profile holding several tabs; fails on script errors in any of them."""
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    ctx.on("page", lambda tab: tab.on("pageerror", lambda exc: errors.append(str(exc))))
    try:
        yield ctx
        assert not errors, errors
    finally:
        ctx.close()


# -- two tabs ----------------------------------------------------------------------------------

def test_two_tabs_keep_in_step_and_lose_nothing(context: Any, http_url: str) -> None:
    first, second = context.new_page(), context.new_page()
    first.goto(http_url + section_path("delivery"))
    second.goto(http_url + section_path("after_sales"))
    q1, k1 = first_single("delivery")
    q2, k2 = first_single("after_sales")
    q3, k3 = first_single("delivery", 1)

    # each tab brought to the front before it is used, as a person does (headless Chromium draws
    # no frames for a tab behind another, and a click waits for frames)
    first.bring_to_front()
    first.check(f'[data-question="{q1}"] input[value="{k1}"]')
    second.bring_to_front()
    second.check(f'[data-question="{q2}"] input[value="{k2}"]')
    # the first tab hears of the second's answer: its overall progress counts both
    first.wait_for_function("() => document.querySelector('[data-progress=overall]').textContent.startsWith('2 de')")
    assert first.inner_text("[data-progress=overall]").startswith(f"2 de {counted()} ")
    first.bring_to_front()
    first.check(f'[data-question="{q3}"] input[value="{k3}"]')
    second.wait_for_function("() => document.querySelector('[data-progress=overall]').textContent.startsWith('3 de')")
    assert saved(first)["answers"] == {q1: k1, q2: k2, q3: k3}

    # a comment typed in one tab, an answer cleared in the other: both kept
    second.bring_to_front()
    second.fill(f"[data-comment={q2}]", "Visto en la segunda pestaña")
    # the first tab has heard of it before it is used, as when a person switches tabs (Chromium
    # hands one tab's localStorage writes to the others a moment later)
    first.wait_for_function("([key, q]) => ((JSON.parse(localStorage.getItem(key)) || {}).comments || {})[q]",
                            arg=[KEY, q2])
    first.bring_to_front()
    first.click(f'[data-question="{q1}"] [data-action=clear]')
    second.wait_for_function("([key, q]) => !((JSON.parse(localStorage.getItem(key)) || {}).answers || {})[q]",
                             arg=[KEY, q1])  # the clearing has reached the second tab
    state = saved(second)
    assert state["answers"] == {q2: k2, q3: k3}
    assert state["comments"] == {q2: "Visto en la segunda pestaña"}
    # the second tab shows the first tab's cleared answer as cleared, once it opens that section
    second.goto(http_url + section_path("delivery"))
    assert not second.is_checked(f'[data-question="{q1}"] input[value="{k1}"]')
    assert second.is_checked(f'[data-question="{q3}"] input[value="{k3}"]')


def test_a_tab_that_missed_the_event_merges_when_it_saves(page: Any, http_url: str) -> None:
    """Without the storage event (another tab saved while this one was asleep), saving still
    merges per question with what is stored."""
    page.goto(http_url + section_path("delivery"))
    q1, k1 = first_single("delivery")
    q2, k2 = first_single("after_sales")
    # what another tab saved: a tab never hears of its own writes, so this one misses it
    page.evaluate("([key, q, k]) => { const s = JSON.parse(localStorage.getItem(key) || '{}');"
                  "s.answers = Object.assign(s.answers || {}, {[q]: k});"
                  "localStorage.setItem(key, JSON.stringify(s)); }",
                  [KEY, q2, k2])
    assert page.inner_text("[data-progress=overall]").startswith(f"0 de {counted()} ")  # it did not hear
    page.check(f'[data-question="{q1}"] input[value="{k1}"]')
    assert saved(page)["answers"] == {q1: k1, q2: k2}
    assert page.inner_text("[data-progress=overall]").startswith(f"2 de {counted()} ")


def test_a_save_that_wrote_over_another_tab_unseen_puts_its_answers_back(page: Any, http_url: str) -> None:
    """Chromium tells a tab of another tab's save a moment after it: a save of this tab in that
    moment writes over it without seeing it. When the late event comes, what is stored is this
    tab's save, not what the event brings: both tabs' answers are kept, shown and saved."""
    page.goto(http_url + section_path("delivery"))
    q1, k1 = first_single("delivery")
    q2, k2 = first_single("after_sales")
    q3, k3 = first_single("delivery", 1)
    page.check(f'[data-question="{q1}"] input[value="{k1}"]')
    before = stored(page)[KEY]
    # the other tab's save, made from what was stored then: q2 answered
    theirs = json.loads(before)
    theirs["answers"][q2] = k2
    # this tab answers q3 before it hears of that save: its save writes over it
    page.check(f'[data-question="{q3}"] input[value="{k3}"]')
    assert saved(page)["answers"] == {q1: k1, q3: k3}
    page.evaluate("([key, old, value]) => window.dispatchEvent(new StorageEvent('storage',"
                  " {key: key, oldValue: old, newValue: value, storageArea: localStorage}))",
                  [KEY, before, json.dumps(theirs)])
    assert saved(page)["answers"] == {q1: k1, q2: k2, q3: k3}
    assert page.is_checked(f'[data-question="{q1}"] input[value="{k1}"]')
    assert page.is_checked(f'[data-question="{q3}"] input[value="{k3}"]')
    assert page.inner_text("[data-progress=overall]").startswith(f"3 de {counted()} ")


# -- import over existing answers ----------------------------------------------------------

def test_import_over_answers_asks_first_and_can_be_undone(page: Any, http_url: str, tmp_path: Path) -> None:
    page.goto(http_url + section_path("delivery"))
    q1, k1 = first_single("delivery")
    q2, k2 = first_single("delivery", 1)
    page.check(f'[data-question="{q1}"] input[value="{k1}"]')
    page.check(f'[data-question="{q2}"] input[value="{k2}"]')
    mine = saved(page)["answers"]
    qa, ka = first_single("after_sales")
    theirs = tmp_path / "colleague.json"
    theirs.write_text(json.dumps({"bank": BANK.id, "bank_version": BANK.version, "answers": {qa: ka}}),
                      encoding="utf-8")
    page.goto(http_url + "index.html")

    asked: list[str] = []

    def cancel(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.set_input_files("[data-action=import]", str(theirs))
    page.wait_for_function("() => document.querySelector('[data-la-status]').textContent.includes('colleague.json')")
    assert asked and "2" in asked[0] and "colleague.json" in asked[0]
    assert "no se ha importado" in page.inner_text("[data-la-status]")
    assert saved(page)["answers"] == mine

    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files("[data-action=import]", str(theirs))
    page.wait_for_selector("[data-la-status] [data-action=undo-import]")
    assert saved(page)["answers"] == {qa: ka}
    assert page.inner_text("[data-progress=overall]").startswith("1 de")

    page.goto(http_url + "finish.html")  # still restorable on another page
    assert "siguen guardadas" in page.inner_text("[data-la-status]")
    page.click("[data-la-status] [data-action=undo-import]")
    assert saved(page)["answers"] == mine
    assert page.locator("[data-la-status] [data-action=undo-import]").count() == 0
    assert page.inner_text("[data-progress=overall]").startswith("2 de")
    page.reload()
    assert saved(page)["answers"] == mine


def test_import_into_an_empty_browser_does_not_ask(page: Any, http_url: str, tmp_path: Path) -> None:
    qa, ka = first_single("after_sales")
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"bank": BANK.id, "answers": {qa: ka}}), encoding="utf-8")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.goto(http_url + "index.html")
    page.set_input_files("[data-action=import]", str(path))
    page.wait_for_function("() => document.querySelector('[data-la-status]').textContent.length > 0")
    assert not asked
    assert saved(page)["answers"] == {qa: ka}


# -- numbers in the page's language ------------------------------------------------------------

def type_number(tab: Any, text: str) -> None:
    tab.fill(f"{HOURS} input[data-number]", "")
    tab.type(f"{HOURS} input[data-number]", text)


def test_decimal_comma_in_spanish(page: Any, base_url: str) -> None:
    page.goto(base_url + section_path("customer_service"))
    field = page.locator(f"{HOURS} input[data-number]")
    assert field.get_attribute("type") == "text" and field.get_attribute("inputmode") == "decimal"
    assert page.locator(f"{HOURS} input[type=number]").count() == 0
    type_number(page, "2,5")
    assert saved(page)["answers"]["bo-response-hours"] == 2.5
    assert page.inner_text(f"{HOURS} [data-la-error]") == ""
    section = page.inner_text('[data-score="section:customer_service"]')
    assert section == "80,0", section  # 2.5 hours is within 4: 0.8 of the way, not 25 hours' 0.2
    type_number(page, "2.5")
    assert saved(page)["answers"]["bo-response-hours"] == 2.5
    type_number(page, "1.500")
    assert "bo-response-hours" not in saved(page)["answers"]
    error = page.inner_text(f"{HOURS} [data-la-error]")
    assert "«1.500» puede leerse de dos maneras" in error
    assert page.get_attribute(f"{HOURS} input[data-number]", "aria-invalid") == "true"
    type_number(page, "doce")
    assert "no es un número" in page.inner_text(f"{HOURS} [data-la-error]")
    type_number(page, "0,75")
    assert saved(page)["answers"]["bo-response-hours"] == 0.75
    page.reload()
    assert page.input_value(f"{HOURS} input[data-number]") == "0,75"
    assert "entre 0 y 720" in page.inner_text(f"{HOURS} .la-q__hint")


def test_decimal_point_in_english(page: Any, http_url: str) -> None:
    page.goto(http_url + "en/" + section_path("customer_service"))
    type_number(page, "2.5")
    assert saved(page)["answers"]["bo-response-hours"] == 2.5
    assert page.inner_text('[data-score="section:customer_service"]') == "80.0"
    type_number(page, "1,500")
    assert "bo-response-hours" not in saved(page)["answers"]
    assert "“1,500” could be read two ways" in page.inner_text(f"{HOURS} [data-la-error]")
    type_number(page, "12")
    assert saved(page)["answers"]["bo-response-hours"] == 12
    page.reload()
    assert page.input_value(f"{HOURS} input[data-number]") == "12"


def test_a_number_from_another_tab_does_not_disturb_typing(context: Any, http_url: str) -> None:
    first, second = context.new_page(), context.new_page()
    first.goto(http_url + section_path("customer_service"))
    second.goto(http_url + section_path("delivery"))
    first.bring_to_front()  # (see test_two_tabs_keep_in_step_and_lose_nothing)
    first.fill(f"{HOURS} input[data-number]", "2,")
    q, k = first_single("delivery")
    second.bring_to_front()
    second.check(f'[data-question="{q}"] input[value="{k}"]')
    first.wait_for_function("() => document.querySelector('[data-progress=overall]').textContent.startsWith('2 de')")
    assert first.input_value(f"{HOURS} input[data-number]") == "2,"
    first.bring_to_front()
    first.type(f"{HOURS} input[data-number]", "5")
    assert saved(second)["answers"] == {q: k, "bo-response-hours": 2.5}


# -- leaving with answers not handed over ------------------------------------------------------

def test_leaving_with_answers_not_exported_warns(context: Any, http_url: str, tmp_path: Path) -> None:
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    tab.goto(http_url + section_path("delivery"))
    q, k = first_single("delivery")
    tab.check(f'[data-question="{q}"] input[value="{k}"]')
    # a link to another page of the site: the answers stay in this browser, nothing to warn about
    with tab.expect_navigation():
        tab.click("[data-la-next]")
    assert dialogs == []
    tab.click("h1")  # browsers ask only on a page the person has used
    tab.close(run_before_unload=True)
    if not tab.is_closed():
        tab.wait_for_event("close")
    assert dialogs == ["beforeunload"]

    # exported: closing is quiet, until the answers change again
    tab = context.new_page()
    dialogs.clear()
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    tab.goto(http_url + "index.html")
    with tab.expect_download():
        tab.click("[data-action=export]")
    tab.close(run_before_unload=True)
    if not tab.is_closed():
        tab.wait_for_event("close")
    assert dialogs == []


def test_nothing_answered_nothing_to_warn(context: Any, http_url: str) -> None:
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    tab.goto(http_url + section_path("delivery"))
    tab.click("h1")
    tab.close(run_before_unload=True)
    if not tab.is_closed():
        tab.wait_for_event("close")
    assert dialogs == []


def test_scores_read_in_spanish_everywhere(page: Any, http_url: str) -> None:
    page.goto(http_url + section_path("customer_service"))
    type_number(page, "3")
    for ref, text in page.evaluate(SCORE_JS):
        assert text == "—" or ("," in text and "." not in text), (ref, text)


def test_send_and_export_records_are_not_taken_for_answers(page: Any, http_url: str) -> None:
    """What the page keeps beside the answers (sent, handed over, before an import) is never
    read as answers of another version of the questionnaire."""
    page.goto(http_url + "index.html")
    old = f"loyalty-audit:{BANK.id}:0.1"
    page.evaluate("""old => {
        localStorage.setItem(old + ':sent', JSON.stringify({received: '2026-12-01T10:00:00Z', updated: 'x'}));
        localStorage.setItem(old + ':handed', '2026-12-01T10:00:00Z');
        localStorage.setItem(old + ':before-import', JSON.stringify({answers: {}, updated: '2026-12-01T10:00:00Z'}));
    }""", old)
    page.reload()
    assert page.locator("[data-la-notice]").is_hidden()
    assert KEY not in stored(page)
