"""Helpers shared by the site tests (fixtures live in conftest.py)."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
V2_BANK = ROOT / "tests" / "vectors" / "v2-bank"
# where the site tests leave a screenshot of each page they look at, when asked (a folder in
# LOYALTY_AUDIT_SCREENSHOTS): pictures to look at, not checks, each as costly as a page load
SCREENSHOTS = Path(os.environ["LOYALTY_AUDIT_SCREENSHOTS"]) if os.environ.get("LOYALTY_AUDIT_SCREENSHOTS") else None


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``config`` into ``site``, as a user would run it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          cwd=config.parent, capture_output=True, text=True, env=env, timeout=600, check=False)


def made_once(tmp_path_factory: Any, name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``name`` of this test run, filled by ``make(folder)`` the first time it is asked
    for: under pytest-xdist, by the first worker that asks, the others waiting for it (a lock in
    the run's temporary folder, which the workers share). Tests read it and leave it as it is."""
    root: Path = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # the run's folder, that of each worker's
    folder = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f"{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"{name}.made").touch()
    return folder


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server that does not log every request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[int]:
    """``folder`` served by a local web server on a free port of 127.0.0.1: the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def with_axe(context: Any) -> Any:
    """``context`` with axe-core (the script axe_playwright_python ships) loaded into each of its
    pages as they open, so that :func:`axe_violations` need not evaluate it anew on each call."""
    from axe_playwright_python.base import AXE_FILE_PATH

    context.add_init_script(path=str(AXE_FILE_PATH))
    return context


# true once no CSS transition or animation of the page runs (Material eases colours in on hover
# and the header's title in as the page scrolls)
ANIMATIONS_DONE = "() => document.getAnimations().every(a => a.playState !== 'running')"


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page once its transitions are over: what
    ``Axe().run(tab).response["violations"]`` of axe_playwright_python gives (the same script,
    the same options), the script evaluated here only when the page's context was not made
    :func:`with_axe`."""
    from axe_playwright_python.base import AXE_SCRIPT
    from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS

    if not tab.evaluate("() => typeof window.axe === 'object'"):
        tab.evaluate(AXE_SCRIPT)
    tab.wait_for_function(ANIMATIONS_DONE)
    violations: list[dict[str, Any]] = tab.evaluate("options => axe.run(options)", DEFAULT_OPTIONS)["violations"]
    return violations


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations axe rates serious or critical."""
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def screenshot(tab: Any, name: str, full_page: bool = True) -> None:
    """A screenshot of ``tab`` as ``name``.png in SCREENSHOTS, when screenshots are asked for."""
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


DATA_TAG = re.compile(r'<script id="loyalty-audit-data" data-lang="([^"]+)" src="([^"]+)"></script>')
# the data file run as a browser runs it, then its language's entry printed as JSON
_READ_DATA = ("global.window = {}; require(process.argv[1]); "
              "process.stdout.write(JSON.stringify(window.LoyaltyAuditData[process.argv[2]]));")


def page_data(page: Path) -> dict[str, Any]:
    """The data a built page loads (bank, kinds, words): its one data tag's file, run by node."""
    found = DATA_TAG.findall(page.read_text(encoding="utf-8"))
    assert len(found) == 1, page
    lang, src = found[0]
    return data_file(str((page.parent / src).resolve()), lang)


@functools.lru_cache(maxsize=64)
def data_file(path: str, lang: str) -> dict[str, Any]:
    run = subprocess.run(["node", "-e", _READ_DATA, path, lang], capture_output=True, text=True, check=True,
                         timeout=60)
    data: dict[str, Any] = json.loads(run.stdout)
    return data
