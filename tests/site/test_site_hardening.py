"""Hardening of the site: storage that fails, a title with ``&``, links told apart without colour."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from site_support import ROOT, axe_violations, mkdocs_build

DEMO = ROOT / "tests" / "vectors" / "cases" / "default-demo"
MESSAGES = yaml.safe_load((ROOT / "templates" / "site" / "messages.yaml").read_text(encoding="utf-8"))
KEY = "loyalty-audit:"

FULL_STORAGE = """
Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""


def ours(tab: Any) -> dict[str, str]:
    found: dict[str, str] = tab.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")
    return {k: v for k, v in found.items() if k.startswith(KEY)}


# -- 16: storage that fails ------------------------------------------------------------------

def test_full_storage_is_told_refuses_an_import_and_loses_nothing(page: Any, http_url: str) -> None:
    es = {k: v["es"] for k, v in MESSAGES.items()}
    page.goto(http_url + "about.html")
    page.fill('input[data-respondent="organisation"]', "Muebles Guardados")
    saved = ours(page)
    assert len(saved) == 1 and json.loads(next(iter(saved.values())))["organisation"] == "Muebles Guardados"

    page.add_init_script(FULL_STORAGE)
    page.goto(http_url + "about.html")
    assert page.input_value('input[data-respondent="organisation"]') == "Muebles Guardados"
    page.fill('input[data-respondent="organisation"]', "Muebles Perdidos")
    notice = page.locator("[data-la-notice]")
    assert notice.is_visible()
    assert notice.inner_text() == es["storage_full"]
    assert ours(page) == saved

    page.goto(http_url + "results.html")
    page.evaluate("() => document.querySelectorAll('[data-la-status]').forEach(n => { n.textContent = ''; })")
    page.set_input_files("[data-action=import]", str(DEMO / "02-marketing.json"))
    page.wait_for_function("() => document.querySelector('[data-la-status]').textContent.length > 0")
    expected = es["import_refused"].format(file="02-marketing.json", reason=es["storage_full_reason"])
    assert page.inner_text("[data-la-status]") == expected
    assert "is-error" in (page.get_attribute("[data-la-status]", "class") or "")
    assert ours(page) == saved
    # the refused answers are not shown as if they were kept
    assert page.evaluate("() => document.querySelector('[data-score=overall]').textContent") == "—"

    # a fresh tab with working storage still has what was saved before
    other = page.context.new_page()
    try:
        other.goto(http_url + "about.html")
        assert other.input_value('input[data-respondent="organisation"]') == "Muebles Guardados"
        assert ours(other) == saved
        assert other.locator("[data-la-notice]").is_hidden()
    finally:
        other.close()


def test_full_storage_notice_is_in_english_on_english_pages(page: Any, http_url: str) -> None:
    page.add_init_script(FULL_STORAGE)
    page.goto(http_url + "en/about.html")
    page.fill('input[data-respondent="organisation"]', "Furniture & Co")
    assert page.inner_text("[data-la-notice]") == MESSAGES["storage_full"]["en"]
    assert ours(page) == {}


# -- 17: the site name is escaped once ----------------------------------------------------------

def test_a_title_with_an_ampersand_is_escaped_once(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(ROOT / "tests" / "data" / "mini", bank)
    meta = bank / "bank.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("title: Mini bank", 'title: "Muebles & Co"'),
                    encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
                      f"plugins:\n  - loyalty-audit:\n      bank: {json.dumps(str(bank))}\n", encoding="utf-8")
    run = mkdocs_build(config, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    for page in ("index.html", "a/s1/index.html", "results/index.html"):
        text = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "&amp;amp;" not in text, page
        assert 'title="Muebles &amp; Co"' in text, page
        assert "Muebles & Co" not in text, page
        assert "- Muebles &amp; Co</title>" in text or "<title>Muebles &amp; Co</title>" in text, page


# -- 18: links in text are told apart without colour -----------------------------------------------

def test_not_applicable_notice_passes_axe(page: Any, http_url: str) -> None:
    page.goto(http_url + "about.html")
    page.check('[data-profile="channel"] input[value="online"]')
    page.goto(http_url + "front_office/storefront_physical.html")
    note = page.locator("[data-la-not-applicable]")
    assert note.is_visible()
    decoration = page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-la-not-applicable] a')).textDecorationLine")
    assert "underline" in decoration
    problems = [f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
                for v in axe_violations(page)
                if v["id"] == "link-in-text-block" or v["impact"] in ("serious", "critical")]
    assert not problems, "\n".join(problems)
