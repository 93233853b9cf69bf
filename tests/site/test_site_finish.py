"""The finish and the hand-off: a finish page, the consultant's words, scores that say what
they mean (provisional, target, live scores off), and the send button against the real
collection server (``audit.run.collect``) on 127.0.0.1, receiving into a project made by
``loyalty-audit init``."""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from site_support import ROOT, QuietHandler, axe_violations, mkdocs_build, screenshot, serious, with_axe
from starlette.types import ASGIApp, Receive, Scope, Send
from test_site_browser import BANK, DEMO, assert_page_shows, cli_scores, counted, import_file, stored
from test_site_respondent import first_single, saved, section_path

from audit.engine.score import applies
from audit.model import Bank
from audit.read.bank import load_bank
from audit.run.collect import Collector, Settings, collect_app, open_collector
from tests.conftest import process

TOKEN = "s3cret-token-for-tests"
INSTRUCTIONS = "Answer for your own team <b>only</b> & be frank."


class Switch:
    """An ASGI application that hands every request to ``app``: the real collection server,
    which a test may swap for another real one (set up for another bank, or another token)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


@dataclass
class Served:
    """The project's collection server, listening on 127.0.0.1 at ``url``."""

    collector: Collector
    switch: Switch
    url: str

    @property
    def answers(self) -> Path:
        return self.collector.inbox.folder

    @contextmanager
    def set_up_for(self, bank: Bank | None = None, token: str | None = None) -> Iterator[None]:
        """Inside the block, the same folder is served by a collection server built with
        another bank or another token."""
        real = self.switch.app
        self.switch.app = collect_app(self.collector.inbox, bank or self.collector.bank, token or TOKEN)
        try:
            yield
        finally:
            self.switch.app = real


@pytest.fixture(scope="module")
def collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``loyalty-audit collect`` on a free port of 127.0.0.1, over a project ``init`` made."""
    project = tmp_path_factory.mktemp("clients") / "alba"
    made = process("init", str(project), "--client", "Muebles Alba S.L.")
    assert made.returncode == 0, made.stderr
    real = open_collector(project, Settings(port=0, token=TOKEN))
    switch = Switch(real.app())
    server = uvicorn.Server(uvicorn.Config(switch, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [real.sock]}, daemon=True)
    thread.start()
    for _ in range(1000):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.01)
    assert server.started, "the collection server did not start"
    try:
        yield Served(real, switch, real.url)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        real.sock.close()


def build_and_serve(folder: Path, options: str) -> Iterator[tuple[str, Path]]:
    config = folder / "mkdocs.yml"
    (folder / "docs").mkdir()
    config.write_text(
        "site_name: Test\ndocs_dir: docs\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  language: es\n  font: false\n"
        f"plugins:\n  - loyalty-audit:\n      bank: {ROOT / 'questions'}\n{options}", encoding="utf-8")
    run = mkdocs_build(config, folder / "site")
    assert run.returncode == 0, run.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder / "site"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def collect_build(tmp_path_factory: pytest.TempPathFactory,
                  collector: Served) -> Iterator[tuple[str, Path]]:
    """A site with every consultant option: contact, deadline, instructions, no live scores, sending."""
    options = (f"      collect_url: {collector.url}\n      collect_token: {TOKEN}\n"
               "      live_scores: false\n      contact: Ana Ruiz, ana@consultora.example\n"
               f"      deadline: 2027-01-15\n      instructions: {json.dumps(INSTRUCTIONS)}\n")
    yield from build_and_serve(tmp_path_factory.mktemp("collect-site"), options)


@pytest.fixture(scope="module")
def collect_site(collect_build: tuple[str, Path]) -> str:
    return collect_build[0]


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A fresh profile that fails on script errors; a request the server refuses or that cannot
    leave an offline browser is what these tests cause, so the console's note of it is not one."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    try:
        yield page
        assert not errors, errors
    finally:
        context.close()


def complete_file(folder: Path) -> Path:
    """A response file that answers every question of the default bank."""
    answers: dict[str, Any] = {}
    for _, _, q in BANK.questions():
        if q.type in ("scale", "choice"):
            answers[q.id] = q.options[-1].key
        elif q.type == "multi":
            answers[q.id] = [q.options[0].key]
        elif q.type == "number":
            answers[q.id] = q.range[0] if q.range else 1
        else:
            answers[q.id] = "Texto libre."
    path = folder / "complete.json"
    path.write_text(json.dumps({"bank": BANK.id, "bank_version": BANK.version, "answers": answers,
                                "profile": {p.id: p.options[-1].key for p in BANK.profile}}), encoding="utf-8")
    return path


def answer_some(tab: Any, url: str, n: int = 3) -> dict[str, str]:
    tab.goto(url + section_path("community"))
    given = {}
    for i in range(n):
        q, k = first_single("community", i)
        tab.check(f'[data-question="{q}"] input[value="{k}"]')
        given[q] = k
    return given


# -- the default site: no sending, the finish page, provisional scores ---------------------------

def test_without_collect_url_nothing_about_sending(page: Any, http_url: str, default_site: Path) -> None:
    for html in default_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert 'data-action="submit"' not in text and "data-la-send" not in text, html
    page.goto(http_url + "finish.html")
    assert "Enviar" not in page.inner_text("main")
    assert page.locator("[data-action=export]").is_visible()


def test_finish_lists_what_is_left_with_links(page: Any, http_url: str) -> None:
    answer_some(page, http_url)
    page.goto(http_url + "finish.html")
    total = counted()
    assert page.inner_text("[data-la-finish-status]").startswith(f"Ha respondido 3 de {total} preguntas")
    sections = page.locator("[data-unanswered]").evaluate_all("es => es.map(e => e.dataset.unanswered)")
    assert sections == [s.id for _, s in BANK.sections() if counted(s.id)]  # community has one left too
    assert "1 de 4 sin responder" in page.inner_text('[data-unanswered="community"]')
    link = page.locator('[data-unanswered="after_sales"] details summary')
    link.click()
    with page.expect_navigation():
        page.locator('[data-unanswered="after_sales"] a').first.click()
    assert page.url.endswith("after_sales.html")


def test_home_counts_the_questions_asked_of_this_respondent(page: Any, http_url: str) -> None:
    page.goto(http_url + "about.html")
    choice = {p.id: p.options[0].key for p in BANK.profile}
    for pid, key in choice.items():
        page.check(f'[data-profile="{pid}"] input[value="{key}"]')
    page.goto(http_url + "index.html")
    asked = counted(profile=choice)
    sections = sum(1 for _, s in BANK.sections() if applies(s.applies_if, choice) and counted(s.id, choice))
    facts = page.inner_text("[data-la-facts]")
    assert facts.startswith(f"{asked} preguntas en {sections} secciones"), facts
    assert page.inner_text("[data-progress=overall]").startswith(f"0 de {asked} ")
    assert page.locator("[data-la-done]").is_hidden()


def test_home_says_done_at_100_percent(page: Any, http_url: str, tmp_path: Path) -> None:
    page.goto(http_url + "index.html")
    import_file(page, complete_file(tmp_path))
    progress = page.inner_text("[data-progress=overall]")
    assert progress.endswith("100\u00a0% · terminado"), progress
    assert page.locator("[data-la-done]").is_visible()
    page.goto(http_url + "finish.html")
    assert page.inner_text("[data-la-finish-status]").startswith("Completo")


def test_provisional_while_answering_and_on_the_results(page: Any, http_url: str, tmp_path: Path) -> None:
    """A sparse respondent: every score shown is marked provisional, with no level, no diagnosis,
    no "all targets met"; percent to target explained with the target as a number."""
    answer_some(page, http_url, 1)
    assert page.get_attribute("[data-la-bar] [data-score=overall]", "data-provisional") is not None
    assert page.locator('[data-la-bar] [data-la-prov="overall"]').is_visible()
    page.goto(http_url + "results.html")
    with page.expect_download() as info:
        page.click("[data-action=export]")
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    result = cli_scores([exported])
    assert result["overall"]["provisional"] and result["overall"]["level"] is None
    assert_page_shows(page, result)
    for element in page.locator("[data-score]:not([hidden] *)").all():
        if element.inner_text() != "—":
            assert element.get_attribute("data-provisional") is not None
    assert page.inner_text("[data-level=overall]") == "Provisional"
    assert page.locator("[data-diagnosis]").count() == 0
    assert "alcanzan ya su objetivo" not in page.inner_text("main")
    note = page.inner_text("[data-la-ptt-note]")
    assert "Cumplimiento del objetivo" in note and "El objetivo global es 75." in note
    target = page.inner_text('[data-target="section:community"]')
    assert re.fullmatch(r"\d+(,\d+)?", target)


def test_one_number_format_on_the_english_results(page: Any, http_url: str, tmp_path: Path) -> None:
    page.goto(http_url + "en/index.html")
    import_file(page, DEMO / "02-marketing.json")
    page.goto(http_url + "en/results.html")
    result = cli_scores([DEMO / "02-marketing.json"])
    assert page.inner_text("[data-completion]") == f"{100 * result['overall']['completion']:.0f}%"
    import_file(page, complete_file(tmp_path))
    result = cli_scores([complete_file(tmp_path)])
    assert assert_page_shows(page, result) > 3
    assert page.inner_text("[data-completion]") == "100%"
    assert re.fullmatch(r"\d+%", page.inner_text("[data-ptt]"))
    page.goto(http_url + "results.html")
    assert re.fullmatch(r"\d+\u00a0%", page.inner_text("[data-ptt]"))


# -- the consultant's options ------------------------------------------------------------------

def test_consultant_words_shown_as_text_and_live_scores_off(page: Any, collect_site: str) -> None:
    for path in ("index.html", "finish.html"):
        page.goto(collect_site + path)
        box = page.inner_text("[data-la-consultant]")
        assert INSTRUCTIONS in box and "Ana Ruiz, ana@consultora.example" in box
        assert "15 de enero de 2027" in box
        assert page.locator("[data-la-consultant] b").count() == 0
    page.goto(collect_site + "index.html")
    use = page.inner_text("[data-la-use]")
    assert "departamentos, no nombres" in use
    assert "Enviar mis respuestas" in page.inner_text(".la-facts")
    # no score while answering; the results page has them all
    page.goto(collect_site + section_path("delivery"))
    q, k = first_single("delivery")
    page.check(f'[data-question="{q}"] input[value="{k}"]')
    assert page.locator("[data-score]").count() == 0
    page.goto(collect_site + "results.html")
    assert page.inner_text("[data-score=overall]") != "—"


# -- sending -------------------------------------------------------------------------------

def test_send_writes_the_file_the_cli_scores_as_the_page_showed(page: Any, collect_site: str,
                                                               collector: Served) -> None:
    answer_some(page, collect_site, 4)
    page.goto(collect_site + "finish.html")
    page.click("[data-action=submit]")
    page.wait_for_selector("[data-la-send-status] [data-sent]")
    message = page.inner_text("[data-la-send-status]")
    assert message.startswith("Enviadas el ") and re.search(r"\b20\d\d\b", message), message
    ident = stored(page)["loyalty-audit:respondent-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", ident)
    sent = collector.answers / f"web-{ident}.json"
    assert json.loads(sent.read_text(encoding="utf-8"))["answers"] == saved(page)["answers"]
    page.goto(collect_site + "results.html")
    assert_page_shows(page, cli_scores([sent]))
    assert "Enviadas por última vez" in page.inner_text("[data-la-send-status]")
    screenshot(page, "results-sent")

    # changed and sent again from the results page: the file replaced, the previous kept
    page.goto(collect_site + section_path("after_sales"))
    q, k = first_single("after_sales")
    page.check(f'[data-question="{q}"] input[value="{k}"]')
    page.goto(collect_site + "results.html")
    page.click("[data-action=submit]")
    page.wait_for_function("() => (document.querySelector('[data-la-send-status]').textContent || '')"
                           ".startsWith('Enviadas el')")
    assert q in json.loads(sent.read_text(encoding="utf-8"))["answers"]
    history = list((collector.answers / ".history").glob(f"web-{ident}.*.json"))
    assert len(history) == 1 and q not in json.loads(history[0].read_text(encoding="utf-8"))["answers"]

    # handed over: leaving does not warn
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)
    assert dialogs == []


def test_send_refused_shows_each_problem_and_keeps_the_answers(tab: Any, collect_site: str,
                                                               collector: Served) -> None:
    given = answer_some(tab, collect_site, 2)
    tab.goto(collect_site + "finish.html")
    before = sorted(p.name for p in collector.answers.rglob("*"))
    with collector.set_up_for(bank=load_bank(ROOT / "tests" / "vectors" / "v2-bank")):
        tab.click("[data-action=submit]")
        tab.wait_for_selector('[data-send-error="422"]')
    assert "El servidor de recogida no ha aceptado sus respuestas" in tab.inner_text("[data-la-send-status]")
    problems = tab.locator("[data-send-problem]").all_inner_texts()
    assert tab.get_attribute(".la-send__problems", "lang") == "en"  # the server's English, marked as such
    assert saved(tab)["answers"] == given
    # the body was the exported file's text: each problem's line is that line of an exported file,
    # the one with the bank or the question it names
    with tab.expect_download() as info:
        tab.click("[data-action=export]")
    exported = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(problems) >= 2
    for problem in problems:
        where, named = re.fullmatch(r"line (\d+): [^']*'([^']+)'.*", problem).groups()  # type: ignore[union-attr]
        assert f'"{named}"' in exported[int(where) - 1], (problem, exported[int(where) - 1])
    screenshot(tab, "finish-refused")

    with collector.set_up_for(token="another-token-0123456789"):
        tab.click("[data-action=submit]")
        tab.wait_for_selector('[data-send-error="401"]')
    assert "ha rechazado la clave" in tab.inner_text("[data-la-send-status]")
    assert saved(tab)["answers"] == given
    assert sorted(p.name for p in collector.answers.rglob("*")) == before  # nothing written


def test_offline_says_so_and_offers_retry_or_export(tab: Any, collect_site: str, collector: Served) -> None:
    answer_some(tab, collect_site, 2)
    tab.goto(collect_site + "finish.html")
    before = {p.name for p in collector.answers.iterdir()}
    tab.context.set_offline(True)
    try:
        tab.click("[data-la-send] > p [data-action=submit]")
        tab.wait_for_selector('[data-send-error="offline"]')
    finally:
        tab.context.set_offline(False)
    assert "No se ha podido contactar" in tab.inner_text("[data-la-send-status]")
    assert tab.locator("[data-la-send-status] [data-action=export]").is_visible()
    assert {p.name for p in collector.answers.iterdir()} == before
    tab.click("[data-la-send-status] [data-action=submit]")
    tab.wait_for_selector("[data-la-send-status] [data-sent]")
    ident = stored(tab)["loyalty-audit:respondent-id"]
    assert {p.name for p in collector.answers.iterdir()} - before == {f"web-{ident}.json"}
    screenshot(tab, "finish-sent")


def test_export_names_are_unique_per_respondent(browser: Any, http_url: str) -> None:
    names = []
    for _ in range(2):
        context = browser.new_context(accept_downloads=True)
        tab = context.new_page()
        tab.goto(http_url + "about.html")
        tab.select_option("[data-respondent=department]", "sales")
        tab.goto(http_url + "index.html")
        with tab.expect_download() as info:
            tab.click("[data-action=export]")
        names.append(info.value.suggested_filename)
        context.close()
    assert names[0] != names[1]
    for name in names:
        assert "unspecified" not in name and re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json", name)


def test_send_from_file_url(page: Any, collect_build: tuple[str, Path], collector: Served) -> None:
    """Opened from disk, the page's origin is null: the server's CORS lets it through all the same."""
    base = collect_build[1].as_uri() + "/"
    given = answer_some(page, base, 2)
    page.goto(base + "finish.html")
    page.click("[data-action=submit]")
    page.wait_for_selector("[data-la-send-status] [data-sent]")
    ident = stored(page)["loyalty-audit:respondent-id"]
    sent = json.loads((collector.answers / f"web-{ident}.json").read_text(encoding="utf-8"))
    assert sent["answers"] == given


def test_axe_on_the_consultant_box_and_the_send_outcomes(tab: Any, collect_site: str,
                                                         collector: Served) -> None:
    with_axe(tab.context)
    answer_some(tab, collect_site, 2)
    problems = []
    for path, token in (("index.html", TOKEN), ("finish.html", TOKEN), ("finish.html", "another-token-0123456789"),
                        ("results.html", TOKEN)):
        tab.goto(collect_site + path)
        if path != "index.html":
            with collector.set_up_for(token=token):
                tab.click("[data-la-send] > p [data-action=submit]")
                tab.wait_for_selector("[data-la-send-status] :is([data-sent], [data-send-error])")
        for violation in serious(axe_violations(tab)):
            problems.append(f"{path}: {violation['id']} {[n['target'] for n in violation['nodes']][:3]}")
    assert not problems, "\n".join(problems)
