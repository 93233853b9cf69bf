"""Damaged and encrypted PDFs given to ``import-form`` and ``extract``: a clean refusal
(``path:1: cannot read this PDF: why``, exit 2, nothing written) or a correct result, never a
traceback; a fuzz test over mutated PDFs (a bounded count, a fixed seed) holds them to it."""

from __future__ import annotations

import io
import json
import os
import random
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from audit.errors import InputError
from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.run.extract import extract
from audit.run.form import import_form, write_form
from audit.run.options import Options
from audit.run.report import build_report

from .conftest import DATA, MINI, cli, filled_form, shared

ANSWERS = DATA / "mini-answers"
KINDS = ["form", "report", "plain report"]  # a filled questionnaire; a report, as written and rewritten by pypdf
FILLED = {"respondent.name": "Ana", "respondent.department": "ops", "profile.channel": "both", "answer.q1": "2",
          "na.q2": "on", "option.q3:m1": "on", "option.q3:m3": "on", "answer.q4": "2,5", "answer.q5": "1",
          "answer.q6": "fine", "comment.q1": "a comment", "answer.q7": "0"}


@pytest.fixture(scope="module")
@shared
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A filled questionnaire of the mini bank and a report of it, as bytes; the report also as
    pypdf rewrites it, its objects in plain sight (WeasyPrint packs them in compressed streams)."""
    folder = tmp_path_factory.mktemp("pdfs")
    write_form(Options(bank=MINI), [], "Acme", folder / "form.pdf")
    build_report([ANSWERS], Options(bank=MINI), output=folder / "report.pdf")
    plain = io.BytesIO()
    PdfWriter(clone_from=folder / "report.pdf").write(plain)
    return {"form": filled_form(folder / "form.pdf", FILLED), "report": (folder / "report.pdf").read_bytes(),
            "plain report": plain.getvalue()}


@pytest.fixture(scope="module")
def expected(pdfs: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the intact PDFs give: the response file, and the files the report carries."""
    folder = tmp_path_factory.mktemp("expected")
    (folder / "form.pdf").write_bytes(pdfs["form"])
    (folder / "report.pdf").write_bytes(pdfs["report"])
    import_form(Options(bank=MINI), folder / "form.pdf", folder / "answers.json")
    written = extract(folder / "report.pdf", folder / "out")
    files = {p.relative_to(folder / "out").as_posix(): p.read_bytes() for p in written}
    return {"form": json.loads((folder / "answers.json").read_text(encoding="utf-8")),
            "report": files, "plain report": files}


def outcome(kind: str, data: bytes, folder: Path) -> InputError | dict[str, Any] | dict[str, bytes]:
    """What ``import-form`` (kind form) or ``extract`` (the reports) makes of ``data``: the refusal,
    or the result, checked to be one the next command accepts."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "in.pdf"
    pdf.write_bytes(data)
    out = folder / ("answers.json" if kind == "form" else "out")
    written: list[Path] = []
    try:
        if kind == "form":
            count = import_form(Options(bank=MINI), pdf, out)
        else:
            written = extract(pdf, out)
    except InputError as exc:
        assert not out.exists(), "a refusal writes nothing"
        assert exc.problems and all("\n" not in str(p) and "\r" not in str(p) for p in exc.problems)
        return exc
    if kind == "form":
        document = json.loads(out.read_text(encoding="utf-8"))
        team = load_responses([out], load_bank(MINI))  # what import-form writes, score accepts
        assert len(team.respondents) == 1 and count == len(document["answers"])
        return dict(document)
    root = out.resolve()
    files = {}
    for path in written:
        assert root in path.resolve().parents, f"{path} is outside the output folder"
        files[path.relative_to(out).as_posix()] = path.read_bytes()
    json.loads(files["responses.json"])
    return files


def _plain(value: Any, depth: int = 0) -> Any:
    """A pypdf value as plain data, references followed (a few levels deep)."""
    value = value.get_object() if hasattr(value, "get_object") else value
    if depth > 3:
        return "..."
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    return (type(value).__name__, bytes(value) if isinstance(value, bytes) else str(value))


def field_values(data: bytes) -> dict[str, Any]:
    """The value (and options) of each field as pypdf reads them, or {} when it cannot."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fields = PdfReader(io.BytesIO(data)).get_fields() or {}
            return {str(n): (_plain(f.get("/V")), _plain(f.get("/Opt")), _plain(f.get("/FT")))
                    for n, f in fields.items()}
    except Exception:  # the damaged file is past pypdf too: then nothing is known to be unchanged
        return {}


def explained(result: dict[str, Any], expected: dict[str, Any], changed: set[str]) -> bool:
    """Whether every difference between what was read and what the intact form gives lies in a
    field the damage changed: reading a changed field as it now is is a correct reading."""
    def touched(*names: str) -> bool:
        return any(n == name or (name.endswith(":") and n.startswith(name)) for n in changed for name in names)

    for key in ("bank", "bank_version", "language"):
        if result.get(key) != expected.get(key):
            return False
    if result.get("organisation") != expected.get("organisation") and not touched("organisation"):
        return False
    for key in ("name", "department"):
        if result["respondent"].get(key) != expected["respondent"].get(key) and not touched(f"respondent.{key}"):
            return False
    for pid in set(result["profile"]) | set(expected["profile"]):
        if result["profile"].get(pid) != expected["profile"].get(pid) and not touched(f"profile.{pid}"):
            return False
    for qid in set(result["answers"]) | set(expected["answers"]):
        if result["answers"].get(qid) != expected["answers"].get(qid) and not touched(
                f"answer.{qid}", f"option.{qid}:", f"na.{qid}", f"dont_know.{qid}"):
            return False
    for qid in set(result["comments"]) | set(expected["comments"]):
        if result["comments"].get(qid) != expected["comments"].get(qid) and not touched(f"comment.{qid}"):
            return False
    return True


def correct(kind: str, data: bytes, result: object, pdfs: dict[str, bytes], expected: dict[str, Any]) -> bool:
    """A refusal; or what the intact PDF gives: for a report, every attached file as it was; for
    a questionnaire, every answer as it was, but for those whose fields the damage changed."""
    if isinstance(result, InputError):
        return True
    if kind != "form":
        return result == expected[kind]
    before, after = field_values(pdfs["form"]), field_values(data)
    changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)} if after else set(before)
    return explained(result, expected["form"], changed)  # type: ignore[arg-type]


def refused(result: object, *words: str) -> str:
    assert isinstance(result, InputError), f"expected a refusal, got {result!r:.200}"
    [problem] = result.problems
    assert problem.line == 1 and "cannot read this PDF: " in problem.message, problem.message
    for word in words:
        assert word in problem.message
    return problem.message


# -- encryption ----------------------------------------------------------------------------------------

ALGORITHMS = ["RC4-40", "RC4-128", "AES-128", "AES-256-R5", "AES-256"]


def encrypted(data: bytes, algorithm: str, user: str) -> bytes:
    if algorithm.startswith("AES"):
        pytest.importorskip("cryptography", reason="AES needs the cryptography package (a dependency)")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="the owner's", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["form", "report"])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_pdf_locked_with_a_password_is_one_line(kind: str, algorithm: str, pdfs: dict[str, bytes],
                                                   tmp_path: Path) -> None:
    result = outcome(kind, encrypted(pdfs[kind], algorithm, "s3cret"), tmp_path)
    refused(result, "it is protected by a password")


@pytest.mark.parametrize("kind", ["form", "report"])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_pdf_encrypted_without_a_password_to_open_reads_as_the_plain_one(
        kind: str, algorithm: str, pdfs: dict[str, bytes], expected: dict[str, Any], tmp_path: Path) -> None:
    """Only the owner's password set (editing restricted, as PDF tools "protect" a filled form):
    with the cryptography package, a dependency, every algorithm opens."""
    assert outcome(kind, encrypted(pdfs[kind], algorithm, ""), tmp_path) == expected[kind]


def test_the_command_line_says_it_in_one_line(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted(pdfs["form"], "RC4-128", "pw"))
    for args in (["import-form", "--bank", str(MINI), str(locked), "-o", str(tmp_path / "a.json")],
                 ["extract", str(locked), "-o", str(tmp_path / "out")]):
        run = cli(*args)
        assert run.returncode == 2, run.stderr
        [line] = run.stderr.splitlines()
        assert line.startswith(f"{locked}:1: cannot read this PDF: it is protected by a password; expected ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.pdf"]


# -- truncated, damaged, not a PDF -----------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("keep", [0.0, 0.001, 0.1, 0.5, 0.9, 0.99, 0.999])
def test_a_truncated_pdf_is_refused_or_read_right(kind: str, keep: float, pdfs: dict[str, bytes],
                                                  expected: dict[str, Any], tmp_path: Path) -> None:
    data = pdfs[kind]
    result = outcome(kind, data[: int(len(data) * keep)], tmp_path)
    if not isinstance(result, InputError):
        assert result == expected[kind]  # pypdf rebuilt what was cut off: it must then be right
    elif keep == 0.0:
        assert "the file is empty" in refused(result)
    else:
        refused(result)


def _replace_all(data: bytes, old: bytes, new: bytes) -> bytes:
    return data.replace(old, new)


def _each_other(data: bytes, old: bytes, new: bytes) -> bytes:
    parts = data.split(old)
    return b"".join(p + (new if i % 2 else old) for i, p in enumerate(parts[:-1])) + parts[-1]


MUTATIONS = {
    "no root": lambda d: _replace_all(d, b"/Root", b"/Roof"),
    "stream lengths wrong": lambda d: _replace_all(d, b"/Length ", b"/Length 9"),
    "objects unnamed": lambda d: _each_other(d, b" 0 obj", b" 0 ojb"),
    "references to nowhere": lambda d: _each_other(d, b" 0 R", b"9 0 R"),
    "dictionaries unclosed": lambda d: _each_other(d, b">>", b"  "),
    "arrays as dictionaries": lambda d: _each_other(d, b"[", b"<"),
    "no xref": lambda d: _replace_all(d, b"startxref", b"startxerf"),
    "names as strings": lambda d: _each_other(d, b"/Type", b"(Typ)"),
    "streams cut": lambda d: _each_other(d, b"endstream", b"endstraem"),
    "kids are names": lambda d: _replace_all(d, b"/Kids [", b"/Kids /X ["),
    "fields are a number": lambda d: _replace_all(d, b"/Fields [", b"/Fields 7 ["),
    "annotations are a name": lambda d: _replace_all(d, b"/Annots [", b"/Annots /None ["),
    "embedded files emptied": lambda d: _replace_all(d, b"/EmbeddedFiles", b"/EmbeddedFilez"),
    "zero bytes in": lambda d: d[: len(d) // 3] + b"\0" * 4096 + d[len(d) // 3 + 4096:],
    "deep nesting": lambda d: d.replace(b"%%EOF", b"1 0 obj " + b"[" * 50_000 + b"\n%%EOF", 1),
    "not a PDF": lambda d: b"<html><body>not a PDF</body></html>\n" * 10,
    "a PDF header and noise": lambda d: b"%PDF-1.7\n" + bytes(random.Random(7).randrange(256) for _ in range(5000)),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_damaged_objects_are_refused_or_read_right(kind: str, mutation: str, pdfs: dict[str, bytes],
                                                   expected: dict[str, Any], tmp_path: Path) -> None:
    data = MUTATIONS[mutation](pdfs[kind])
    result = outcome(kind, data, tmp_path)
    if data == pdfs[kind]:  # nothing of that kind in this PDF to damage
        assert result == expected[kind]
    elif isinstance(result, InputError):
        assert all(p.line == 1 for p in result.problems)
    else:  # pypdf repaired the damage: then every answer and every attached file is as it was
        assert result == expected[kind]
    if mutation == "not a PDF":
        assert "it is not a PDF" in refused(result)


# -- the fuzz test ----------------------------------------------------------------------------------------

TOKENS = [b"obj", b"endobj", b"stream", b"endstream", b"/Length", b"/Type", b"/Kids", b"/Parent", b"/Annots",
          b"/Fields", b"/AcroForm", b"/Root", b"/Size", b"<<", b">>", b"[", b"]", b" R", b"/Opt", b"/V", b"/T",
          b"/FT", b"/EmbeddedFiles", b"/Names", b"/F", b"/UF", b"/Filter", b"/FlateDecode", b"null", b"true",
          b"/Metadata", b"/Info", b"/Encrypt", b"/Off", b"()", b"<>", b"%%EOF", b"xref", b"trailer"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random damage: cut, bytes flipped, a span dropped or repeated, digits or tokens swapped."""
    d = bytearray(data)
    how = rng.randrange(6)
    if how == 0:
        return bytes(d[: rng.randrange(len(d))])
    if how == 1:
        for _ in range(rng.randint(1, 20)):
            d[rng.randrange(len(d))] = rng.randrange(256)
    elif how == 2:
        start = rng.randrange(len(d))
        del d[start: start + rng.randint(1, 2000)]
    elif how == 3:
        digits = [i for i in range(0, len(d), 5) if 48 <= d[i] <= 57]
        for _ in range(rng.randint(1, 10)):
            d[rng.choice(digits)] = rng.choice(b"0123456789")
    elif how == 4:
        for _ in range(rng.randint(1, 5)):
            old, new = rng.choice(TOKENS), rng.choice(TOKENS)
            at = d.find(old, rng.randrange(len(d)))
            if at >= 0:
                d[at: at + len(old)] = new
    else:
        start, source = rng.randrange(len(d)), rng.randrange(len(d))
        d[start:start] = d[source: source + rng.randint(1, 500)]
    return bytes(d)


FUZZ_SEED = 20260611
FUZZ_COUNT = 40  # mutated PDFs of each kind


@pytest.mark.parametrize("kind", KINDS)
def test_mutated_pdfs_give_a_clean_refusal_or_a_correct_result(kind: str, pdfs: dict[str, bytes],
                                                               expected: dict[str, Any], tmp_path: Path) -> None:
    rng = random.Random(f"{FUZZ_SEED}-{kind}")
    wrong = []
    for n in range(FUZZ_COUNT):
        data = mutate(pdfs[kind], rng)
        result = outcome(kind, data, tmp_path / str(n))  # a clean refusal, or a result the next command takes
        if not correct(kind, data, result, pdfs, expected):
            wrong.append(n)
    assert not wrong, f"mutations {wrong} were read into something else than the PDF held"


# -- attachments changed or lost -------------------------------------------------------------------------

def _rewritten(data: bytes, change: Callable[[Any], None]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _names(writer: Any) -> Any:
    return writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]


def _change_contents(name: str) -> Callable[[Any], None]:
    def change(writer: Any) -> None:
        names = _names(writer)
        spec = names[[str(n) for n in names].index(name) + 1].get_object()
        stream = spec["/EF"]["/F"].get_object()
        stream.set_data(stream.get_data().replace(b"mini", b"mimi"))
    return change


def _drop(name: str) -> Callable[[Any], None]:
    def change(writer: Any) -> None:
        names = _names(writer)
        at = [str(n) for n in names].index(name)
        del names[at: at + 2]
    return change


def _share(name: str, other: str) -> Callable[[Any], None]:
    def change(writer: Any) -> None:
        names = _names(writer)
        keys = [str(n) for n in names]
        spec, source = names[keys.index(name) + 1].get_object(), names[keys.index(other) + 1].get_object()
        spec["/EF"][NameObject("/F")] = source["/EF"].raw_get("/F")
    return change


ATTACHMENTS_DAMAGED = {
    "a bank file pointing to the answers": (_share("bank/b.yaml", "responses.json"), "point to the same contents"),
    "an answer changed": (_change_contents("responses.json"), "'responses.json' is not the file that was attached"),
    "the bank changed": (_change_contents("bank/bank.yaml"), "'bank/bank.yaml' is not the file that was attached"),
    "a bank file lost": (_drop("bank/a.yaml"), "attached files are missing: bank/a.yaml"),
    "the scores lost": (_drop("report/scores.json"), "attached files are missing: report/scores.json"),
    "the bank's identity lost": (_drop("report/bank.json"), "attached files are missing: report/bank.json"),
}


@pytest.mark.parametrize("damage", sorted(ATTACHMENTS_DAMAGED))
def test_a_report_whose_attachments_changed_or_went_missing_is_refused(
        damage: str, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    change, message = ATTACHMENTS_DAMAGED[damage]
    result = outcome("report", _rewritten(pdfs["report"], change), tmp_path)
    assert isinstance(result, InputError)
    assert any("cannot read this PDF: it is damaged" in p.message and message in p.message for p in result.problems)


@pytest.mark.parametrize("kind", ["form", "report"])
@pytest.mark.parametrize("what", ["a pipe", "a device", "a folder", "nothing"])
def test_what_is_not_a_file_is_one_line(kind: str, what: str, tmp_path: Path) -> None:
    """Nothing is read for ever from a pipe or a device."""
    given = {"a pipe": tmp_path / "pipe.pdf", "a device": Path("/dev/zero"), "a folder": tmp_path,
             "nothing": tmp_path / "gone.pdf"}[what]
    if what == "a pipe":
        os.mkfifo(given)
    out = tmp_path / ("answers.json" if kind == "form" else "out")
    with pytest.raises(InputError) as caught:
        if kind == "form":
            import_form(Options(bank=MINI), given, out)
        else:
            extract(given, out)
    [problem] = caught.value.problems
    assert problem.path == str(given) and problem.line == 1 and "\n" not in problem.message
    assert not out.exists()
