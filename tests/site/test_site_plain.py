"""``loyalty-audit site``: the site as a plain project, built by MkDocs and by Zensical without our plugin."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_support import DATA_TAG, ROOT, QuietHandler, made_once, mkdocs_build, page_data, screenshot
from test_site_browser import assert_page_shows, cli_scores

from audit.read.bank import load_bank
from audit.site.pages import PAGE_KINDS
from tests.conftest import cli

BANK = load_bank(ROOT / "questions")


def _make_project(folder: Path) -> None:
    root = folder / "project"
    ran = cli("site", "-o", str(root))
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"wrote {root}/ (")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``loyalty-audit site -o FOLDER`` writes, made once for the whole run."""
    return made_once(tmp_path_factory, "plain-project", _make_project) / "project"


def _build(project: Path, work: Path) -> None:
    run = mkdocs_build(project / "mkdocs.yml", work / "mkdocs")
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr
    run = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "--clean"], cwd=project,
                         capture_output=True, text=True, timeout=600, check=False,
                         env={**os.environ, "NO_COLOR": "1"})
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="module")
def builds(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The project built by ``mkdocs build --strict`` and by ``zensical build --strict`` (into the
    project's site/), once for the whole run."""
    work = made_once(tmp_path_factory, "plain-builds", functools.partial(_build, project))
    return {"mkdocs": work / "mkdocs", "zensical": project / "site"}


def test_project_is_plain_pages_and_assets(project: Path) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == []
    assert config["use_directory_urls"] is False
    assert config["theme"]["palette"][1]["scheme"] == "slate"
    assert config["extra_javascript"] == ["assets/loyalty-audit/loyalty-audit.js"]
    docs = project / "docs"
    for lang in BANK.languages:
        assert (docs / f"assets/loyalty-audit/loyalty-audit-data.{lang}.js").is_file()
    for prefix in ("", "en/"):
        for name in ("index", "about", "finish", "results", "team"):
            assert (docs / f"{prefix}{name}.md").is_file()
        for area, section in BANK.sections():
            assert (docs / f"{prefix}{area.id}/{section.id}.md").is_file()
    # the very pages the plugin builds: its Markdown, then the data tag
    text = (docs / "en" / "back_office" / "delivery.md").read_text(encoding="utf-8")
    assert DATA_TAG.findall(text) == [("en", "../../assets/loyalty-audit/loyalty-audit-data.en.js")]


def test_mkdocs_and_zensical_build_the_same_pages(builds: dict[str, Path]) -> None:
    pages = {name: sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
             for name, site in builds.items()}
    assert pages["mkdocs"] == pages["zensical"]
    assert len(pages["mkdocs"]) == 2 * (len(PAGE_KINDS) - 1 + len(BANK.sections()))  # "sections": one page a section
    for page in pages["mkdocs"]:
        texts = {name: (site / page).read_text(encoding="utf-8") for name, site in builds.items()}
        for hook in ("data-question=", "data-score=", "data-action=", "data-la-page="):
            assert texts["mkdocs"].count(hook) == texts["zensical"].count(hook), (page, hook)
        assert len(DATA_TAG.findall(texts["zensical"])) == 1, page
        assert 'src="' in texts["zensical"] and "assets/loyalty-audit/loyalty-audit.js" in texts["zensical"]
    assert page_data(builds["zensical"] / "en" / "results.html")["lang"] == "en"
    assert page_data(builds["zensical"] / "results.html") == page_data(builds["mkdocs"] / "results.html")


def test_site_refuses_a_folder_in_use_and_an_unknown_language(tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("mine", encoding="utf-8")
    ran = cli("site", "-o", str(used))
    assert ran.returncode == 2
    assert ran.stderr == (f"{used}:1: this folder is not empty; expected a new or empty folder, "
                          "so that nothing in it is overwritten\n")
    assert [p.name for p in used.iterdir()] == ["notes.txt"]
    ran = cli("site", "--lang", "fr", "-o", str(tmp_path / "new"))
    assert ran.returncode == 2
    assert "--lang fr: the bank has no texts in it; expected some of its languages: es, en" in ran.stderr
    assert ":" in ran.stderr.split(" ")[0] and not (tmp_path / "new").exists()


def test_site_with_one_language_and_another_bank(tmp_path: Path) -> None:
    ran = cli("site", "--bank", str(ROOT / "tests" / "data" / "mini"), "--lang", "en", "-o", str(tmp_path / "p"))
    assert ran.returncode == 0, ran.stderr
    config = yaml.safe_load((tmp_path / "p" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "extra" not in config and "not_in_nav" not in config  # one language: no menu
    run = mkdocs_build(tmp_path / "p" / "mkdocs.yml", tmp_path / "site")
    assert run.returncode == 0, run.stderr
    assert page_data(tmp_path / "site" / "a" / "s1.html")["bank"]["id"] == "mini"


def _answer_section(tab: Any) -> int:
    """Choose the second option of every single-choice question shown on this page."""
    count = 0
    for field in tab.locator('[data-answer="single"]').all():
        if field.is_visible():
            field.locator("input[type=radio]").nth(1).check()
            count += 1
    return count


@pytest.fixture(params=["zensical", "mkdocs"])
def served(request: pytest.FixtureRequest, builds: dict[str, Path]) -> Iterator[tuple[str, str]]:
    """(builder, root URL): one build served by a local web server (Zensical's own script asks
    the server for its search index, which a page from file:// may not read)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(builds[request.param])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield request.param, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_plain_site_answered_end_to_end(served: tuple[str, str], page: Any, tmp_path: Path) -> None:
    builder, url = served
    page.goto(url + "index.html")
    first = next(s for _, s in BANK.sections() if not s.applies_if)
    area = next(a for a, s in BANK.sections() if s is first)
    page.goto(url + f"{area.id}/{first.id}.html")
    answered = _answer_section(page)
    assert answered > 1
    page.fill(f'[data-comment="{first.questions[0].id}"]', "Checked <b>weekly</b>.")
    assert page.inner_text(f'[data-progress="section:{first.id}"]').startswith(f"{answered} ")
    screenshot(page, f"plain-{builder}-section", full_page=False)
    page.goto(url + "results.html")
    with page.expect_download() as info:
        page.click("[data-action=export]")
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert len(data["answers"]) == answered
    assert data["comments"] == {first.questions[0].id: "Checked <b>weekly</b>."}
    result = cli_scores([exported])
    assert result["sections"][first.id]["score"] is not None
    assert assert_page_shows(page, result) == 1 + len(result["areas"]) + len(result["sections"])
    screenshot(page, f"plain-{builder}-results")
