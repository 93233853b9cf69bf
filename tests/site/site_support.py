"""Helpers shared by the site tests (fixtures live in conftest.py)."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
SCREENSHOTS = Path(os.environ.get("LOYALTY_AUDIT_SCREENSHOTS", "/tmp/loyalty-audit-screens"))


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``config`` into ``site``, as a user would run it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          cwd=config.parent, capture_output=True, text=True, env=env, timeout=600, check=False)


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server that does not log every request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def screenshot(tab: Any, name: str, full_page: bool = True) -> None:
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
