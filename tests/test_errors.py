"""Golden tests: the exact lines a user sees for each kind of bad input (SPEC §6)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from audit.cli import main

from .conftest import MINI


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr.splitlines(), result.stdout


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(MINI, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


BANK_CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("typo in a key",
     lambda b: edit(b / "a.yaml", "        weight: 2\n", "        wieght: 2\n"),
     ["a.yaml:11: unknown key 'wieght' in sections[0].questions[0]; did you mean 'weight'? (allowed: id, "
      "type, text, help, scale, options, bands, unit, range, weight, na, dont_know, evidence, applies_if, "
      "suggestion, kpis, effort)"]),
    ("unquoted boolean key",
     lambda b: edit(b / "a.yaml", "{key: y,", "{key: yes,"),
     ["a.yaml:19: sections[0].questions[1].options[1].key: YAML reads this key as true/false (an unquoted "
      "yes, no, on, off, true or false); write it in quotes, e.g. \"yes\""]),
    ("option score above 1 and a bad id",
     lambda b: (edit(b / "a.yaml", "score: 0.8}", "score: 1.8}"), edit(b / "a.yaml", "id: q2", "id: Q2")),
     ["a.yaml:13: sections[0].questions[1].id: 'Q2' is not a valid id; expected lowercase letters, digits, "
      "'-' and '_', starting with a letter or digit",
      "a.yaml:19: sections[0].questions[1].options[1].score: 1.8 is out of bounds; expected a number <= 1.0"]),
    ("missing translation, plain text in a bilingual bank",
     lambda b: ((b / "bank.yaml").write_text('id: t\nversion: "1"\nlanguages: [en, es]\ntitle: {en: T}\n'
                                             "areas: [c.yaml]\n", encoding="utf-8"),
                (b / "c.yaml").write_text("id: c\ntitle: {en: C, es: C}\nsections:\n  - id: s\n    title: Plain\n"
                                          "    questions:\n      - {id: q, type: text, text: {en: Q, es: Q}}\n",
                                          encoding="utf-8")),
     ["bank.yaml:4: missing translation for es; expected one text for each of the bank's languages (en, es)",
      "c.yaml:5: a plain text in a bank with several languages; expected one text for each of the bank's "
      "languages, such as {{en: ..., es: ...}}"]),
    ("unknown scale, text weight, bad applies_if, duplicate id, bad rule",
     lambda b: (edit(b / "b.yaml", "scale: three\n        effort", "scale: thre\n        effort"),
                edit(b / "b.yaml", "type: text\n", "type: text\n        weight: 2\n"),
                edit(b / "b.yaml", "[shop]", "[shops]"),
                edit(b / "b.yaml", "id: s3", "id: s1"),
                edit(b / "bank.yaml", "score: s3,", "score: s9,")),
     ["b.yaml:5: id 's1' is already used at {bank}/a.yaml:5; expected ids unique across the bank",
      "b.yaml:10: unknown scale 'thre'; did you mean 'three'?",
      "b.yaml:14: a text question is not scored; expected weight 0 or no weight",
      "b.yaml:19: 'shops' is not an option of profile question 'channel'; expected one of: shop, web, both",
      "bank.yaml:32: rule 's3-weak' names unknown id 's9'; expected one of: a, b, overall, s1, s2 "
      "(an area, a section or overall)"]),
    ("levels out of order",
     lambda b: edit(b / "bank.yaml", "{key: mid, from: 50", "{key: mid, from: 90"),
     ["bank.yaml:15: level 'high' starts at 80, not above level 'mid' (90); expected levels in ascending order"]),
    ("catch-all band before the last",
     lambda b: edit(b / "a.yaml", "          - {max: 3, score: 0.5}\n          - {score: 0}",
                    "          - {score: 0}\n          - {max: 3, score: 0.5}"),
     ["a.yaml:40: a band with neither max nor min matches everything; expected it to be the last band"]),
    ("type keys that do not belong",
     lambda b: edit(b / "b.yaml", "scale: three\n        effort", "scale: three\n        unit: days\n        effort"),
     ["b.yaml:11: key 'unit' does not belong to a scale question; expected only: scale"]),
    ("missing area file",
     lambda b: edit(b / "bank.yaml", "[a.yaml, b.yaml]", "[a.yaml, missing.yaml]"),
     ["bank.yaml:26: area file 'missing.yaml' not found in {bank}; expected an existing file"]),
    ("malformed YAML",
     lambda b: (b / "a.yaml").write_text("id: a\ntitle: [unclosed\n"),
     ["a.yaml:3: malformed YAML: " + ("did not find expected ',' or ']'" if yaml.__with_libyaml__  # libyaml's words
                                      else "expected ',' or ']', but got '<stream end>'")
      + "; expected valid YAML syntax"]),
    ("not UTF-8",
     lambda b: (b / "b.yaml").write_bytes(b"id: b\ntitle: \xff\n"),
     ["b.yaml:2: the file is not UTF-8 text (byte 0xff); expected a UTF-8 encoded file"]),
    ("empty file",
     lambda b: (b / "bank.yaml").write_text("# nothing yet\n"),
     ["bank.yaml:1: the file is empty; expected a YAML or JSON mapping"]),
    ("duplicate key",
     lambda b: edit(b / "b.yaml", "title: Area B\n", "title: Area B\ntitle: Again\n"),
     ["b.yaml:3: duplicate key 'title'; expected each key once"]),
    ("a list where a mapping is expected",
     lambda b: (b / "b.yaml").write_text("- id: b\n"),
     ["b.yaml:1: the file holds a list; expected a mapping of keys to values"]),
    ("missing key",
     lambda b: edit(b / "b.yaml", "title: Area B\n", ""),
     ["b.yaml:1: missing key 'title'; it is required"]),
]


@pytest.mark.parametrize("case", BANK_CASES, ids=[c[0] for c in BANK_CASES])
def test_bank_errors(bank: Path, case: tuple[str, Callable[[Path], None], list[str]]) -> None:
    _, spoil, expected = case
    spoil(bank)
    code, lines, out = run("validate", str(bank))
    assert code == 2 and out == ""
    assert lines == [f"{bank}/{line.format(bank=bank)}" for line in expected]


def test_alias_bomb_is_refused(bank: Path) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (bank / "a.yaml").write_text("\n".join(rows) + "\n")
    code, lines, _ = run("validate", str(bank))
    assert code == 2
    assert lines == [f"{bank}/a.yaml:1: the document expands to more than 200,000 values (YAML aliases "
                     "repeated too often); expected a smaller file"]


def test_deep_nesting_is_refused(bank: Path) -> None:
    (bank / "a.yaml").write_text("x: " + "[" * 100 + "]" * 100 + "\n")
    code, lines, _ = run("validate", str(bank))
    assert code == 2 and lines == [f"{bank}/a.yaml:1: values nested more than 64 levels deep; "
                                   "expected a flatter document"]


def test_missing_bank_folder(tmp_path: Path) -> None:
    code, lines, _ = run("validate", str(tmp_path / "nope"))
    assert code == 2 and lines == [f"{tmp_path}/nope:1: no such folder; expected a bank folder holding bank.yaml"]


# -- responses --------------------------------------------------------------------------

GOOD = """bank: mini
bank_version: "1"
organisation: Acme
respondent: {name: Ana, department: sales}
profile: {channel: web}
answers:
  q1: 2
  q2: x
  q3: [m1]
  q4: 2
"""

RESPONSE_CASES: list[tuple[str, str, str, list[str]]] = [
    ("unknown question", "  q4: 2\n", "  q4: 2\n  q44: 1\n",
     ["answers.yaml:11: unknown question 'q44'; did you mean 'q4'?"]),
    ("unknown option", "q2: x", "q2: z",
     ["answers.yaml:8: 'z' is not an option of question 'q2'; expected one of: x, y or na"]),
    ("number out of range", "q4: 2", "q4: 31",
     ["answers.yaml:10: answer to 'q4' is 31, outside its range; expected a number from 0 to 30"]),
    ("N/A not allowed", "q1: 2", "q1: na",
     ["answers.yaml:7: N/A is not allowed for question 'q1'; expected an answer"]),
    ("wrong shape", "q3: [m1]", "q3: m1",
     ["answers.yaml:9: answer to 'q3' is 'm1'; expected a list of options from: m1, m2, m3"]),
    ("repeated option", "q3: [m1]", "q3: [m1, m1]",
     ["answers.yaml:9: option 'm1' is chosen twice in 'q3'; expected each once"]),
    ("number as text", "q4: 2", "q4: two",
     ["answers.yaml:10: answer to 'q4' is 'two'; expected a finite number"]),
    ("unknown department", "department: sales", "department: sails",
     ["answers.yaml:4: unknown department 'sails'; did you mean 'sales'?"]),
    ("unknown profile answer", "channel: web", "channel: radio",
     ["answers.yaml:5: 'radio' is not an option of profile question 'channel'; expected one of: shop, web, both"]),
    ("unknown top-level key", "answers:\n", "answer:\n",
     ["answers.yaml:6: unknown key 'answer'; did you mean 'answers'? (allowed: bank, bank_version, organisation, "
      "respondent, language, submitted, profile, answers, comments, respondents)"]),
    ("answers for another bank", "bank: mini", "bank: maxi",
     ["answers.yaml:1: these answers are for bank 'maxi'; expected 'mini'"]),
    ("both forms at once", "answers:\n", "respondents: []\nanswers:\n",
     ["answers.yaml:1: a file has either a respondents list or respondent, profile, answers at the top, not both"]),
]


@pytest.mark.parametrize("case", RESPONSE_CASES, ids=[c[0] for c in RESPONSE_CASES])
def test_response_errors(tmp_path: Path, case: tuple[str, str, str, list[str]]) -> None:
    _, old, new, expected = case
    assert old in GOOD
    path = tmp_path / "answers.yaml"
    path.write_text(GOOD.replace(old, new, 1))
    code, lines, out = run("score", "--bank", str(MINI), str(path))
    assert code == 2 and out == ""
    assert lines == [f"{tmp_path}/{line}" for line in expected]


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.replace("q1: 2", "q1: 7").replace("q2: x", "q2: na\n  q9: 1"))
    (tmp_path / "b.json").write_text('{"bank": "mini", "answers": {"q1": 2,}}')
    code, lines, _ = run("score", "--bank", str(MINI), str(tmp_path))
    assert code == 2
    assert lines == [
        f"{tmp_path}/a.yaml:7: '7' is not an option of question 'q1'; expected one of: 0, 1, 2",
        f"{tmp_path}/a.yaml:9: unknown question 'q9'; expected one of: q1, q2, q3, q4, q5, q6, q7",
        f"{tmp_path}/b.json:1: malformed JSON: Expecting property name enclosed in double quotes; "
        "expected valid JSON",
    ]


def test_json_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{\n  "bank": "mini",\n  "answers": {\n    "q1": 2,\n    "q2": "q"\n  }\n}\n')
    code, lines, _ = run("score", "--bank", str(MINI), str(path))
    assert code == 2
    assert lines == [f"{path}:5: 'q' is not an option of question 'q2'; expected one of: x, y or na"]


def test_no_response_files(tmp_path: Path) -> None:
    code, lines, _ = run("score", "--bank", str(MINI), str(tmp_path), str(tmp_path / "missing.yaml"))
    assert code == 2
    assert lines == [f"{tmp_path}:1: no response files in this folder; expected .yaml, .yml or .json files",
                     f"{tmp_path}/missing.yaml:1: no such file or folder; expected a response file or a "
                     "folder of them"]


def test_version_mismatch_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(GOOD.replace('bank_version: "1"', 'bank_version: "0.9"'))
    code, _, out = run("score", "--bank", str(MINI), "--format", "json", str(path))
    assert code == 0
    assert f"{path}: answers are for bank version 0.9, the bank is version 1" in out


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "blank.yaml"
    target.write_text("keep me")
    code, _, _ = run("template", "--bank", str(tmp_path / "nope"), "-o", str(target))
    assert code == 2 and target.read_text() == "keep me"


# -- the same refusals from every command -----------------------------------------------

MINI_ANSWERS = str(MINI.parent / "mini-answers")
BAD_DATE = "bank: mini\nrespondents:\n  - submitted: 2026-11-20\n    answers: {q1: 1}\n" \
           "  - submitted: soon\n    answers: {q1: 2}\n"
COMMANDS: dict[str, list[str]] = {  # {tmp}: a new folder; {answers}: the answers given
    "score": ["score", "--bank", str(MINI), "{answers}"],
    "score --baseline": ["score", "--bank", str(MINI), "--baseline", "{answers}", MINI_ANSWERS],
    "export": ["export", "--bank", str(MINI), "-o", "{tmp}/audit.xlsx", "{answers}"],
    "report": ["report", "--bank", str(MINI), "-o", "{tmp}/report.pdf", "--html", "{tmp}/report.html", "{answers}"],
    "init --baseline": ["init", "{tmp}/client", "--client", "Acme", "--bank", str(MINI), "--baseline", "{answers}"],
    "template": ["template", "--bank", str(MINI), "-o", "{tmp}/blank.yaml"],
    "form": ["form", "--bank", str(MINI), "-o", "{tmp}/form.pdf"],
}


def command(name: str, tmp: Path, answers: Path | str) -> list[str]:
    return [arg.format(tmp=tmp, answers=answers) for arg in COMMANDS[name]]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_language_the_bank_lacks_is_bad_input_for_every_command(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    code, lines, stdout = run(*command(name, out, MINI_ANSWERS), "--lang", "fr")
    assert code == 2 and stdout == ""
    assert lines == [f"{MINI}/bank.yaml:3: --lang fr: the bank has no texts in 'fr'; expected one of its "
                     "languages: en"]
    assert not out.exists()


def test_a_language_the_bank_lacks_is_bad_input_for_each_client_of_a_batch(tmp_path: Path) -> None:
    code, _, _ = run("init", str(tmp_path / "one"), "--client", "One", "--bank", str(MINI), "--copy-bank")
    assert code == 0
    code, lines, _ = run("report", "--batch", str(tmp_path), "--lang", "fr")
    assert code == 2
    assert f"one: {tmp_path}/one/bank/bank.yaml:3: --lang fr: the bank has no texts in 'fr'; expected one of its " \
           "languages: en" in lines
    assert not (tmp_path / "one" / "report.pdf").exists()


@pytest.mark.parametrize("name", [name for name in COMMANDS if "{answers}" in COMMANDS[name]])
def test_an_unreadable_submitted_date_is_refused_by_every_command(tmp_path: Path, name: str) -> None:
    answers = tmp_path / "dates.yaml"
    answers.write_text(BAD_DATE, encoding="utf-8")
    out = tmp_path / "out"
    code, lines, stdout = run(*command(name, out, answers))
    assert code == 2 and stdout == ""
    assert lines == [f"{answers}:5: submitted: 'soon' is not a date; expected an ISO date or time such as "
                     "\"2026-11-22\" or \"2026-11-22T10:00:00Z\""]
    assert not out.exists()
