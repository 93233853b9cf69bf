"""Fixtures of the site tests: built sites, a local web server, and a headless Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from site_support import CHROMIUM, CHROMIUM_ARGS, ROOT, V2_BANK, made_once, mkdocs_build, served


def _build_default_site(folder: Path) -> None:
    run = mkdocs_build(ROOT / "mkdocs.yml", folder / "site")
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site (mkdocs.yml, the default bank), built once for the whole run."""
    return made_once(tmp_path_factory, "default-site", _build_default_site) / "site"


@pytest.fixture(scope="session")
def http_url(default_site: Path) -> Iterator[str]:
    """The built site served by a local web server on a free port."""
    with served(default_site) as port:
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is needed for the site tests (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Any) -> Iterator[Any]:
    chromium = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(params=["http", "file"])
def base_url(request: pytest.FixtureRequest, default_site: Path) -> str:
    """The site's root, once from the web server and once opened from disk."""
    if request.param == "http":
        return str(request.getfixturevalue("http_url"))
    return default_site.as_uri() + "/"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (empty localStorage) for each test; fails on script errors."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield tab
        assert not errors, errors
    finally:
        context.close()


def _build_v2_site(work: Path) -> None:
    (work / "docs").mkdir()
    config = work / "mkdocs.yml"
    config.write_text(f"site_name: Test\ndocs_dir: docs\nuse_directory_urls: false\ntheme:\n  name: material\n"
                      f"  font: false\nplugins:\n  - loyalty-audit:\n      bank: {json.dumps(str(V2_BANK))}\n",
                      encoding="utf-8")
    run = mkdocs_build(config, work / "site")
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="session")
def v2_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of the v2 bank of the vectors (min_group 2, min_coverage 0.6), built once, served."""
    work = made_once(tmp_path_factory, "v2-site", _build_v2_site)
    with served(work / "site") as port:
        yield f"http://127.0.0.1:{port}/"
