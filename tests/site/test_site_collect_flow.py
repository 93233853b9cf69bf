"""The consultant's collection, end to end, as the README's "Collecting answers" tells it:
``init --collect-url``, the site built from the project's mkdocs.yml, ``collect`` as a process
of its own with the token init wrote, two respondents sending from their own browsers, then
``score`` and ``report`` on what arrived."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from site_support import mkdocs_build, screenshot
from test_site_browser import BANK, assert_page_shows, cli_scores, page_lang, shown, stored
from test_site_respondent import saved, section_path

from audit.read.project import plugin_options
from tests.conftest import process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def answers_for(n: int) -> list[tuple[str, dict[str, str]]]:
    """For each of ``n`` respondents, a section asked of everyone and three of its single-choice
    questions, answered with options from the top of their scales (not all the same)."""
    picked = []
    for _, section in BANK.sections():
        qs = [q for q in section.questions if q.type in ("scale", "choice") and q.options and not q.applies_if]
        if not section.applies_if and len(qs) >= 3:
            shift = len(picked)
            picked.append((section.id, {q.id: q.options[-1 - (i + shift) % len(q.options)].key
                                        for i, q in enumerate(qs[:3])}))
        if len(picked) == n:
            return picked
    raise AssertionError(f"the bank has fewer than {n} sections to answer")


def respond_and_send(browser: Any, site: str, answers: Path, department: str, section: str,
                     given: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """A respondent in a fresh browser: their department, the answers ``given``, the send button on the
    finish page; the file that arrives in ``answers`` scores as their results page shows. Their
    respondent id and the answers their browser holds."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        tab.goto(site + "about.html")
        tab.select_option("[data-respondent=department]", department)
        tab.goto(site + section_path(section))
        for q, k in given.items():
            tab.check(f'[data-question="{q}"] input[value="{k}"]')
        tab.goto(site + "finish.html")
        tab.click("[data-action=submit]")
        tab.wait_for_selector("[data-la-send-status] [data-sent]")
        assert tab.inner_text("[data-la-send-status]").startswith("Enviadas el ")
        ident: str = stored(tab)["loyalty-audit:respondent-id"]
        held: dict[str, Any] = saved(tab)
        assert held["answers"] == given
        tab.goto(site + "results.html")
        assert assert_page_shows(tab, cli_scores([answers / f"web-{ident}.json"])) > 1
        screenshot(tab, f"collect-flow-results-{department}")
        assert not errors, errors
        return ident, held
    finally:
        context.close()


def test_init_collect_send_score_and_report(browser: Any, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    project = tmp_path / "alba"
    made = process("init", str(project), "--client", "Muebles Alba S.L.", "--collect-url", url)
    assert made.returncode == 0, made.stderr
    options = plugin_options(project / "mkdocs.yml")
    token = options["collect_token"]
    assert options["collect_url"] == url and isinstance(token, str)
    assert f"loyalty-audit collect {project} --port {port} --token {token}" in made.stdout

    built = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert built.returncode == 0, built.stderr

    collect = subprocess.Popen([sys.executable, "-m", "audit", "collect", ".", "--port", str(port)], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert collect.stdout is not None
        said = []
        while not said or "collect_token:" not in said[-1]:
            line = collect.stdout.readline()
            assert line, f"the server stopped: {collect.communicate()[1]}"
            said.append(line)
        announcement = "".join(said)
        assert "the token is the project's (collect_token in mkdocs.yml)" in announcement
        assert f"collect_url: {url}\n" in announcement and f"collect_token: {token}\n" in announcement

        site = (project / "site").as_uri() + "/"  # the built site opened from the consultant's disk
        sent = {}
        for department, (section, given) in zip(("sales", "marketing"), answers_for(2), strict=True):
            ident, held = respond_and_send(browser, site, project / "answers", department, section, given)
            sent[ident] = (department, held)
        assert len(sent) == 2

        collect.send_signal(signal.SIGTERM)
        out, err = collect.communicate(timeout=60)
    finally:
        if collect.poll() is None:
            collect.kill()
            collect.communicate()
    assert collect.returncode == 0, err
    assert "stopped; the answers are in answers/" in out
    assert sum(" 201 POST /responses" in line for line in err.splitlines()) == 2, err

    answers = project / "answers"
    assert sorted(p.name for p in answers.glob("*.json")) == sorted(f"web-{i}.json" for i in sent)
    for ident, (department, held) in sent.items():
        data = json.loads((answers / f"web-{ident}.json").read_text(encoding="utf-8"))
        assert data["respondent"]["department"] == department and data["answers"] == held["answers"]

    scored = process("score", "--format", "json", "answers/", cwd=project)
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    assert set(result["departments"]) == {"sales", "marketing"}

    # the team page, given the two files that arrived, shows what score shows
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(site + "team.html")
        tab.set_input_files("[data-team-files]", [str(answers / f"web-{i}.json") for i in sent])
        tab.wait_for_function("() => document.querySelectorAll('[data-team-list] li.is-used').length === 2")
        lang = page_lang(tab)
        assert tab.inner_text("[data-team-score=overall]") == shown(result["overall"]["score"], lang)
        for kind, nodes in (("area", result["areas"]), ("section", result["sections"])):
            for ident, node in nodes.items():
                assert tab.inner_text(f'[data-team-score="{kind}:{ident}"]') == shown(node["score"], lang)
        screenshot(tab, "collect-flow-team")
    finally:
        context.close()

    reported = process("report", "--batch", ".", cwd=project)
    assert reported.returncode == 0, reported.stderr
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(project / "report.pdf").pages)
    assert "Muebles Alba S.L." in text and shown(result["overall"]["score"], "es") in text  # the project's language
