"""The site's weight: the bank once per language, not in every page, and a size linear in the bank."""

from __future__ import annotations

import functools
import html
import json
import re
import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from site_support import DATA_TAG, ROOT, QuietHandler, mkdocs_build, page_data

from audit.model import text_of
from audit.read.bank import load_bank

KIB = 1024


def _files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file()]


def test_every_page_loads_its_language_data_once_and_carries_no_bank(default_site: Path) -> None:
    bank = load_bank(ROOT / "questions")
    pages = sorted(default_site.rglob("*.html"))
    assert len(pages) > 40
    # words of the bank that only its JSON holds: a rule's title and a question's suggestion
    rule = bank.rules[0].title
    only_json = [json.dumps(rule[lang] if isinstance(rule, dict) else rule, ensure_ascii=False)
                 for lang in bank.languages]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size <= 60 * KIB, (page, page.stat().st_size)
        assert '"kinds":' not in text and 'type="application/json" id="loyalty-audit-data"' not in text, page
        assert not [words for words in only_json if words in text], page
        if page.name == "404.html":
            continue
        found = DATA_TAG.findall(text)
        assert len(found) == 1, page
        lang, src = found[0]
        assert (page.parent / src).resolve() == (default_site / f"assets/loyalty-audit/loyalty-audit-data.{lang}.js")
    data = sorted(p.name for p in (default_site / "assets" / "loyalty-audit").glob("loyalty-audit-data.*.js"))
    assert data == sorted(f"loyalty-audit-data.{lang}.js" for lang in bank.languages)
    # the data file gives the page exactly the payload: the bank in one language, words, kinds
    es, en = page_data(default_site / "results.html"), page_data(default_site / "en" / "results.html")
    assert (es["lang"], en["lang"]) == ("es", "en")
    assert es["bank"]["rules"][0]["title"] == {"es": rule["es"]} and en["strings"] != es["strings"]


def test_default_site_is_under_one_and_a_half_mib(default_site: Path) -> None:
    total = sum(p.stat().st_size for p in _files(default_site))
    assert total < 1.5 * 1024 * KIB, total
    # what weighed most: a scale's option help under every question that uses it (now in the
    # data file, once per language) and the script's comments (the site's copy is minified)
    bank = load_bank(ROOT / "questions")
    helps = {text_of(o.help, lang) for scale in bank.scales.values() for o in scale if o.help
             for lang in bank.languages}
    assert helps
    for page in default_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not [h for h in helps if html.escape(h, quote=False) in text], page
    script = (default_site / "assets" / "loyalty-audit" / "loyalty-audit.js").read_text(encoding="utf-8")
    source = (ROOT / "templates" / "site" / "assets" / "loyalty-audit.js").read_text(encoding="utf-8")
    assert "/*" in source and "/*" not in script and len(script) < 0.8 * len(source)


def test_no_search_assets_or_source_maps(default_site: Path) -> None:
    names = [p.relative_to(default_site).as_posix() for p in _files(default_site)]
    assert not [n for n in names if n.endswith(".map") or "/lunr/" in n or "/workers/" in n or n.startswith("search/")]
    assert [n for n in names if re.fullmatch(r"assets/javascripts/bundle\.\w+\.min\.js", n)]


def test_404_page_links_are_relative(default_site: Path) -> None:
    text = (default_site / "404.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="([^"]+)"', text)
    assert links and not [link for link in links if link.startswith("/")], links
    assert "./assets/loyalty-audit/loyalty-audit.css" in links


def _bank(folder: Path, sections: int) -> Path:
    """A bank of ``sections`` sections of 8 scale questions each, in two languages."""
    folder.mkdir(parents=True)
    secs = [{"id": f"s{s}", "title": {"en": f"Section {s}", "es": f"Sección {s}"},
             "questions": [{"id": f"q{s}-{q}", "scale": "four",
                            "text": {"en": f"Is thing {q} of section {s} done well, every week, by someone?",
                                     "es": f"¿Se hace bien la cosa {q} de la sección {s}, cada semana?"},
                            "suggestion": {"en": "Do it every week.", "es": "Hágalo cada semana."}}
                           for q in range(8)]} for s in range(sections)]
    (folder / "area.yaml").write_text(json.dumps({"id": "a", "title": {"en": "Area", "es": "Área"},
                                                  "sections": secs}), encoding="utf-8")
    scale = [{"key": str(k), "label": {"en": f"Level {k}", "es": f"Nivel {k}"}, "score": k / 3,
              "help": {"en": f"What level {k} looks like, in a sentence or two.",
                       "es": f"Cómo es el nivel {k}, en una o dos frases."}} for k in range(4)]
    (folder / "bank.yaml").write_text(json.dumps({
        "id": "grow", "version": "1", "languages": ["en", "es"], "title": {"en": "Growing", "es": "Creciente"},
        "scales": {"four": scale}, "levels": [{"key": "low", "from": 0, "label": {"en": "Low", "es": "Bajo"}}],
        "departments": [{"key": "d", "label": {"en": "D", "es": "D"}}], "areas": ["area.yaml"]}), encoding="utf-8")
    return folder


def _site_size(tmp_path: Path, sections: int) -> int:
    bank = _bank(tmp_path / f"bank{sections}", sections)
    work = tmp_path / f"site{sections}"
    (work / "docs").mkdir(parents=True)
    config = work / "mkdocs.yml"
    config.write_text(f"site_name: Test\ndocs_dir: docs\nuse_directory_urls: false\n"
                      f"theme:\n  name: material\n  font: false\n"
                      f"plugins:\n  - loyalty-audit:\n      bank: {json.dumps(str(bank))}\n", encoding="utf-8")
    run = mkdocs_build(config, work / "site")
    assert run.returncode == 0, run.stderr
    pages = list((work / "site").rglob("*.html"))
    assert max(p.stat().st_size for p in pages) <= 60 * KIB
    return sum(p.stat().st_size for p in _files(work / "site"))


def test_site_size_is_linear_in_the_bank(tmp_path: Path) -> None:
    # pages x bank would grow four times as fast from 8 to 16 sections as from 4 to 8; a site
    # linear in the bank grows twice as fast (twice as many sections added)
    small, medium, large = (_site_size(tmp_path, n) for n in (4, 8, 16))
    first, second = medium - small, large - medium
    assert first > 0
    assert 1.8 * first <= second <= 2.2 * first, (small, medium, large)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_instant_navigation_into_another_language_gets_that_language_data(tmp_path: Path, page: Any) -> None:
    # Material's instant navigation swaps the page without reloading: the English page must
    # still set up with the English bank and words
    port = _free_port()
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\nsite_url: http://127.0.0.1:{port}/\ndocs_dir: docs\n"
                      "use_directory_urls: false\ntheme:\n  name: material\n  font: false\n"
                      "  features: [navigation.instant]\n"
                      f"plugins:\n  - loyalty-audit:\n      bank: {json.dumps(str(ROOT / 'questions'))}\n",
                      encoding="utf-8")
    run = mkdocs_build(config, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(QuietHandler, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{port}/back_office/delivery.html")
        assert page.evaluate("() => [LoyaltyAudit.ui.lang, Object.keys(window.LoyaltyAuditData)]") == ["es", ["es"]]
        page.evaluate("() => { window.sameDocument = true; }")
        page.hover(".md-select")
        page.click(".md-select__link[hreflang=en]")
        page.wait_for_url("**/en/back_office/delivery.html")
        page.wait_for_function("() => LoyaltyAudit.ui.lang === 'en'")
        assert page.evaluate("() => window.sameDocument") is True  # no reload: instant navigation
        assert page.evaluate("() => LoyaltyAudit.ui.bank.title") == {"en": "Customer loyalty audit"}
        assert page.inner_text("[data-la-bar] [data-progress=overall]").startswith("0 of ")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
