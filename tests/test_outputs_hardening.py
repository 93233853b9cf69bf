"""Outputs: what cannot be written is one line before anything is rendered; an output that is
an input is refused and nothing is overwritten; ``import-form`` writes only what ``score``
accepts; ``report --batch`` never writes two clients' reports to one file, and ``--bank``
gives the client folders without a bank of their own."""

from __future__ import annotations

import io
import json
import os
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject

from audit.cli import main
from audit.errors import InputError
from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.read.project import Project, find_projects
from audit.run.batch import report_paths, run_batch
from audit.run.form import import_form, write_form
from audit.run.options import Options
from audit.run.report import Written, build_report

from .conftest import DATA, MINI, filled_form, shared

ANSWERS = DATA / "mini-answers"
FILLED = {"respondent.name": "Ana", "respondent.department": "ops", "profile.channel": "both", "answer.q1": "2",
          "na.q2": "on", "option.q3:m1": "on", "answer.q4": "2,5", "answer.q5": "1", "answer.q6": "fine",
          "comment.q1": "a comment"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def refused(result: Result, path: Path | str, *words: str) -> list[str]:
    """Exit status 2, no traceback, one ``path:line: ...`` line per problem, one about ``path``."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert lines and "Traceback" not in result.stderr
    assert any(line.startswith(f"{path}:") for line in lines), lines
    for word in words:
        assert word in result.stderr, result.stderr
    return lines


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root`` with the bytes of the files: to see that nothing changed."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
            for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
@shared
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A blank and a filled questionnaire, and a report, of the mini bank."""
    folder = tmp_path_factory.mktemp("made")
    write_form(Options(bank=MINI), [], "Acme", folder / "form.pdf")
    build_report([ANSWERS], Options(bank=MINI), output=folder / "report.pdf")
    return {"blank": (folder / "form.pdf").read_bytes(), "filled": filled_form(folder / "form.pdf", FILLED),
            "report": (folder / "report.pdf").read_bytes()}


@pytest.fixture
def work(tmp_path: Path, made: dict[str, bytes]) -> Path:
    """A project of our own: bank/, answers/, a filled form, a report, a plan, a brand, templates."""
    shutil.copytree(MINI, tmp_path / "bank")
    shutil.copytree(ANSWERS, tmp_path / "answers")
    (tmp_path / "filled.pdf").write_bytes(made["filled"])
    (tmp_path / "report.pdf").write_bytes(made["report"])
    plan = "currency: EUR\nactions:\n  - {id: first, title: First, questions: [q1], quarter: 2027-Q1}\n"
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / "brand.yaml").write_text("consultancy: Us\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "custom.css").write_text("body {}\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering anything fails the test: bad outputs must be found before."""
    def render(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendering started before the outputs were checked")

    for target in ("audit.run.report.render_pdf", "audit.run.report.render_html", "audit.run.form.render_form",
                   "audit.run.commands.export_bytes", "audit.run.commands.blank_response"):
        monkeypatch.setattr(target, render)


# -- outputs that cannot be written ----------------------------------------------------------------------

def _read_only(root: Path) -> Path:
    folder = root / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / "out"


def _read_only_deeper(root: Path) -> Path:
    return _read_only(root) / "sub" / "deeper"


def _file_as_folder(root: Path) -> Path:
    (root / "plain.txt").write_text("a file", encoding="utf-8")
    return root / "plain.txt" / "out"


def _file_as_folder_deeper(root: Path) -> Path:
    (root / "plain.txt").write_text("a file", encoding="utf-8")
    return root / "plain.txt" / "a" / "b" / "out"


def _broken_link_as_folder(root: Path) -> Path:
    (root / "gone").symlink_to(root / "nowhere")
    return root / "gone" / "out"


def _proc(root: Path) -> Path:
    return Path("/proc/loyalty-audit-test/out")


def _sys(root: Path) -> Path:
    return Path("/sys/out")


def _dev_null_as_folder(root: Path) -> Path:
    return Path("/dev/null/out")


def _long_name(root: Path) -> Path:
    return root / ("n" * 300)


DESTINATIONS: dict[str, Callable[[Path], Path]] = {
    "a read-only folder": _read_only, "below a read-only folder": _read_only_deeper,
    "a file where a folder should be": _file_as_folder, "a file further up": _file_as_folder_deeper,
    "a broken link where a folder should be": _broken_link_as_folder, "/proc": _proc, "/sys": _sys,
    "/dev/null as a folder": _dev_null_as_folder, "a name too long": _long_name,
}
FILE_ONLY: dict[str, Callable[[Path], Path]] = {
    "a folder": lambda root: root / "answers",
    "a device": lambda root: Path("/dev/null"),
}


def _file_commands(work: Path, out: Path) -> dict[str, list[str | Path]]:
    def named(suffix: str) -> Path:  # the suffix the command wants, on what is not there yet
        return out if os.path.lexists(out) or len(out.name) > 200 else out.with_name(out.name + suffix)

    return {
        "report -o": ["report", "--bank", work / "bank", "-o", named(".pdf"), work / "answers"],
        "report --html": ["report", "--bank", work / "bank", "--html", named(".html"), work / "answers"],
        "export -o": ["export", "--bank", work / "bank", "-o", named(".csv") if len(out.name) < 200
                      else out.with_name(out.name[:-4] + ".csv"), work / "answers"],
        "template -o": ["template", "--bank", work / "bank", "-o", out],
        "form -o": ["form", "--bank", work / "bank", "-o", out],
        "import-form -o": ["import-form", "--bank", work / "bank", work / "filled.pdf", "-o", out],
    }


@pytest.mark.parametrize("destination", sorted(DESTINATIONS) + sorted(FILE_ONLY))
@pytest.mark.parametrize("command", ["report -o", "report --html", "export -o", "template -o", "form -o",
                                     "import-form -o"])
@pytest.mark.usefixtures("no_rendering")
def test_an_output_that_cannot_be_written_is_one_line_before_rendering(command: str, destination: str,
                                                                       work: Path) -> None:
    out = {**DESTINATIONS, **FILE_ONLY}[destination](work)
    args = _file_commands(work, out)[command]
    output = Path(args[args.index("-o" if "-o" in args else "--html") + 1])
    before = tree(work)
    result = run(*args)
    if destination in FILE_ONLY and result.stderr.startswith("Usage:"):  # the option refuses these itself
        assert result.exit_code == 2 and "Traceback" not in result.stderr
    else:
        refused(result, output, "cannot write")
    assert tree(work) == before


@pytest.mark.parametrize("destination", sorted(DESTINATIONS))
@pytest.mark.parametrize("command", ["extract", "report --batch"])
def test_an_output_folder_that_cannot_be_written_is_one_line(command: str, destination: str, work: Path) -> None:
    out = DESTINATIONS[destination](work)
    if command == "extract":
        args: list[str | Path] = ["extract", work / "report.pdf", "-o", out]
    else:
        clients = work / "clients"
        (clients / "acme" / "answers").mkdir(parents=True)
        shutil.copy(ANSWERS / "1-ana.yaml", clients / "acme" / "answers")
        args = ["report", "--batch", clients, "--bank", work / "bank", "-o", out]
    before = tree(work)
    result = run(*args)
    if destination == "a file where a folder should be" and result.stderr.startswith("Usage:"):
        assert result.exit_code == 2 and "is a file" in result.stderr  # the option refuses files itself
    else:
        refused(result, out, "cannot write")
    assert tree(work) == before


def test_bad_inputs_and_a_bad_output_are_reported_together(work: Path) -> None:
    (work / "answers" / "3-bad.yaml").write_text("bank: mini\nanswers: {q1: 9}\n", encoding="utf-8")
    _file_as_folder(work)
    result = run("report", "--bank", work / "bank", "-o", work / "plain.txt" / "r.pdf", work / "answers")
    lines = refused(result, work / "plain.txt" / "r.pdf", "cannot write")
    assert any(line.startswith(f"{work / 'answers' / '3-bad.yaml'}:2: ") for line in lines)


# -- an output that is one of the inputs -----------------------------------------------------------------

def _hard_link(work: Path, target: Path, name: str) -> Path:
    link = work / name
    os.link(target, link)
    return link


def _sym_link(work: Path, target: Path, name: str) -> Path:
    link = work / name
    link.symlink_to(target)
    return link


def _baseline(work: Path) -> Path:
    shutil.copytree(ANSWERS, work / "baseline")
    return work / "baseline" / "2-team.yaml"


REPORT_ONTO: dict[str, Callable[[Path], Path]] = {
    "an answer file given": lambda w: w / "answers" / "1-ana.yaml",
    "a file of a folder given": lambda w: w / "answers" / "2-team.yaml",
    "another spelling of it": lambda w: w / "answers" / ".." / "answers" / "." / "1-ana.yaml",
    "a link to an answer file": lambda w: _sym_link(w, w / "answers" / "1-ana.yaml", "link.pdf"),
    "a hard link to an answer file": lambda w: _hard_link(w, w / "answers" / "2-team.yaml", "hard.pdf"),
    "the bank's main file": lambda w: w / "bank" / "bank.yaml",
    "an area file of the bank": lambda w: w / "bank" / "a.yaml",
    "the plan": lambda w: w / "plan.yaml",
    "the brand": lambda w: w / "brand.yaml",
    "a template": lambda w: w / "templates" / "custom.css",
    "a baseline file": _baseline,
}


@pytest.mark.parametrize("option", ["-o", "--html"])
@pytest.mark.parametrize("onto", sorted(REPORT_ONTO))
@pytest.mark.usefixtures("no_rendering")
def test_a_report_onto_one_of_its_inputs_is_refused(option: str, onto: str, work: Path) -> None:
    target = REPORT_ONTO[onto](work)
    baseline = ["--baseline", work / "baseline"] if (work / "baseline").is_dir() else []
    before = tree(work)
    result = run("report", "--bank", work / "bank", "--plan", work / "plan.yaml", "--brand", work / "brand.yaml",
                 "--templates", work / "templates", *baseline, option, target, work / "answers" / "1-ana.yaml",
                 work / "answers")
    refused(result, target, f"{option} is an input of this run")
    assert tree(work) == before


@pytest.mark.usefixtures("no_rendering")
def test_the_pdf_and_the_html_cannot_be_one_file(work: Path) -> None:
    for other in ("r.pdf", "./r.pdf", "sub/../r.pdf"):
        (work / "sub").mkdir(exist_ok=True)
        result = run("report", "--bank", work / "bank", "-o", work / "r.pdf", "--html", work / other, work / "answers")
        refused(result, work / other, "name the same file")
        assert not (work / "r.pdf").exists()


@pytest.mark.parametrize("onto", ["the answers given", "another spelling of them", "a link to them",
                                  "a hard link to them"])
@pytest.mark.usefixtures("no_rendering")
def test_an_export_onto_one_of_its_inputs_is_refused(onto: str, work: Path) -> None:
    given = work / "answers.csv"  # a response file may have any name when it is named directly
    shutil.copy(ANSWERS / "1-ana.yaml", given)
    target = {"the answers given": lambda: given, "another spelling of them": lambda: work / "bank" / ".." / given.name,
              "a link to them": lambda: _sym_link(work, given, "l.csv"),
              "a hard link to them": lambda: _hard_link(work, given, "h.xlsx")}[onto]()
    before = tree(work)
    result = run("export", "--bank", work / "bank", "-o", target, given)
    refused(result, target, "-o is an input of this run")
    assert tree(work) == before


@pytest.mark.parametrize("onto", ["itself", "a link to it", "a hard link to it", "the bank"])
def test_import_form_onto_one_of_its_inputs_is_refused(onto: str, work: Path) -> None:
    pdf = work / "filled.pdf"
    target = {"itself": pdf, "a link to it": _sym_link(work, pdf, "f.json"),
              "a hard link to it": _hard_link(work, pdf, "g.json"), "the bank": work / "bank" / "bank.yaml"}[onto]
    before = tree(work)
    refused(run("import-form", "--bank", work / "bank", pdf, "-o", target), target, "-o is an input of this run")
    assert tree(work) == before


def test_extract_never_writes_over_the_report_it_reads(work: Path) -> None:
    out = work / "out"
    out.mkdir()
    inside = out / "responses.json"
    shutil.copy(work / "report.pdf", inside)
    before = tree(work)
    refused(run("extract", inside, "-o", out), inside, "is an input of this run")
    assert tree(work) == before


FILLED_ANSWERS: dict[str, str] = {
    "answers given": "bank: mini\nanswers: {q1: 2}\n",
    "only a name": "bank: mini\nrespondent: {name: Ana}\nanswers: {}\n",
    "only a comment": "bank: mini\nanswers: {q1: }\ncomments: {q1: later}\n",
    "the site's export": json.dumps({"bank": "mini", "respondent": {"department": "ops"}, "answers": {"q5": "1"}}),
    "a list of respondents": "bank: mini\nrespondents:\n  - answers: {q1: 0}\n",
    "a file with a YAML mistake": "bank: mini\nanswers:\n  q1: 2\n q2: [x\n",
    "not a response file": "just some notes\n",
}


@pytest.mark.parametrize("content", sorted(FILLED_ANSWERS))
def test_a_blank_never_lands_on_filled_answers(content: str, work: Path) -> None:
    target = work / ("answers.json" if content == "the site's export" else "answers.yaml")
    target.write_text(FILLED_ANSWERS[content], encoding="utf-8")
    before = tree(work)
    refused(run("template", "--bank", work / "bank", "-o", target), target, "expected a new file name")
    assert tree(work) == before


def test_a_blank_replaces_a_blank_or_an_empty_file(work: Path) -> None:
    target = work / "blank.yaml"
    assert run("template", "--bank", work / "bank", "-o", target).exit_code == 0
    assert run("template", "--bank", work / "bank", "--lang", "en", "-o", target).exit_code == 0
    target.write_text("", encoding="utf-8")
    assert run("template", "--bank", work / "bank", "-o", target).exit_code == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["bank"] == "mini"


def test_a_blank_form_never_lands_on_a_filled_one(work: Path, made: dict[str, bytes]) -> None:
    for name, data in (("filled.pdf", made["filled"]), ("report.pdf", made["report"]), ("notes.pdf", b"notes")):
        target = work / name
        target.write_bytes(data)
        before = tree(work)
        refused(run("form", "--bank", work / "bank", "-o", target), target, "is not a blank questionnaire")
        assert tree(work) == before
    (work / "blank.pdf").write_bytes(made["blank"])
    assert run("form", "--bank", work / "bank", "-o", work / "blank.pdf").exit_code == 0


# -- import-form writes only what score accepts ---------------------------------------------------------

def with_meta(data: bytes, meta: Any) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/LoyaltyAudit": meta if isinstance(meta, str) else json.dumps(meta)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_fields(data: bytes, values: dict[str, str], options: dict[str, list[str]] | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
        for ref in page.get("/Annots", []):
            parent = ref.get_object().get("/Parent")
            name = parent.get_object().get("/T") if parent is not None else None
            if options and name in options:
                parent.get_object()[NameObject("/Opt")] = ArrayObject(TextStringObject(o) for o in options[name])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


GOOD_META = {"bank": "mini", "bank_version": "1", "language": "en", "profile": {}}
BAD_META: dict[str, tuple[Any, str]] = {
    "a language the bank lacks": ({**GOOD_META, "language": "xx"}, "language 'xx'"),
    "a language that is a number": ({**GOOD_META, "language": 5}, "language"),
    "a language that is a list": ({**GOOD_META, "language": ["en"]}, "language"),
    "a bank version that is a number": ({**GOOD_META, "bank_version": 3}, "bank_version"),
    "a bank version that is a mapping": ({**GOOD_META, "bank_version": {"v": 1}}, "bank_version"),
    "a profile that is a list": ({**GOOD_META, "profile": ["web"]}, "profile"),
    "a profile that is a text": ({**GOOD_META, "profile": "web"}, "profile"),
    "an unknown profile question": ({**GOOD_META, "profile": {"size": "big"}}, "size"),
    "a profile option the bank lacks": ({**GOOD_META, "profile": {"channel": "moon"}}, "moon"),
    "a profile option that is a mapping": ({**GOOD_META, "profile": {"channel": {"a": 1}}}, "channel"),
    "a key the form never writes": ({**GOOD_META, "extra": True}, "extra"),
    "another bank": ({**GOOD_META, "bank": "other"}, "for bank 'other'"),
    "a bank that is a list": ({**GOOD_META, "bank": ["mini"]}, "for bank a list"),
    "not a mapping": ([GOOD_META], "metadata is damaged"),
    "not JSON": ("{bank: mini", "metadata is damaged"),
    "nested too deep": ("[" * 100_000, "metadata is damaged"),
}


def imported(tmp_path: Path, data: bytes) -> tuple[InputError | None, Path]:
    pdf, out = tmp_path / "in.pdf", tmp_path / "answers.json"
    pdf.write_bytes(data)
    try:
        import_form(Options(bank=MINI), pdf, out)
    except InputError as exc:
        assert not out.exists()
        return exc, out
    load_responses([out], load_bank(MINI))  # what import-form writes, score accepts
    return None, out


@pytest.mark.parametrize("variant", sorted(BAD_META))
def test_bad_metadata_is_a_problem_of_the_form_never_a_written_file(variant: str, made: dict[str, bytes],
                                                                    tmp_path: Path) -> None:
    meta, word = BAD_META[variant]
    blank_profile = fill_without_profile(made)
    error, _ = imported(tmp_path, with_meta(blank_profile, meta))
    assert error is not None, "a form with bad metadata was written"
    [problem] = error.problems
    assert problem.line == 1 and word in problem.message, problem.message


def fill_without_profile(made: dict[str, bytes]) -> bytes:
    """The filled form with its profile field left empty, so that the metadata's profile counts."""
    return with_fields(made["filled"], {"profile.channel": "/Off"})


@pytest.mark.parametrize("meta", [{**GOOD_META, "language": None}, {**GOOD_META, "bank_version": None},
                                  {"bank": "mini"}, {**GOOD_META, "profile": {"channel": "web"}},
                                  {**GOOD_META, "bank_version": "0.9"}])
def test_good_metadata_gives_a_file_score_accepts(meta: dict[str, Any], made: dict[str, bytes],
                                                  tmp_path: Path) -> None:
    error, out = imported(tmp_path, with_meta(made["filled"], meta))
    assert error is None, error
    assert json.loads(out.read_text(encoding="utf-8"))["answers"]["q1"] == "2"


BAD_FIELDS: dict[str, tuple[dict[str, str], dict[str, list[str]] | None, str, str]] = {
    "an unknown department": ({"respondent.department": "zzz"}, None, "respondent.department", "unknown department"),
    "the pooled department": ({"respondent.department": "other"}, None, "respondent.department", "'other'"),
    "an infinite number": ({"answer.q4": "1e999"}, None, "answer.q4", "is not a number"),
    "not a number": ({"answer.q4": "nan"}, None, "answer.q4", "is not a number"),
    "a number too long": ({"answer.q4": "9" * 5000}, None, "answer.q4", "is not a number"),
    "a number out of range": ({"answer.q4": "99"}, None, "answer.q4", "outside its range"),
    "a radio option the bank lacks": ({}, {"answer.q1": ["7", "8", "9"]}, "answer.q1", "'9' is not an option"),
    "a profile option the bank lacks": ({}, {"profile.channel": ["a", "b", "moon"]}, "profile.channel", "moon"),
}


@pytest.mark.parametrize("variant", sorted(BAD_FIELDS))
def test_a_bad_field_is_a_problem_at_its_page(variant: str, made: dict[str, bytes], tmp_path: Path) -> None:
    values, options, field, word = BAD_FIELDS[variant]
    data = with_fields(made["filled"], values, options)
    error, _ = imported(tmp_path, data)
    assert error is not None, "a form with a bad field was written"
    reader = PdfReader(io.BytesIO(data))
    page = next(i for i, p in enumerate(reader.pages, 1) for a in p.get("/Annots", [])
                if field in (a.get_object().get("/T"), a.get_object().get("/Parent", {}).get("/T")))
    assert any(p.line == page and p.message.startswith(f"field '{field}': ") and word in p.message
               for p in error.problems), error.problems


def test_every_bad_field_is_reported_at_once(made: dict[str, bytes], tmp_path: Path) -> None:
    data = with_fields(made["filled"], {"respondent.department": "zzz", "answer.q4": "abc"},
                       {"answer.q1": ["7", "8", "9"]})
    error, _ = imported(tmp_path, data)
    assert error is not None
    assert {p.message.split(":")[0] for p in error.problems} == {"field 'respondent.department'", "field 'answer.q4'",
                                                                 "field 'answer.q1'"}


# -- report --batch: no two clients at one file; --bank for folders without a bank ---------------------

def stamp(project: Project, output: Path, options: Options) -> Written:
    """A reporter that writes which client it reports (module level: a worker could import it)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(str(project.root.resolve()), encoding="utf-8")
    return Written(output, None, 1, [], 1, 50.0, "mid")


def client(root: Path, *answers: Path) -> Path:
    (root / "answers").mkdir(parents=True)
    for path in answers or (ANSWERS / "1-ana.yaml",):
        shutil.copy(path, root / "answers")
    return root


def _linked_same_name(tmp: Path) -> Path:
    clients = tmp / "clients"
    client(clients / "acme")
    client(tmp / "elsewhere" / "acme")
    (clients / "zz").symlink_to(tmp / "elsewhere" / "acme")
    return clients


def _case(tmp: Path) -> Path:
    clients = tmp / "clients"
    for name in ("Acme", "acme", "ACME"):
        client(clients / name)
    return clients


def _unicode_forms(tmp: Path) -> Path:
    clients = tmp / "clients"
    client(clients / unicodedata.normalize("NFC", "café"))
    client(clients / unicodedata.normalize("NFD", "café"))
    return clients


def _a_name_like_a_renamed_one(tmp: Path) -> Path:
    clients = _linked_same_name(tmp)
    client(clients / "acme-2")
    return clients


BATCHES: dict[str, Callable[[Path], Path]] = {
    "a folder linked from elsewhere": _linked_same_name, "names that differ in case": _case,
    "names in two Unicode forms": _unicode_forms, "a client named like a renamed report": _a_name_like_a_renamed_one,
}


@pytest.mark.parametrize("layout", sorted(BATCHES))
def test_clients_of_the_same_name_report_to_files_of_their_own(layout: str, tmp_path: Path) -> None:
    projects = find_projects(BATCHES[layout](tmp_path))
    out = tmp_path / "out"
    outcomes = run_batch(projects, Options(), out_dir=out, jobs=1, reporter=stamp)
    assert all(o.ok for o in outcomes) and len(outcomes) == len(projects)
    written = [Path(o.pdf) for o in outcomes if o.pdf]
    keys = {unicodedata.normalize("NFC", p.name).casefold() for p in written}
    assert len(keys) == len(projects), written  # distinct even where case or Unicode form are ignored
    for project, path in zip(projects, written, strict=True):
        assert path.read_text(encoding="utf-8") == str(project.root.resolve())


def test_a_client_folder_reached_twice_is_reported_once(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    client(clients / "acme")
    (clients / "also").symlink_to(clients / "acme")
    (clients / "again").symlink_to(clients / "acme")
    projects = find_projects(clients)
    for out in (None, tmp_path / "out"):
        outcomes = run_batch(projects, Options(), out_dir=out, jobs=1, reporter=stamp)
        assert [o.ok for o in outcomes].count(True) == 1
        assert all("the same client folder as" in o.problems[0] for o in outcomes if not o.ok)
    assert [isinstance(p, Path) for p in report_paths(projects, None)].count(True) == 1


def test_batch_with_a_bank_for_the_folders_without_one(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    client(clients / "acme", ANSWERS / "1-ana.yaml")
    client(tmp_path / "elsewhere" / "acme", ANSWERS / "2-team.yaml")
    (clients / "other").symlink_to(tmp_path / "elsewhere" / "acme")
    own = client(clients / "own", ANSWERS / "1-ana.yaml")
    shutil.copytree(MINI, own / "bank")
    (own / "bank" / "bank.yaml").write_text((MINI / "bank.yaml").read_text(encoding="utf-8").replace(
        "title:", "title: {en: Own bank}\nx_title:", 1) if False else (MINI / "bank.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = run("report", "--batch", clients, "--bank", MINI, "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["acme-2-appendix.pdf", "acme-2.pdf", "acme-appendix.pdf",
                                                     "acme.pdf", "own-appendix.pdf", "own.pdf"]
    first = json.loads(PdfReader(out / "acme.pdf").attachments["responses.json"][0])
    second = json.loads(PdfReader(out / "acme-2.pdf").attachments["responses.json"][0])
    assert len(first["respondents"]) == 1 and len(second["respondents"]) == 2  # each client's own answers
    assert "acme: wrote" in result.stderr and "acme-2.pdf" in result.stderr


def test_batch_without_the_bank_refuses_answers_for_another(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    client(clients / "acme")
    result = run("report", "--batch", clients, "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 2 and "expected 'loyalty-audit'" in result.stderr


def test_batch_with_a_bad_bank_stops_before_any_report(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    client(clients / "acme")
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "bank.yaml").write_text("id: [\n", encoding="utf-8")
    result = run("report", "--batch", clients, "--bank", tmp_path / "bank", "-o", tmp_path / "out")
    refused(result, tmp_path / "bank" / "bank.yaml", "malformed YAML")
    assert not (tmp_path / "out").exists()
