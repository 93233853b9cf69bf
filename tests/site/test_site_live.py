"""The site under Material's instant navigation, and ``mkdocs serve`` rebuilding on a bank change."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_support import ROOT, QuietHandler, mkdocs_build, screenshot

from audit.model import kind_of
from audit.read.bank import load_bank


@pytest.fixture(scope="module")
def instant_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The default site built with navigation.instant (which needs site_url) and served."""
    work = tmp_path_factory.mktemp("instant")
    site = work / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = work / "mkdocs.yml"
    data = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    data.update(docs_dir=str(ROOT / "site_docs"), site_url=url)
    data["plugins"][0]["loyalty-audit"]["bank"] = str(ROOT / "questions")
    data["theme"]["features"] = [*data["theme"].get("features", []), "navigation.instant"]
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = mkdocs_build(config, site)
    assert run.returncode == 0, run.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_script_survives_instant_navigation(page: Any, instant_url: str) -> None:
    page.goto(instant_url + "about.html")
    page.check('[data-profile="channel"] input[value="online"]')
    page.evaluate("() => { window.stillHere = true; }")
    page.click("a.md-nav__link[href$='results.html']")
    page.wait_for_selector("[data-la-page=results]")
    skip = page.locator("[data-la-skip]")  # each page's own, in the theme's skip slot
    assert skip.count() == 1 and skip.evaluate("a => a.href") == instant_url + "results.html#la-title"
    assert page.locator('[data-md-component="skip"] [data-la-skip]').count() == 1
    page.click(".la-table a[href$='back_office/payment.html']")
    page.wait_for_url("**/back_office/payment.html")
    page.wait_for_selector('[data-la-page][data-section="payment"]')
    assert page.evaluate("() => window.stillHere") is True  # no full page load
    first = page.locator("[data-la-q]:not([hidden])").first.get_attribute("id")
    assert skip.count() == 1 and skip.evaluate("a => a.href") == instant_url + f"back_office/payment.html#{first}"
    assert page.locator('[data-md-component="skip"] [data-la-skip]').count() == 1
    assert page.locator("a.md-nav__link[href$='storefront_physical.html']").is_hidden()
    page.check('[data-question="bo-payment-friction"] input[value="4"]')
    assert page.inner_text('[data-score="section:payment"]') == "100,0"
    bank = load_bank(ROOT / "questions")
    payment = [q for _, s, q in bank.questions() if s.id == "payment" and kind_of(q).scored]
    assert page.inner_text('[data-progress="section:payment"]') == f"1 de {len(payment)}"
    page.click("a.md-nav__link[href$='results.html']")
    page.wait_for_selector("[data-la-page=results]")
    assert page.evaluate("() => window.stillHere") is True
    assert page.inner_text('[data-score="section:payment"]') == "100,0"
    assert page.locator("[data-la-list=recommendations] li").count() == 0
    page.go_back()
    page.wait_for_selector('[data-la-page][data-section="payment"]')
    assert page.is_checked('[data-question="bo-payment-friction"] input[value="4"]')
    page.click('[data-question="bo-payment-friction"] [data-action=clear]')
    assert page.inner_text('[data-score="section:payment"]') == "—"
    screenshot(page, "instant-navigation", full_page=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str, limit: float = 60) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        body = _get(url)
        if body is not None and text in body:
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_the_bank_changes(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(ROOT / "tests" / "data" / "mini", bank)
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Serve\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
                      "plugins:\n  - loyalty-audit:\n      bank: bank\n", encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(server.stderr.readline, "")) if server.stderr else None,
                              daemon=True)
    reader.start()
    try:
        page = f"http://127.0.0.1:{port}/a/s1/"
        assert _wait_for(page, "Section 1"), "mkdocs serve did not come up"
        area = bank / "a.yaml"
        area.write_text(area.read_text(encoding="utf-8").replace("title: Section 1", "title: Section One"),
                        encoding="utf-8")
        assert _wait_for(page, "Section One"), "no rebuild after the bank changed"
        area.write_text(area.read_text(encoding="utf-8").replace("weight: 2\n", "wieght: 2\n", 1), encoding="utf-8")
        end = time.monotonic() + 60
        while time.monotonic() < end and not any("unknown key 'wieght'" in line for line in log):
            time.sleep(0.3)
        errors = [line for line in log if "wieght" in line]
        assert errors and errors[0].split(" -  ", 1)[1].startswith("bank/a.yaml:3: unknown key 'wieght'"), log
        # mkdocs serve holds requests while the build fails; mending the bank brings the site back
        area.write_text(area.read_text(encoding="utf-8").replace("wieght: 2\n", "weight: 2\n")
                        .replace("title: Section One", "title: Section Uno"), encoding="utf-8")
        assert _wait_for(page, "Section Uno"), "no rebuild after the bank was mended"
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)
        if server.stderr:
            server.stderr.close()
