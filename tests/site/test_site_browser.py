"""The built site in a real headless Chromium, from a local web server and from file://.

With LOYALTY_AUDIT_SCREENSHOTS=DIR, screenshots of the pages the tests look at land in DIR.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from site_support import CHROMIUM, CHROMIUM_ARGS, ROOT, axe_violations, screenshot, serious, with_axe

from audit.engine.score import applies
from audit.model import kind_of, text_of
from audit.read.bank import load_bank
from audit.site.pages import decimal_text
from audit.write.formats import number
from tests.conftest import cli

BANK = load_bank(ROOT / "questions")
DEMO = ROOT / "tests" / "vectors" / "cases" / "default-demo"
SCORE_JS = "() => Array.from(document.querySelectorAll('[data-score]'))" \
           ".filter(e => !e.closest('[hidden]')).map(e => [e.dataset.score, e.textContent])"


# -- helpers ------------------------------------------------------------------------------

def counted(section_id: str | None = None, profile: dict[str, str] | None = None) -> int:
    """The questions that count for progress: those of a type that scores, that apply (docs/scoring.md)."""
    profile = profile or {}
    return sum(1 for _, s, q in BANK.questions()
               if (section_id is None or s.id == section_id) and kind_of(q).scored
               and applies(s.applies_if, profile) and applies(q.applies_if, profile))


def section_title(section_id: str, lang: str) -> str:
    return next(text_of(s.title, lang) for _, s in BANK.sections() if s.id == section_id)


# How many presses of Tab take the focus from where it is to the first tab stop matching the
# selector, in the page's sequential focus order as Chromium keeps it (document order, hidden and
# disabled controls left out, one stop per radio group: its checked radio, else its first; after
# the last, the first again); null where that order cannot be told from the document (a positive
# tabindex, focus on no stop) or no stop matches.
TAB_PRESSES_JS = """sel => {
  const active = document.activeElement;
  const visible = e => e.checkVisibility({visibilityProperty: true});
  const radios = e => Array.from(document.querySelectorAll('input[type=radio]'))
    .filter(r => r.name === e.name && r.form === e.form && visible(r));
  const stops = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.tabIndex > 0) { return null; }
    if (e.tabIndex < 0 || e.disabled || e.closest('[inert]') || !visible(e)) { continue; }
    if (e.type === 'radio' && e.name) {
      const group = radios(e);
      const chosen = group.includes(active) ? active : (group.find(r => r.checked) || group[0]);
      if (e !== chosen) { continue; }
    }
    stops.push(e);
  }
  // with the focus on no stop after a link to a fragment, the next press goes to the first stop
  // after that fragment (the sequential focus navigation starting point)
  const mark = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const unfocused = active === document.body || !active;
  const from = !unfocused ? stops.indexOf(active)
    : mark ? stops.filter(e => mark.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING).length - 0.5 : -1;
  if (!unfocused && from < 0) { return null; }
  const to = stops.findIndex((e, i) => i >= from && e.matches(sel));
  if (to >= 0) { return Math.ceil(to - from); }
  // past the last stop the focus leaves the page (one press), the next press comes back to the first
  const back = stops.findIndex(e => e.matches(sel));
  return back < 0 ? null : Math.ceil(stops.length - from + back);
}"""


def tab_to(tab: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector``: keyboard only.

    The presses the page's tab order needs are counted first (TAB_PRESSES_JS), then pressed, so
    that the focus is looked at once rather than after each press; where the count falls short,
    Tab goes on one press at a time."""
    for _ in range(tab.evaluate(TAB_PRESSES_JS, selector) or 0):
        tab.keyboard.press("Tab")
    for _ in range(limit):
        if tab.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def follow(tab: Any, selector: str) -> None:
    """Reach a link with Tab and open it with Enter."""
    tab_to(tab, selector)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def bank_data(tab: Any) -> dict[str, Any]:
    data: dict[str, Any] = tab.evaluate(
        "() => window.LoyaltyAuditData[document.getElementById('loyalty-audit-data').dataset.lang]")
    return data


class Keyboard:
    """A respondent who uses the keyboard only: Tab to reach a control, Space, arrows and keys."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab

    def follow(self, selector: str) -> None:
        """Open the link, then take the new page's skip link past its header and navigation."""
        follow(self.tab, selector)
        self.skip()

    def skip(self) -> None:
        """The first press of Tab on a page reaches its skip link; Enter follows it."""
        self.tab.keyboard.press("Tab")
        assert self.tab.evaluate("() => document.activeElement.matches('[data-la-skip]')"), self.tab.url
        self.tab.keyboard.press("Enter")

    def type(self, selector: str, text: str) -> None:
        tab_to(self.tab, selector)
        self.tab.keyboard.type(text)

    def toggle(self, selector: str) -> None:
        """Tick the first box (or radio) ``selector`` matches."""
        tab_to(self.tab, selector)
        self.tab.keyboard.press("Space")

    def choose(self, field: str, steps: int) -> None:
        """The radio ``steps`` after the first of the group in ``field``."""
        self.toggle(f"{field} input[type=radio]")
        for _ in range(steps):
            self.tab.keyboard.press("ArrowDown")

    def press(self, selector: str) -> None:
        tab_to(self.tab, selector)
        self.tab.keyboard.press("Enter")


class Pointer:
    """The same respondent with a mouse: clicks, and text put into the fields."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab

    def follow(self, selector: str) -> None:
        with self.tab.expect_navigation():
            self.tab.locator(selector).first.click()

    def type(self, selector: str, text: str) -> None:
        """Text into a field; in a list, the option of that name."""
        field = self.tab.locator(selector).first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=text)
        else:
            field.fill(text)

    def toggle(self, selector: str) -> None:
        self.tab.locator(selector).first.click()

    def choose(self, field: str, steps: int) -> None:
        radios = self.tab.locator(f"{field} input[type=radio]:visible")
        radios.nth(steps % radios.count()).click()

    def press(self, selector: str) -> None:
        self.tab.locator(selector).first.click()


def answer(hands: Keyboard | Pointer, q: dict[str, Any], shape: str, i: int) -> None:
    """Answer ``q`` by its answer's shape (the page's kinds table), as a tool would."""
    field = f'[data-question="{q["id"]}"]'
    assert hands.tab.get_attribute(field, "data-answer") == shape
    if shape == "single":
        hands.choose(field, len(q["options"]) if q["na"] and i % 9 == 0 else i % len(q["options"]))
    elif shape == "multiple":
        keys = [o["key"] for o in q["options"]]
        for key in sorted({keys[i % len(keys)], keys[(i + 2) % len(keys)]}, key=keys.index):
            hands.toggle(f'{field} input[value="{key}"]')
    elif shape == "numeric":
        lo, hi = q["range"] or (0, 10)
        hands.type(f"{field} input[data-number]", decimal_text(lo + (hi - lo) * (i % 5) / 4, page_lang(hands.tab)))
    else:
        hands.type(f"{field} textarea", "Typed with the keyboard.")


def checked_state(tab: Any) -> list[Any]:
    selector = ("[data-question] input, [data-question] textarea, [data-comment], [data-respondent], "
                "[data-profile] input")
    return list(tab.evaluate("s => Array.from(document.querySelectorAll(s)).map(e =>"
                             " e.type === 'radio' || e.type === 'checkbox' ? e.checked : e.value)", selector))


def cli_scores(files: list[Path], bank: Path = ROOT / "questions") -> dict[str, Any]:
    """What ``loyalty-audit score --bank BANK --format json FILES`` prints (the command run in this process)."""
    run = cli("score", "--bank", str(bank), "--format", "json", *map(str, files))
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def page_lang(tab: Any) -> str:
    lang: str = tab.evaluate("() => document.documentElement.lang")
    return lang


def shown(value: float | None, lang: str) -> str:
    """A score as the page shows it: rounded as the CLI rounds, written as the report writes it."""
    return number(value, lang, 1)


def assert_page_shows(tab: Any, result: dict[str, Any]) -> int:
    """Every visible data-score equals the CLI's number rounded to one decimal."""
    pairs = tab.evaluate(SCORE_JS)
    lang = page_lang(tab)
    for ref, text in pairs:
        if ref == "overall":
            value = result["overall"]["score"]
        else:
            kind, ident = ref.split(":", 1)
            value = result["areas" if kind == "area" else "sections"][ident]["score"]
        assert text == shown(value, lang), (ref, text, value)
    return len(pairs)


def import_file(tab: Any, path: Path) -> str:
    """Import ``path``, saying yes when the page asks before replacing the answers it holds."""
    # empty the status first, so that the previous import's message is not read as this one's
    tab.evaluate("() => document.querySelectorAll('[data-la-status]').forEach(n => { n.textContent = ''; })")

    def replace(dialog: Any) -> None:
        dialog.accept()

    tab.on("dialog", replace)
    try:
        tab.set_input_files("[data-action=import]", str(path))
        tab.wait_for_function("() => document.querySelector('[data-la-status]').textContent.length > 0")
    finally:
        tab.remove_listener("dialog", replace)
    text: str = tab.inner_text("[data-la-status]")
    return text


def stored(tab: Any) -> Any:
    return tab.evaluate("() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")


# -- the respondent's whole journey ---------------------------------------------------------
# By keyboard from the web server; with the mouse from file:// (what the keyboard does on a page
# does not hang on where the page came from, what is kept, exported and scored may).

@pytest.mark.parametrize(("scheme", "hands"), [("http", Keyboard), ("file", Pointer)])
def test_fill_everything_then_reload_export_and_score(page: Any, default_site: Path, tmp_path: Path, scheme: str,
                                                      hands: type[Keyboard | Pointer],
                                                      request: pytest.FixtureRequest) -> None:
    base_url = request.getfixturevalue("http_url") if scheme == "http" else default_site.as_uri() + "/"
    by = hands(page)
    page.goto(base_url + "index.html")
    by.follow(".la-start a.md-button--primary")
    assert page.url.partition("#")[0].endswith("about.html")

    by.type("[data-respondent=organisation]", "Ñandú & Hijos <S.L.>")
    by.type("[data-respondent=name]", "Ana")
    by.type("[data-respondent=department]", "Marketing")
    assert page.input_value("[data-respondent=department]") == "marketing"
    by.toggle('[data-profile="channel"] input')  # physical shop only: the online store section must vanish
    by.toggle('[data-profile="market"] input')
    online = page.locator("a.md-nav__link[href$='online_store.html']")
    assert not online.is_visible()
    first = {p.id: p.options[0].key for p in BANK.profile}
    applying = [s.id for _, s in BANK.sections() if applies(s.applies_if, first)]
    assert "online_store" not in applying
    assert page.inner_text("[data-la-applies]") == \
        f"{len(applying)} de {len(BANK.sections())} secciones aplican a su organización."
    screenshot(page, f"about-{scheme}")

    by.follow(".la-start a.md-button--primary")
    # the navigation holds the open area only (navigation.prune): here, the online store's
    assert online.count() == 1 and not online.is_visible()
    seen: list[str] = []
    answered = 0
    data = bank_data(page)  # the page language's (every page of the journey is in Spanish)
    while "finish.html" not in page.url:
        section = page.get_attribute("[data-la-page]", "data-section")
        assert section and section not in seen
        seen.append(section)
        qs = [q for a in data["bank"]["areas"] for s in a["sections"] if s["id"] == section for q in s["questions"]]
        for q in qs:
            if page.locator(f'[data-la-q="{q["id"]}"]').is_hidden():
                continue
            answer(by, q, data["kinds"][q["type"]]["answer"], answered)
            answered += 1
            if q is qs[0]:  # a comment on the section's first question, typed in the box under it
                by.type(f'[data-comment="{q["id"]}"]', f"Comment on {section}.")
        if len(seen) == 2:
            screenshot(page, f"section-{scheme}", full_page=False)
        by.follow("[data-la-next]")
    assert seen == applying
    assert page.inner_text("[data-progress=overall]").endswith("100\u00a0% · terminado")
    assert page.inner_text("[data-la-list=unanswered]") == "Todas las preguntas que aplican están respondidas."
    assert page.inner_text("[data-la-finish-status]").startswith("Completo")
    by.follow(".la-next a")
    assert page.url.partition("#")[0].endswith("results.html")
    screenshot(page, f"results-{scheme}")

    # kept through reload and navigation
    page.goto(base_url + "back_office/delivery.html")
    before = checked_state(page)
    assert sum(1 for v in before if v is True) >= 2 and "Comment on delivery." in before
    page.reload()
    assert checked_state(page) == before
    page.goto(base_url + "results.html")
    page.go_back()
    assert page.url.endswith("delivery.html")
    assert checked_state(page) == before

    # export one file; the command line scores it to what the page shows
    page.goto(base_url + "results.html")
    with page.expect_download() as info:
        by.press("[data-action=export]")
    download = info.value
    assert re.fullmatch(r"nandu-hijos-s-l-marketing-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["organisation"] == "Ñandú & Hijos <S.L.>"
    assert data["respondent"] == {"name": "Ana", "department": "marketing"}
    assert data["profile"] == {"channel": "physical", "market": "b2c"}
    assert len(data["answers"]) == answered
    assert data["comments"]["fo-shop-window"] == "Comment on storefront_physical."
    result = cli_scores([exported])
    assert result["overall"]["completion"] == 1.0
    assert assert_page_shows(page, result) == 1 + len(result["areas"]) + len(result["sections"])


def test_answers_survive_closing_the_browser(playwright_instance: Any, default_site: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    url = default_site.as_uri() + "/front_office/assortment.html"
    for attempt in range(2):
        context = playwright_instance.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = context.pages[0] if context.pages else context.new_page()
        tab.goto(url)
        radio = tab.locator('[data-question="fo-assortment-fit"] input[value="3"]')
        if attempt == 0:
            radio.check()
            tab.fill('[data-comment="fo-assortment-fit"]', "Reviewed monthly.")
        else:
            assert radio.is_checked()
            assert tab.input_value('[data-comment="fo-assortment-fit"]') == "Reviewed monthly."
            assert tab.inner_text('[data-progress="section:assortment"]') == f"1 de {counted('assortment')}"
        tab.close()  # the tab, then the browser, as a person closes them
        context.close()


# -- import --------------------------------------------------------------------------------

def test_import_refuses_bad_files_and_keeps_the_answers(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "results.html")
    good = DEMO / "02-marketing.json"
    answers = json.loads(good.read_text(encoding="utf-8"))["answers"]
    assert import_file(page, good) == f"Importadas {len(answers)} respuestas de 02-marketing.json."
    scores = page.evaluate(SCORE_JS)
    saved = stored(page)
    assert_page_shows(page, cli_scores([good]))

    data = json.loads(good.read_text(encoding="utf-8"))
    bad = {
        "broken.json": '{"bank": "loyalty-audit", "answers": {',
        "notes.yaml": "bank: loyalty-audit\nanswers:\n  fo-shop-window: 3\n",
        "foreign.json": json.dumps({**data, "bank": "another-audit"}),
        "typo.json": json.dumps({**data, "answrs": {}}),
        "option.json": json.dumps({**data, "answers": {**data["answers"], "fo-shop-window": 9}}),
        "team.json": json.dumps({"bank": "loyalty-audit", "respondents": [{}, {}]}),
        "html.json": json.dumps({**data, "answers": {"<img src=x onerror=alert(1)>": 1}}),
    }
    reasons = {
        "broken.json": "no es un archivo de respuestas JSON.",
        "notes.yaml": "no es un archivo de respuestas JSON.",
        "foreign.json": "contiene respuestas del cuestionario «another-audit», no de «loyalty-audit».",
        "typo.json": "no encaja en este cuestionario (detalles abajo).",
        "option.json": "no encaja en este cuestionario (detalles abajo).",
        "team.json": "contiene 2 personas; impórtelas en la página Equipo.",
        "html.json": "no encaja en este cuestionario (detalles abajo).",
    }
    for name, text in bad.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        message = import_file(page, path)
        assert message.startswith(f"{name} no se ha importado: {reasons[name]}"), message
        assert "Sus respuestas no han cambiado." in message
        assert page.locator("[data-la-status]").evaluate("e => e.classList.contains('is-error')")
        assert page.evaluate(SCORE_JS) == scores
        assert stored(page) == saved
    assert "'9' is not an option of question 'fo-shop-window'" in import_file(page, tmp_path / "option.json")
    assert page.locator("img[src=x]").count() == 0
    screenshot(page, "import-refused")
    page.reload()
    assert page.evaluate(SCORE_JS) == scores


def test_import_from_an_older_version_keeps_what_fits(page: Any, http_url: str, tmp_path: Path) -> None:
    data = json.loads((DEMO / "03-ventas.json").read_text(encoding="utf-8"))
    data["bank_version"] = "0.9"
    data["answers"]["fo-retired-question"] = 2
    data["answers"]["fo-shop-window"] = 7
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    page.goto(http_url + "en/index.html")
    message = import_file(page, old)
    assert message.startswith(f"Imported {len(data['answers']) - 2} answers from old.json.")
    assert "recorded for version 0.9" in message
    assert "dropped: fo-shop-window, fo-retired-question." in message
    fitting = dict(data, bank_version=BANK.version,
                   answers={k: v for k, v in data["answers"].items()
                            if k not in ("fo-shop-window", "fo-retired-question")})
    (tmp_path / "fitting.json").write_text(json.dumps(fitting), encoding="utf-8")
    page.goto(http_url + "en/results.html")
    assert_page_shows(page, cli_scores([tmp_path / "fitting.json"]))


def test_untrusted_text_stays_text(page: Any, http_url: str, tmp_path: Path) -> None:
    data = json.loads((DEMO / "01-direccion.json").read_text(encoding="utf-8"))
    data["organisation"] = "<img src=x onerror=window.hacked=1>"
    data["respondent"]["name"] = "<b>Eve</b>"
    data["comments"] = {"fo-shop-window": "<script>window.hacked=2</script>"}
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    page.goto(http_url + "index.html")
    import_file(page, path)
    page.goto(http_url + "about.html")
    assert page.input_value("[data-respondent=organisation]") == data["organisation"]
    page.goto(http_url + "front_office/storefront_physical.html")
    assert page.input_value('[data-comment="fo-shop-window"]') == "<script>window.hacked=2</script>"
    page.goto(http_url + "team.html")
    page.set_input_files("[data-team-files]", str(path))
    page.wait_for_selector("[data-team-list] li.is-used")
    assert "<b>Eve</b>" in page.inner_text("[data-team-list]")
    assert page.locator("[data-team-list] b, img[src=x]").count() == 0
    assert page.evaluate("() => window.hacked") is None


# -- reset, profile, language ------------------------------------------------------------------

def test_reset_asks_first(page: Any, http_url: str) -> None:
    page.goto(http_url + "index.html")
    page.evaluate("() => localStorage.setItem('loyalty-audit:loyalty-audit:0.9', '{\"answers\": {\"q\": 1}}')")
    import_file(page, DEMO / "04-atencion-cliente.json")
    overall = page.inner_text("[data-score=overall]")
    assert overall != "—"
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-action=reset]")
    assert page.inner_text("[data-score=overall]") == overall
    questions: list[str] = []

    def accept(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.click("[data-action=reset]")
    assert questions == ["¿Borrar todas las respuestas guardadas en este navegador? No se puede deshacer."]
    assert page.inner_text("[data-score=overall]") == "—"
    assert page.inner_text("[data-progress=overall]").startswith(f"0 de {counted()} ")
    page.reload()
    assert page.inner_text("[data-score=overall]") == "—"
    assert [k for k in stored(page) if k.startswith("loyalty-audit")] == []  # (the theme keeps its palette)


def test_answers_of_an_older_version_are_carried_over(page: Any, http_url: str) -> None:
    page.goto(http_url + "index.html")
    old = {"organisation": "Acme", "name": "", "department": "sales", "profile": {"channel": "online"},
           "answers": {"fo-web-interface": 3, "fo-gone": 1, "fo-shop-window": "na"}, "comments": {},
           "updated": "2026-01-01T00:00:00Z"}
    page.evaluate("s => localStorage.setItem('loyalty-audit:loyalty-audit:0.9', s)", json.dumps(old))
    page.reload()
    notice = page.inner_text("[data-la-notice]")
    assert notice.startswith("Se han conservado sus respuestas de la versión 0.9.")
    assert "descartado: fo-gone, fo-shop-window." in notice
    kept = json.loads(page.evaluate(f"() => localStorage.getItem('loyalty-audit:loyalty-audit:{BANK.version}')"))
    assert kept["answers"] == {"fo-web-interface": "3"} and kept["department"] == "sales"
    assert page.inner_text("[data-progress=overall]").startswith("1 de ")


def test_profile_hides_what_does_not_apply(page: Any, http_url: str) -> None:
    page.goto(http_url + "about.html")
    page.check('[data-profile="channel"] input[value="online"]')
    page.goto(http_url + "front_office/storefront_physical.html")
    assert page.locator("[data-la-not-applicable]").is_visible()
    assert page.locator("[data-la-questions]").is_hidden()
    assert page.locator("a.md-nav__link[href$='storefront_physical.html']").is_hidden()
    page.goto(http_url + "about.html")
    page.check('[data-profile="market"] input[value="b2c"]')
    page.goto(http_url + "back_office/payment.html")
    assert page.locator('[data-la-q="bo-credit-terms"]').is_hidden()
    page.goto(http_url + "about.html")
    page.check('[data-profile="market"] input[value="b2b"]')
    page.goto(http_url + "back_office/payment.html")
    assert page.locator('[data-la-q="bo-credit-terms"]').is_visible()


def test_language_switch_keeps_the_page_and_the_answers(page: Any, base_url: str) -> None:
    page.goto(base_url + "index.html")
    import_file(page, DEMO / "05-operaciones.json")
    page.goto(base_url + "back_office/delivery.html")
    assert page.get_attribute("html", "lang") == "es"
    es_scores = page.evaluate(SCORE_JS)
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(".md-select__link[hreflang=en]")
    assert page.url.endswith("/en/back_office/delivery.html")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == section_title("delivery", "en")
    assert page.evaluate(SCORE_JS) == [[ref, text.replace(",", ".")] for ref, text in es_scores]
    assert page.inner_text("[data-progress=overall]").startswith(
        page.inner_text("[data-progress=overall]").split(" of ")[0] + " of ")
    screenshot(page, "section-en", full_page=False)
    with page.expect_navigation():
        page.hover(".md-header__option .md-select")
        page.click(".md-select__link[hreflang=es]")
    assert page.url.endswith("/back_office/delivery.html") and "/en/" not in page.url


# -- team ----------------------------------------------------------------------------------

def test_team_page_scores_several_files_like_the_cli(page: Any, base_url: str, tmp_path: Path) -> None:
    files = sorted(DEMO.glob("0*.json"))
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2, 3]", encoding="utf-8")
    page.goto(base_url + "team.html")
    page.set_input_files("[data-team-files]", [str(f) for f in files[:3]])
    page.wait_for_selector("[data-team-result]:not([hidden])")
    page.set_input_files("[data-team-files]", [str(f) for f in files[3:]] + [str(junk)])
    page.wait_for_function("n => document.querySelectorAll('[data-team-list] :is(li.is-used, li.is-refused)')"
                           ".length === n", arg=len(files) + 1)
    assert page.locator("[data-team-list] li.is-used").count() == len(files)
    assert "junk.json: no se usa: no es un archivo de respuestas JSON." in page.inner_text("[data-team-list]")
    result = cli_scores(files)
    assert page.inner_text("[data-team-score=overall]") == shown(result["overall"]["score"], page_lang(page))
    for area, node in result["areas"].items():
        assert page.inner_text(f'[data-team-score="area:{area}"]') == shown(node["score"], page_lang(page))
    for section, node in result["sections"].items():
        assert page.inner_text(f'[data-team-score="section:{section}"]') == shown(node["score"], page_lang(page))
    header = page.inner_text(".la-team-table thead")
    for dept in ("Dirección (1)", "Marketing (1)", "Ventas (1)", "Atención al cliente (1)",
                 "Operaciones y logística (1)"):
        assert dept in header
    flagged = [k for k, v in {**result["areas"], **result["sections"]}.items() if v["flagged"]]
    overall = [d["overall"] for d in result["departments"].values() if d["overall"] is not None]
    if len(overall) > 1 and max(overall) - min(overall) >= BANK.divergence_threshold:
        flagged.append("overall")
    assert page.locator(".la-team-table .is-flagged").count() == len(flagged) > 0
    market = next(p for p in BANK.profile if p.id == "market")
    assert text_of(market.text, "es") in page.inner_text("[data-team-conflicts]")  # first, in the page's language
    screenshot(page, f"team-{'file' if base_url.startswith('file:') else 'http'}")
    page.click("[data-action=team-clear]")
    assert page.locator("[data-team-result]").is_hidden()


# -- accessibility ---------------------------------------------------------------------------

def _all_pages() -> list[str]:
    pages = []
    for prefix in ("", "en/"):
        pages += [f"{prefix}{p}.html" for p in ("index", "about", "finish", "results", "team")]
        pages += [f"{prefix}{a.id}/{s.id}.html" for a in BANK.areas for s in a.sections]
    return pages


def test_axe_finds_no_serious_problem_on_any_page(page: Any, http_url: str) -> None:
    """axe finds nothing serious on any page, the skip link shown (each page's first Tab stop)."""
    with_axe(page.context)
    page.goto(http_url + "index.html")
    import_file(page, DEMO / "02-marketing.json")
    problems = []
    pages = _all_pages()
    for path in pages:
        page.goto(http_url + path)
        if path in ("team.html", "en/team.html"):
            page.set_input_files("[data-team-files]", [str(f) for f in sorted(DEMO.glob("0*.json"))])
            page.wait_for_selector("[data-team-result]:not([hidden])")
        page.keyboard.press("Tab")  # a focus ring on screen, as a keyboard user sees it: the skip link's
        if not page.evaluate("() => document.activeElement.matches('[data-la-skip].md-skip')"):
            problems.append(f"{path}: the first Tab stop is not the skip link")
        for violation in serious(axe_violations(page)):
            targets = [n["target"] for n in violation["nodes"]][:3]
            problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert len(pages) == 50
    assert not problems, "\n".join(problems)


def test_focus_is_visible(page: Any, http_url: str) -> None:
    page.goto(http_url + "back_office/payment.html")
    tab_to(page, '[data-question="bo-payment-methods"] input')
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    ring = page.evaluate("() => getComputedStyle(document.activeElement.closest('.la-opt')).boxShadow")
    assert outline != "none" or ring != "none"
    tab_to(page, '[data-comment="bo-payment-methods"]')
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    # a file picker's own control is out of sight: its label, the button a person sees, shows the ring
    for path, picker in (("finish.html", "[data-action=import]"), ("team.html", "[data-team-files]")):
        page.goto(http_url + path)
        tab_to(page, picker)
        assert page.evaluate("() => getComputedStyle(document.activeElement.labels[0]).outlineStyle") == "solid", path
