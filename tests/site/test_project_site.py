"""A project scaffolded by ``loyalty-audit init`` builds its site with no edits, for its client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from site_support import mkdocs_build
from test_site_build import payload


def test_scaffolded_site_builds_and_fills_in_the_client(tmp_path: Path, page: Any) -> None:
    project = tmp_path / "acme"
    client = "Acme <b>Norte</b> & Sur"
    run = subprocess.run([sys.executable, "-m", "audit", "init", str(project), "--client", client, "--copy-bank"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    site = project / "site"
    built = mkdocs_build(project / "mkdocs.yml", site)
    assert built.returncode == 0, built.stderr
    assert payload(site / "about.html")["organisation"] == client
    assert payload(site / "en" / "about.html")["organisation"] == client

    page.goto((site / "about.html").as_uri())
    assert page.input_value("[data-respondent=organisation]") == client
    assert page.locator("b:text('Norte')").count() == 0
    page.fill("[data-respondent=name]", "Ana")
    page.goto((site / "front_office" / "storefront_physical.html").as_uri())
    page.check('[data-question="fo-shop-window"] input[value="3"]')
    page.goto((site / "results.html").as_uri())
    with page.expect_download() as info:
        page.click("[data-action=export]")
    exported = tmp_path / "ana.json"
    info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["organisation"] == client
    assert data["answers"] == {"fo-shop-window": "3"}
    assert data["respondent"]["name"] == "Ana"
