"""What the report refuses, and what it keeps out: bad input, brand files, templates, URLs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit.errors import InputError
from audit.run.options import Options
from audit.run.report import build_report, default_templates_dir
from audit.write.report.pdf import LockedFetcher, RefusedResource, file_url

from .conftest import cli, process, write_yaml
from .reporting import duo_bank, duo_team, flat, pdftotext, weasyprint_silent  # noqa: F401

INJECTION = "<script>alert('x')</script> <b>bold</b> & </style>"


@pytest.fixture
def duo(tmp_path: Path) -> tuple[Path, Path]:
    return duo_bank(tmp_path / "bank"), duo_team(tmp_path / "team.yaml")


def problems(exc: pytest.ExceptionInfo[InputError], base: Path) -> list[str]:
    return [str(p).replace(str(base) + "/", "") for p in exc.value.problems]


# -- the brand file ---------------------------------------------------------------------

BRAND_CASES = {
    "typo": ("consultancy: Norte\ncolors: {primary: '#123456'}\n",
             ["brand.yaml:2: unknown key 'colors'; did you mean 'colours'? (allowed: consultancy, consultant, "
              "title, subtitle, logo, colours, fonts, footer, dimensions)"]),
    "colour": ("colours:\n  primary: blue\n  accent: '#12345'\n",
               ["brand.yaml:2: colours.primary: 'blue' is not a colour; expected a hex colour such as \"#1d3557\"",
                "brand.yaml:3: colours.accent: '#12345' is not a colour; expected a hex colour such as \"#1d3557\""]),
    "types": ("consultancy: 42\nfonts: {body: {bold: b.ttf}}\n",
              ["brand.yaml:1: consultancy: got 42; expected a text",
               "brand.yaml:2: missing key 'regular' in fonts.body; it is required"]),
    "files": ("logo: missing.png\nfonts:\n  body: {regular: ../outside.ttf}\n  headings: {regular: notes.txt}\n",
              ["brand.yaml:1: logo 'missing.png' not found; expected an existing file relative to brand.yaml",
               "brand.yaml:3: font '../outside.ttf' lies outside the brand file's folder; expected a file in "
               "that folder or below it",
               "brand.yaml:4: font 'notes.txt' is not a supported file; expected one of: .ttf, .otf, .woff, "
               ".woff2"]),
    "bank": ("dimensions: nowhere\ntitle: {es: Hola, fr: Salut}\n",
             ["brand.yaml:1: 'nowhere' is not an area of bank 'duo'; expected one of: front_office, back_office",
              "brand.yaml:2: text in unknown language fr; expected only the bank's languages (es, en)"]),
    "shape": ("- just\n- a list\n",
              ["brand.yaml:1: the file holds a list; expected a mapping of keys to values"]),
}


@pytest.mark.parametrize("case", BRAND_CASES, ids=list(BRAND_CASES))
def test_brand_file_errors(case: str, duo: tuple[Path, Path], tmp_path: Path) -> None:
    text, expected = BRAND_CASES[case]
    brand = tmp_path / "brand" / "brand.yaml"
    brand.parent.mkdir()
    brand.write_text(text, encoding="utf-8")
    (tmp_path / "brand" / "notes.txt").write_text("not a font")
    with pytest.raises(InputError) as exc:
        build_report([duo[1]], Options(bank=duo[0], brand=brand), output=tmp_path / "r.pdf")
    assert problems(exc, brand.parent) == expected
    assert not (tmp_path / "r.pdf").exists()


def test_brand_error_on_the_command_line(duo: tuple[Path, Path], tmp_path: Path) -> None:
    # a real process: bad input is exit status 2 and a line, never a traceback
    brand = write_yaml(tmp_path / "brand.yaml", {"consultancy": "Norte", "wieght": 1})
    done = process("report", "--bank", str(duo[0]), "--brand", str(brand), "-o", str(tmp_path / "r.pdf"),
                   str(duo[1]))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{brand}:2: unknown key 'wieght'")
    assert "Traceback" not in done.stderr


def test_brand_fonts_and_colours_are_used(duo: tuple[Path, Path], tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    (folder / "fonts").mkdir(parents=True)
    font = default_templates_dir() / "fonts" / "LiberationMono-Regular.ttf"
    (folder / "fonts" / "Body.ttf").write_bytes(font.read_bytes())
    brand = write_yaml(folder / "brand.yaml", {
        "consultancy": "Casa & Co", "colours": {"primary": "#7a1f5c"},
        "fonts": {"body": {"regular": "fonts/Body.ttf"}}, "footer": {"es": "Pie propio", "en": "Own footer"}})
    out = tmp_path / "r.pdf"
    build_report([duo[1]], Options(bank=duo[0], brand=brand, lang="en"), output=out)
    reader = PdfReader(out)
    names = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("+Brand-Body") for name in names), names
    assert "Own footer" in pdftotext(out, first=2, last=2)
    content = reader.pages[0].get_contents()
    assert content is not None
    assert b"0.478431 0.121569 0.360784" in content.get_data()  # the cover band in #7a1f5c


# -- templates --------------------------------------------------------------------------

def test_consultant_templates_come_first(duo: tuple[Path, Path], tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "_findings.html.j2").write_text(
        '<section class="findings" id="findings"><h1>{{ t("findings") }}</h1><p>Our own words.</p></section>\n',
        encoding="utf-8")
    write_yaml(mine / "messages.yaml", {"summary": {"es": "Lo esencial", "en": "The essentials"}})
    (mine / "custom.css").write_text(".summary h1 { font-size: 30pt; }\n", encoding="utf-8")
    out = tmp_path / "r.html"  # (the page WeasyPrint would print)
    build_report([duo[1]], Options(bank=duo[0], templates=mine, lang="en"), output=None, html=out)
    page = out.read_text(encoding="utf-8")
    assert "<p>Our own words.</p>" in page and ">The essentials<" in page
    assert "Executive summary" not in page
    assert ">Priority initiatives<" in page  # everything not overridden is the package's
    assert ".summary h1 { font-size: 30pt; }" in page  # the consultant's style sheet, last


@pytest.mark.parametrize(("template", "expected"), [
    ('<img src="http://example.com/logo.png">', "not http URLs"),
    ('<img src="file:///etc/hostname">', "the file lies outside the template and brand folders"),
    ('<img src="../../../../../../../etc/hostname">', "the file lies outside the template and brand folders"),
    ('<link rel="stylesheet" href="https://example.com/x.css">', "not https URLs"),
    ('<img src="nothere.png">', "file not found in the template or brand folders"),
])
def test_templates_cannot_reach_out(template: str, expected: str, duo: tuple[Path, Path], tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "_findings.html.j2").write_text(f'<section id="findings">{template}</section>\n', encoding="utf-8")
    out = tmp_path / "r.pdf"
    out.write_bytes(b"the previous report")
    with pytest.raises(InputError) as exc:
        build_report([duo[1]], Options(bank=duo[0], templates=mine), output=out)
    assert expected in str(exc.value)
    assert out.read_bytes() == b"the previous report"


def test_template_syntax_error_is_an_input_error(duo: tuple[Path, Path], tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "_findings.html.j2").write_text("<p>\n{% if %}\n</p>\n", encoding="utf-8")
    done = cli("report", "--bank", str(duo[0]), "--templates", str(mine), "-o", str(tmp_path / "r.pdf"),
               str(duo[1]))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{mine}/_findings.html.j2:2: template error:")


def test_missing_message_is_an_input_error(duo: tuple[Path, Path], tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "_findings.html.j2").write_text('<p>{{ t("no_such_words") }}</p>\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"no message 'no_such_words' in messages\.yaml"):
        build_report([duo[1]], Options(bank=duo[0], templates=mine), output=tmp_path / "r.pdf")


# -- the URL fetcher --------------------------------------------------------------------

def test_fetcher_serves_the_allowed_folders_only(tmp_path: Path) -> None:
    package = default_templates_dir()
    mine = tmp_path / "mine"
    brand = tmp_path / "brand"
    for folder in (mine, brand):
        folder.mkdir()
    (brand / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    (mine / "link.ttf").symlink_to(tmp_path / "secret.txt")
    fetcher = LockedFetcher([mine, package], [brand])

    served = fetcher.fetch(file_url(brand / "logo.svg"))
    assert served.read() == (brand / "logo.svg").read_bytes()
    assert served.content_type == "image/svg+xml"
    # a file the consultant's folder lacks comes from the package's, as with templates
    font = fetcher.fetch(file_url(mine) + "/fonts/LiberationSans-Regular.ttf")
    assert font.read() == (package / "fonts" / "LiberationSans-Regular.ttf").read_bytes()

    for url in ("http://example.com/x.png", "https://example.com/x.css", "ftp://example.com/x",
                "data:text/plain,hello", file_url(tmp_path / "secret.txt"), file_url(mine / "link.ttf"),
                file_url(mine) + "/../secret.txt", "file:///etc/passwd", "file://otherhost/etc/passwd",
                file_url(mine) + "/fonts/../../secret.txt"):
        with pytest.raises(RefusedResource):
            fetcher.fetch(url)


# -- respondent text is data, never markup ----------------------------------------------

def test_html_in_answers_is_printed_literally(duo: tuple[Path, Path], tmp_path: Path) -> None:
    team = duo_team(tmp_path / "evil.yaml", organisation=INJECTION, comment=INJECTION, answer=INJECTION)
    out, html = tmp_path / "r.pdf", tmp_path / "r.html"
    build_report([team], Options(bank=duo[0]), output=out, html=html)
    text = pdftotext(out)
    assert flat(text).count("<script>alert('x')</script> <b>bold</b> & </style>") >= 5  # cover, header, quotes
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert PdfReader(out).metadata.title.endswith(INJECTION)  # type: ignore[union-attr]


# -- bad input writes nothing -----------------------------------------------------------

def test_bad_input_leaves_an_existing_report_untouched(duo: tuple[Path, Path], duo_reports: dict[str, Path],
                                                      tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    shutil.copy(duo_reports["es"], out)  # a report of the same bank and team
    before = out.read_bytes()
    bad_answers = write_yaml(tmp_path / "bad.yaml", {"bank": "duo", "answers": {"f1": 9, "zz": 1}})
    bad_date = write_yaml(tmp_path / "date.yaml", {"bank": "duo", "submitted": "next tuesday",
                                                   "answers": {"f1": 1}})
    for args in ([str(bad_answers)], [str(duo[1]), "--lang", "fr"], [str(duo[1]), "--brand", str(bad_answers)],
                 [str(bad_date)], [str(duo[1]), "--templates", str(tmp_path / "nowhere")]):
        done = cli("report", "--bank", str(duo[0]), "-o", str(out), "--html", str(tmp_path / "r.html"), *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert out.read_bytes() == before
        assert not (tmp_path / "r.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp files left


def test_input_error_lines(duo: tuple[Path, Path], tmp_path: Path) -> None:
    bad_date = tmp_path / "date.yaml"
    bad_date.write_text("bank: duo\nrespondents:\n  - submitted: 2026-11-20\n    answers: {f1: 1}\n"
                        "  - submitted: soon\n    answers: {f1: 2}\n", encoding="utf-8")
    done = cli("report", "--bank", str(duo[0]), "-o", str(tmp_path / "r.pdf"), str(bad_date))
    assert done.stderr.splitlines() == [
        f"{bad_date}:5: submitted: 'soon' is not a date; expected an ISO date or time such as "
        "\"2026-11-22\" or \"2026-11-22T10:00:00Z\""]
    done = cli("report", "--bank", str(duo[0]), "--lang", "fr", "-o", str(tmp_path / "r.pdf"), str(duo[1]))
    assert done.stderr.splitlines() == [
        f"{duo[0]}/bank.yaml:3: --lang fr: the bank has no texts in 'fr'; expected one of its languages: es, en"]
    done = cli("report", "--bank", str(duo[0]), str(duo[1]))
    assert done.returncode == 2 and "expected -o OUT.pdf and/or --html OUT.html" in done.stderr


def test_extract_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7 nonsense")
    done = cli("extract", str(tmp_path / "x.pdf"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{tmp_path / 'x.pdf'}:1: ")
    assert not (tmp_path / "out").exists()
    done = cli("extract", str(tmp_path / "none.pdf"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "file not found" in done.stderr


def test_extract_writes_nothing_outside_its_folder(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_attachment("responses.json", b"{}")
    writer.add_attachment("../escaped.txt", b"x")
    writer.add_attachment("bank/.hidden", b"x")
    pdf = tmp_path / "crafted.pdf"
    with pdf.open("wb") as handle:
        writer.write(handle)
    done = cli("extract", str(pdf), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "attached file '../escaped.txt' has an unexpected name" in done.stderr
    assert "attached file 'bank/.hidden' has an unexpected name" in done.stderr
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "out").exists()
