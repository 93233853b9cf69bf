"""A real ``mkdocs build --strict`` of the default bank and of the mini bank."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from site_support import ROOT, mkdocs_build, page_data

from audit.model import kind_of
from audit.read.bank import load_bank
from audit.site.pages import kinds_json


def payload(page: Path) -> dict[str, object]:
    """What the page's script gets: its language's data file, as a browser runs it."""
    return page_data(page)


def _config(tmp_path: Path, bank: Path, extra: str = "") -> Path:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
                      f"plugins:\n  - loyalty-audit:\n      bank: {json.dumps(str(bank))}\n{extra}",
                      encoding="utf-8")
    return config


def test_default_site_builds_with_every_page(default_site: Path) -> None:
    bank = load_bank(ROOT / "questions")
    for prefix, lang in (("", "es"), ("en/", "en")):
        for name in ("index", "about", "results", "team"):
            page = default_site / f"{prefix}{name}.html"
            text = page.read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in text
            assert payload(page)["lang"] == lang
        for area in bank.areas:
            for section in area.sections:
                page = default_site / f"{prefix}{area.id}/{section.id}.html"
                text = page.read_text(encoding="utf-8")
                for q in section.questions:
                    assert f'data-question="{q.id}" data-answer="{kind_of(q).answer}"' in text
                    assert f'data-comment="{q.id}"' in text
                assert f'data-score="section:{section.id}"' in text
    about = (default_site / "about.html").read_text(encoding="utf-8")
    for hook in ('data-respondent="organisation"', 'data-respondent="name"', 'data-respondent="department"',
                 'data-profile="channel"', 'data-profile="market"'):
        assert hook in about
    results = (default_site / "results.html").read_text(encoding="utf-8")
    assert 'data-action="export"' in results and 'data-action="import"' in results
    assert results.count('data-score="overall"') == 1
    for area in bank.areas:
        assert f'data-score="area:{area.id}"' in results
    # one script and one stylesheet of ours, nothing from another site
    assert (default_site / "assets/loyalty-audit/loyalty-audit.js").is_file()
    assert (default_site / "assets/loyalty-audit/loyalty-audit.css").is_file()
    assert not re.search(r'(src="(https?:)?//|<link[^>]+href="(https?:)?//)', results)


def test_payload_is_the_bank_in_the_page_language(default_site: Path) -> None:
    bank = load_bank(ROOT / "questions")
    dump = bank.model_dump(mode="json", by_alias=True)
    data = payload(default_site / "en" / "results.html")
    sent = data["bank"]
    assert isinstance(sent, dict)
    assert sent["id"] == dump["id"] and sent["version"] == dump["version"]
    assert sent["title"] == {"en": dump["title"]["en"]}
    assert sent["areas"][0]["sections"][0]["questions"][0]["options"] == [
        {**o, "label": {"en": o["label"]["en"]}, "help": {"en": o["help"]["en"]} if o["help"] else None}
        for o in dump["areas"][0]["sections"][0]["questions"][0]["options"]]
    first = dump["areas"][0]["sections"][0]["questions"][0]
    assert first["evidence"]
    assert "evidence" not in sent["areas"][0]["sections"][0]["questions"][0]  # for the auditor only
    assert sent["min_coverage"] == dump["min_coverage"] and sent["min_group"] == dump["min_group"]
    assert [lv["from"] for lv in sent["levels"]] == [lv["from"] for lv in dump["levels"]]
    # the script knows question types only through this table; it adds floats one way only
    assert data["kinds"] == kinds_json() == json.loads((ROOT / "tests/vectors/kinds.json").read_text(encoding="utf-8"))
    assert "sum" not in data


def test_language_links_go_to_the_same_page(default_site: Path) -> None:
    text = (default_site / "en" / "back_office" / "payment.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)" class="md-select__link"', text))
    assert links == {"../../back_office/payment.html": "es", "payment.html": "en"}
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', text)
    assert "Payment options" in nav and "Formas de pago" not in nav


def test_mini_bank_site_with_directory_urls(tmp_path: Path) -> None:
    config = _config(tmp_path, ROOT / "tests" / "data" / "mini")
    run = mkdocs_build(config, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    site = tmp_path / "site"
    for page in ("index.html", "about/index.html", "a/s1/index.html", "a/s2/index.html", "b/s3/index.html",
                 "results/index.html", "team/index.html"):
        assert (site / page).is_file(), page
    text = (site / "a" / "s2" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in text
    assert "md-select__link" not in text  # one language: no language menu
    assert """data-applies-if='{"channel": ["web", "both"]}'""" in text
    data = payload(site / "a" / "s2" / "index.html")
    assert data["pages"] == {"home": "./", "about": "about/", "finish": "finish/", "results": "results/",
                             "team": "team/",
                             "sections": {"s1": "a/s1/", "s2": "a/s2/", "s3": "b/s3/"}}


def test_bank_text_is_escaped(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(ROOT / "tests" / "data" / "mini", bank)
    area = bank / "a.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("title: Section 1", 'title: "S1 <b>bold</b> & co"')
                    .replace("text: Question 1", 'text: "Q1 <img src=x onerror=alert(1)>"'), encoding="utf-8")
    run = mkdocs_build(_config(tmp_path, bank), tmp_path / "site")
    assert run.returncode == 0, run.stderr
    text = (tmp_path / "site" / "a" / "s1" / "index.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" not in text and "<img src=x" not in text
    assert "S1 &lt;b&gt;bold&lt;/b&gt; &amp; co" in text
    assert html.escape("Q1 <img src=x onerror=alert(1)>", quote=False) in text


def test_a_bank_error_fails_the_build_like_the_cli(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(ROOT / "tests" / "data" / "mini", bank)
    area = bank / "a.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("weight: 2\n        effort: low",
                                                             "wieght: 2\n        effort: low"), encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "audit", "validate", "bank"], cwd=tmp_path, capture_output=True,
                         text=True, check=False)
    assert cli.returncode == 2
    problems = cli.stderr.strip().splitlines()
    assert problems and all(line.startswith("bank/a.yaml:11: ") for line in problems), problems
    run = mkdocs_build(_config(tmp_path, bank), tmp_path / "site")
    assert run.returncode != 0
    for line in problems:
        assert line in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, ROOT / "tests" / "data" / "mini", "      language: fr\n")
    run = mkdocs_build(config, tmp_path / "site")
    assert run.returncode != 0
    assert "language fr is not one of the bank's; expected some of: en" in run.stderr


def test_a_subset_of_pages_and_a_disabled_plugin(tmp_path: Path) -> None:
    config = _config(tmp_path, ROOT / "tests" / "data" / "mini", "      pages: [sections, results]\n")
    (tmp_path / "docs" / "index.md").write_text("# Our own home page\n", encoding="utf-8")
    run = mkdocs_build(config, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    site = tmp_path / "site"
    assert "Our own home page" in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "team").exists() and not (site / "about").exists()
    assert (site / "results" / "index.html").is_file() and (site / "b" / "s3" / "index.html").is_file()
    off = tmp_path / "off"
    off.mkdir()
    config = _config(off, ROOT / "tests" / "data" / "mini", "      enabled: false\n")
    (off / "docs" / "index.md").write_text("# Plain\n", encoding="utf-8")
    run = mkdocs_build(config, off / "site")
    assert run.returncode == 0, run.stderr
    assert not (off / "site" / "results").exists()
    assert "loyalty-audit" not in (off / "site" / "index.html").read_text(encoding="utf-8")
