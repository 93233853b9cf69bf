"""Hostile and careless inputs: numbers too long or too large, deep or huge files, JSON's
duplicate keys and non-numbers, sums that overflow, plain texts in bilingual banks.

Every input is generated here. Each refusal is checked as a user sees it: exit status 2,
one ``path:line: message`` line per problem, at the line where the fault stands, no
traceback, nothing written.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from audit.cli import main
from audit.errors import InputError
from audit.read import documents
from audit.read.bank import load_bank
from audit.read.documents import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_document, parse_json, parse_yaml
from audit.read.plan import load_plan
from audit.write.data import dumps, response_json

from .conftest import MINI, ROOT

LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+)$")


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails with it
    return result.exit_code, result.stderr.splitlines(), result.stdout


def refused(lines: list[str]) -> list[tuple[str, int, str]]:
    """The problem lines as (path, line, message); every line must be one."""
    out = []
    for text in lines:
        match = LINE.match(text)
        assert match, f"not a problem line: {text!r}"
        out.append((match["path"], int(match["line"]), match["message"]))
    assert "Traceback" not in "\n".join(lines)
    return out


def line_of(text: str, marker: str) -> int:
    """The line (from 1) where ``marker`` first appears in ``text``."""
    return text[: text.index(marker)].count("\n") + 1


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(MINI, folder)
    return folder


# -- 2. integers too long to convert ------------------------------------------------------

BIG_NUMBERS = ["9" * 4301, "-" + "1" * 5000, "7" * 20_000, "1" * 400, "3" * 350 + ".5",
               "1.5e+999", "-2.0e+400"]
BIG_YAML_ONLY = ["0x" + "f" * 4000, "0" + "7" * 5000, "0b" + "1" * 20_000, "1" + ":0" * 3000]


def answers_yaml(value: str, where: str) -> tuple[str, str]:
    """A response file with ``value`` at ``where``; the marker is on the value's line."""
    rows = ["bank: mini", "respondent: {name: Ana}", "profile: {channel: web}", "answers:", "  q1: 2"]
    if where == "answer":
        rows.append(f"  q4: {value}")
    elif where == "key":  # an explicit key: a plain one may not be longer than 1,024 characters
        rows += [f"  ? {value}", "  : 1"]
    elif where == "list":
        rows += ["  q3:", "    - m1", f"    - {value}"]
    else:  # in a comment's place, deeper
        rows += ["comments:", "  q1:", f"    nested: {value}"]
    return "\n".join(rows) + "\n", value[:20]


@pytest.mark.parametrize("value", BIG_NUMBERS + BIG_YAML_ONLY)
@pytest.mark.parametrize("where", ["answer", "key", "list", "deep"])
def test_too_long_numbers_in_yaml_answers(tmp_path: Path, value: str, where: str) -> None:
    text, marker = answers_yaml(value, where)
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    code, lines, out = run("score", "--bank", str(MINI), str(path))
    assert code == 2 and out == ""
    [(name, line, message)] = refused(lines)
    assert (name, line) == (str(path), line_of(text, marker))
    assert "is too large; expected a number below 1.8e308" in message


@pytest.mark.parametrize("value", [v for v in BIG_NUMBERS if "+" not in v] + ["1e999", "-4E+400", "1" * 600 + "e2"])
@pytest.mark.parametrize("indent", [None, 2])
def test_too_long_numbers_in_json_answers(tmp_path: Path, value: str, indent: int | None) -> None:
    doc = {"bank": "mini", "respondent": {"name": "Ana"}, "answers": {"q1": 2, "q4": "@@"}}
    text = json.dumps(doc, indent=indent).replace('"@@"', value)
    path = tmp_path / "answers.json"
    path.write_text(text)
    code, lines, out = run("score", "--bank", str(MINI), str(path))
    assert code == 2 and out == ""
    [(name, line, message)] = refused(lines)
    assert (name, line) == (str(path), line_of(text, value))
    assert "is too large; expected a number below 1.8e308" in message


@pytest.mark.parametrize("value", ["9" * 4301, "8" * 320, "0x" + "a" * 5000, "1.0e+500"])
@pytest.mark.parametrize("spot", [("bank.yaml", "target: 75\n", "target: {}\n"),
                                  ("a.yaml", "weight: 2\n", "weight: {}\n"),
                                  ("b.yaml", "target: 60\n", "target: {}\n")])
def test_too_long_numbers_in_a_bank(bank: Path, value: str, spot: tuple[str, str, str]) -> None:
    name, old, new = spot
    path = bank / name
    text = path.read_text()
    assert old in text
    line = line_of(text, old)
    path.write_text(text.replace(old, new.format(value), 1))
    code, lines, out = run("validate", str(bank))
    assert code == 2 and out == ""
    assert [(p, n) for p, n, _ in refused(lines)] == [(str(path), line)]
    assert "is too large" in lines[0]


@pytest.mark.parametrize("value", ["9" * 4301, "5" * 10_000, "1.0e+309"])
@pytest.mark.parametrize("key", ["one_off_cost", "yearly_cost", "yearly_benefit"])
def test_too_long_numbers_in_a_plan(tmp_path: Path, value: str, key: str) -> None:
    text = plan_text([{"one_off_cost": 100, "yearly_cost": 10, "yearly_benefit": 50}], override={key: value})
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_plan(path, load_bank(MINI))
    assert [(p.path, p.line) for p in caught.value.problems] == [(str(path), line_of(text, f"{key}: {value[:5]}"))]
    assert "is too large" in caught.value.problems[0].message


@pytest.mark.parametrize("spot", [("bank.yaml", "target: 75\n", "target: {}\n"),
                                  ("a.yaml", "weight: 2\n", "weight: {}\n")])
def test_too_long_numbers_stop_mkdocs_with_one_line(tmp_path: Path, bank: Path, spot: tuple[str, str, str]) -> None:
    name, old, new = spot
    text = (bank / name).read_text()
    line = line_of(text, old)
    (bank / name).write_text(text.replace(old, new.format("9" * 5000), 1))
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
                      f"plugins:\n  - loyalty-audit:\n      bank: {json.dumps(str(bank))}\n")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                            "-d", str(tmp_path / "site")], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert built.returncode != 0
    assert "Traceback" not in built.stderr and "ValueError" not in built.stderr
    mentions = [ln for ln in built.stderr.splitlines() if f"{name}:" in ln]
    assert len(mentions) == 1, built.stderr
    assert f"{name}:{line}: number 99999999999999999999... (5,000 characters) is too large" in mentions[0]
    assert not (tmp_path / "site" / "index.html").exists()


def test_too_long_numbers_in_a_batch(tmp_path: Path) -> None:
    """One client for each way of spoiling an answer file, and one good client, in one batch."""
    clients = tmp_path / "clients"
    spoils = ("yaml-int", "json-int", "json-nan")
    for client in ("acme", *spoils):
        shutil.copytree(MINI, clients / client / "bank")
        shutil.copytree(ROOT / "tests" / "data" / "mini-answers", clients / client / "answers")
    expected = {}
    for spoil in spoils:
        answers = clients / spoil / "answers"
        if spoil == "yaml-int":
            path = answers / "3.yaml"
            path.write_text(f"bank: mini\nrespondent: {{name: Zed}}\nanswers:\n  q4: {'4' * 4400}\n")
            expected[spoil] = f"{path}:4: number 44444444444444444444... (4,400 characters) is too large"
        else:
            path = answers / "3.json"
            value = "4" * 4400 if spoil == "json-int" else "NaN"
            path.write_text(f'{{\n  "bank": "mini",\n  "respondent": {{"name": "Zed"}},\n  "answers": {{\n'
                            f'    "q4": {value}\n  }}\n}}\n')
            expected[spoil] = f"{path}:5: " + ("number 44444444444444444444..." if spoil == "json-int" else
                                                "NaN is not a number JSON allows")
    out = tmp_path / "out"
    code, lines, _ = run("report", "--batch", str(clients), "-o", str(out), "--jobs", "1")
    assert code == 2
    assert "Traceback" not in "\n".join(lines)
    for spoil, line in expected.items():
        spoiled = [ln for ln in lines if ln.startswith(f"{spoil}: ")]
        assert len(spoiled) == 1 and spoiled[0].startswith(f"{spoil}: {line}"), lines
    assert sorted(p.name for p in out.iterdir()) == ["acme-appendix.pdf", "acme.pdf"]  # no spoiled client's


# -- 3. deeply nested JSON ----------------------------------------------------------------

def nested(depth: int, kind: str) -> str:
    """``{"x": ...}`` whose value ``x`` is nested ``depth`` levels deep (x itself is level 1)."""
    if kind == "list":
        inner = "[" * depth + "]" * depth
    elif kind == "object":
        inner = '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)
    else:
        inner = '[{"a": ' * ((depth + 1) // 2) + "1" + "}]" * ((depth + 1) // 2)
    return '{"x": ' + inner + "}"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 50_000, 300_000])
@pytest.mark.parametrize("kind", ["list", "object", "mixed"])
def test_deep_json_is_refused_like_yaml(tmp_path: Path, depth: int, kind: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(nested(depth, kind))
    code, lines, out = run("score", "--bank", str(MINI), str(path))
    assert code == 2 and out == ""
    assert lines == [f"{path}:1: values nested more than {MAX_DEPTH} levels deep; expected a flatter document"]
    yaml_path = tmp_path / "answers.yaml"
    yaml_path.write_text(nested(depth, kind))  # JSON text is flow YAML: the same refusal
    code, lines, _ = run("score", "--bank", str(MINI), str(yaml_path))
    assert code == 2
    assert lines == [f"{yaml_path}:1: values nested more than {MAX_DEPTH} levels deep; expected a flatter document"]


@pytest.mark.parametrize("kind", ["list", "object"])
def test_nesting_up_to_the_limit_is_read(kind: str) -> None:
    text = nested(MAX_DEPTH, kind)
    assert parse_json(text, "x.json").data == json.loads(text)
    assert parse_yaml(text, "x.yaml").data == json.loads(text)


def test_deep_json_bank_area_file(bank: Path) -> None:
    (bank / "bank.yaml").write_text((bank / "bank.yaml").read_text().replace("a.yaml", "a.json"))
    (bank / "a.json").write_text('{\n"id": "a",\n"title": ' + "[" * 40_000 + "]" * 40_000 + "}")
    code, lines, _ = run("validate", str(bank))
    assert code == 2
    assert lines == [f"{bank}/a.json:3: values nested more than {MAX_DEPTH} levels deep; expected a flatter document"]


# -- 4. JSON: duplicate keys, NaN and Infinity, every problem at its line -----------------

def pretty_response(rng: random.Random) -> list[str]:
    """A valid response file as JSON lines, in one of several layouts."""
    answers = [f'"q1": {rng.choice([0, 1, 2])}', '"q2": "x"', '"q4": 3', '"q5": 1']
    rng.shuffle(answers)
    head = ["{", '  "bank": "mini",', '  "bank_version": "1",', '  "respondent": {', '    "name": "Ana"', "  },",
            '  "profile": {"channel": "web"},', '  "answers": {']
    body = ["    " + a + ("," if i < len(answers) - 1 else "") for i, a in enumerate(answers)]
    return [""] * rng.randint(0, 3) + head + body + ["  }", "}"]


@pytest.mark.parametrize("seed", range(8))
def test_json_duplicate_keys_are_refused_at_their_lines(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = pretty_response(rng)
    places = {"answers": (rows.index('  "answers": {') + 1, rng.choice(['"q1"', '"q2"', '"q4"', '"q5"']), "    "),
              "top": (rows.index("{") + 1, rng.choice(['"bank"', '"bank_version"', '"answers"']), "  "),
              "respondent": (rows.index('  "respondent": {') + 1, '"name"', "    ")}
    chosen = rng.sample(sorted(places), rng.randint(1, 3))
    for where in sorted(chosen, key=lambda w: -places[w][0]):  # from the bottom: earlier indexes hold
        index, key, indent = places[where]
        rows.insert(index, f"{indent}{key}: 0,")
    text = "\n".join(rows) + "\n"
    path = tmp_path / "answers.json"
    path.write_text(text)
    code, lines, out = run("score", "--bank", str(MINI), str(path))
    assert code == 2 and out == ""
    expected = []
    for where in chosen:
        _, key, indent = places[where]
        found = [i + 1 for i, r in enumerate(rows) if r.startswith(f"{indent}{key}:")]
        expected.append((str(path), found[1], f"duplicate key '{key.strip(chr(34))}'; expected each key once"))
    assert refused(lines) == sorted(expected)


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("seed", range(3))
def test_json_nan_and_infinity_at_their_lines(tmp_path: Path, word: str, seed: int) -> None:
    rng = random.Random(seed)
    rows = pretty_response(rng)
    spots = [i for i, r in enumerate(rows) if '"q4": 3' in r or '"q5": 1' in r]
    for i in rng.sample(spots, rng.randint(1, len(spots))):
        rows[i] = rows[i].replace(" 3", f" {word}").replace(" 1", f" {word}")
    text = "\n".join(rows)
    path = tmp_path / "answers.json"
    path.write_text(text)
    code, lines, _ = run("score", "--bank", str(MINI), str(path))
    assert code == 2
    expected = [(str(path), n + 1, f"{word} is not a number JSON allows; expected a finite number")
                for n, r in enumerate(rows) if word in r]
    assert refused(lines) == expected


SPOILS = [  # problems against the bank, and problems of shape (which stop the file's checks there)
    [('"q1": ', '"q1": 7', "'7' is not an option of question 'q1'"),
     ('"q2": "x"', '"q2": "zz"', "'zz' is not an option of question 'q2'"),
     ('"q4": 3', '"q4": "three"', "answer to 'q4' is 'three'; expected a finite number"),
     ('"q5": 1', '"q9": 1', "unknown question 'q9'")],
    [('"name": "Ana"', '"nam": "Ana"', "unknown key 'nam' in respondent"),
     ('"bank_version": "1"', '"bank_version": 1', "bank_version: got 1; expected a text"),
     ('"channel": "web"', '"channel": ["web"]', "profile.channel: expected an option key")],
]


@pytest.mark.parametrize("seed", range(10))
def test_every_json_problem_at_its_own_line(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = pretty_response(rng)
    group = SPOILS[seed % 2]
    chosen = rng.sample(group, rng.randint(2, len(group)))
    expected = []
    for old, new, message in chosen:
        i = next(i for i, r in enumerate(rows) if old in r)
        rows[i] = re.sub(re.escape(old) + r"\d?", new, rows[i])
        expected.append((i + 1, message))
    path = tmp_path / "answers.json"
    path.write_text("\n".join(rows) + "\n")
    code, lines, _ = run("score", "--bank", str(MINI), str(path))
    assert code == 2
    problems = refused(lines)
    assert len(problems) == len(expected)
    for line, message in expected:
        assert any(n == line and message in m for _, n, m in problems), (line, message, lines)
    assert all(n > 1 for _, n, _ in problems)


@pytest.mark.parametrize("broken", ['"q1": 2,,', '"q1" 2,', '"q1": tru,', '"q1": 2 "x",', '"q1": "a\x01",'])
def test_malformed_json_at_its_line(tmp_path: Path, broken: str) -> None:
    rows = pretty_response(random.Random(1))
    i = next(i for i, r in enumerate(rows) if '"q1"' in r)
    rows[i] = "    " + broken
    text = "\n".join(rows)
    path = tmp_path / "answers.json"
    path.write_text(text)
    code, lines, _ = run("score", "--bank", str(MINI), str(path))
    assert code == 2
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(text)
    assert [(n, m.startswith("malformed JSON: ")) for _, n, m in refused(lines)] == [(stdlib.value.lineno, True)]


def random_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth > 5 or pick < 0.45:
        return rng.choice([None, True, False, rng.randint(-10**18, 10**18), rng.uniform(-1e300, 1e300),
                           rng.random(), -0.0, 0.5e-320, 10**300,
                           "".join(rng.choice('ab"\\/\n\t\u00e9\u2028\U0001f600\x01 ')
                                   for _ in range(rng.randint(0, 9)))])
    if pick < 0.7:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {"".join(rng.choice("kq\u00e9\"\\/") for _ in range(rng.randint(0, 5))): random_value(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}


@pytest.mark.parametrize("seed", range(4))
def test_json_is_read_exactly_as_json(seed: int) -> None:
    """Whatever the layout and escapes (\\/, surrogate pairs, \\u2028), the values are json's."""
    rng = random.Random(seed)
    for _ in range(150):
        value = random_value(rng)
        text = json.dumps(value, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 0, 2, "\t"]))
        text = text.replace("/", "\\/") if rng.random() < 0.3 and '"' in text else text
        assert json.dumps(parse_json(text, "x.json").data) == json.dumps(json.loads(text))


# -- 5. large files -----------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("size", [MAX_BYTES + 1, 3 * MAX_BYTES])
def test_large_files_are_refused_by_size_before_reading(tmp_path: Path, suffix: str, size: int) -> None:
    path = tmp_path / f"answers{suffix}"
    with path.open("wb") as stream:  # a sparse file: its size costs no disk
        stream.write(b'{"bank": "mini", "comments": {"q1": "')
        stream.truncate(size)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            load_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # refused before reading
    [problem] = caught.value.problems
    assert problem.line == 1 and f"larger than {MAX_BYTES / 1e6:g} MB" in problem.message
    code, lines, _ = run("score", "--bank", str(MINI), str(path))
    assert code == 2 and len(lines) == 1 and "larger than" in lines[0]


def many_values(count: int, form: str) -> str:
    if form == "json":
        return '{"bank": "mini", "answers": {"q3": [' + ",".join(["0"] * count) + "]}}"
    if form == "flow":
        return "bank: mini\nanswers: {q3: [" + ", ".join(["m1"] * count) + "]}\n"
    if form == "keys":
        return "bank: mini\ncomments:\n" + "".join(f"  q{i}: x\n" for i in range(count))
    return "bank: mini\nanswers:\n  q3:\n" + "".join("    - m1\n" for _ in range(count))


@pytest.mark.parametrize("form", ["json", "flow", "block", "keys"])
def test_too_many_values_are_refused_as_they_come(tmp_path: Path, form: str) -> None:
    path = tmp_path / ("answers.json" if form == "json" else "answers.yaml")
    path.write_text(many_values(MAX_NODES + 10, form))
    with pytest.raises(InputError) as caught:
        load_document(path)
    [problem] = caught.value.problems
    assert problem.message == (f"the file holds more than {MAX_NODES:,} values; expected at most "
                               f"{MAX_NODES:,} (split it into several files)")
    assert "aliases" not in problem.message


@pytest.mark.parametrize("form", ["json", "flow"])
def test_refusing_too_many_values_builds_no_tree(tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the values are counted, memory holds the values read so far, a few bytes each, and
    the text: no node tree. Traced at a tenth of the limit (tracing slows allocation up to twentyfold),
    which gives the same bytes per value as the limit itself."""
    limit = MAX_NODES // 10
    monkeypatch.setattr(documents, "MAX_NODES", limit)
    path = tmp_path / ("answers.json" if form == "json" else "answers.yaml")
    text = many_values(limit + 10, form)
    path.write_text(text)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            load_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [problem] = caught.value.problems
    assert problem.message.startswith(f"the file holds more than {limit:,} values; ")
    assert peak < 20 * len(text.encode())


def alias_bomb(path: Path) -> Path:
    """Nine levels of ten aliases each: a billion values from a few hundred bytes."""
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_alias_bombs_name_the_aliases(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_document(alias_bomb(tmp_path / "answers.yaml"))
    [problem] = caught.value.problems
    assert problem.message == (f"the document expands to more than {MAX_NODES:,} values (YAML aliases repeated "
                               "too often); expected a smaller file")


def test_an_alias_bomb_stops_within_a_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kilobyte per value expanded at most, traced at a tenth of the limit (tracing slows
    allocation several times over; the bytes per value do not hang on the limit)."""
    limit = MAX_NODES // 10
    monkeypatch.setattr(documents, "MAX_NODES", limit)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            load_document(alias_bomb(tmp_path / "answers.yaml"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "YAML aliases repeated too often" in caught.value.problems[0].message
    assert peak < 1_000 * limit


def response_file(path: Path, respondents: int, rng: random.Random) -> Path:
    entries = [{"respondent": {"name": f"Person {i}", "department": rng.choice(["sales", "ops"])},
                "profile": {"channel": rng.choice(["web", "both", "shop"])},
                "answers": {"q1": rng.randint(0, 2), "q2": rng.choice(["x", "y"]), "q4": rng.randint(0, 50)},
                "comments": {"q1": "Un comentario útil. " * rng.randint(0, 12)}} for i in range(respondents)]
    doc = {"bank": "mini", "respondents": entries}
    if path.suffix == ".json":
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=rng.choice([None, 2])), encoding="utf-8")
    else:
        path.write_text(yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("respondents", [1_500, 5_000])
def test_memory_is_a_small_multiple_of_the_file(tmp_path: Path, suffix: str, respondents: int) -> None:
    path = response_file(tmp_path / f"answers{suffix}", respondents, random.Random(respondents))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        doc = load_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(doc.data["respondents"]) == respondents
    assert peak < 20 * size, f"{peak / size:.1f} bytes of memory per byte of file"
    text = path.read_text(encoding="utf-8")
    last = text.count("\n", 0, text.rindex('"q4"' if suffix == ".json" else "q4:")) + 1
    assert doc.line(("respondents", respondents - 1, "answers", "q4")) == last


def test_json_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = response_file(tmp_path / "answers.json", 20, random.Random(3))
    calls: list[str] = []

    def counting(text: str, name: str) -> Any:
        calls.append(name)
        return parse_json(text, name)

    def never(*_: Any) -> Any:
        raise AssertionError("a JSON file read as YAML")

    monkeypatch.setattr(documents, "parse_json", counting)
    monkeypatch.setattr(documents, "parse_yaml", never)
    monkeypatch.setattr(json, "loads", never)
    assert len(load_document(path).data["respondents"]) == 20
    assert calls == [str(path)]


def write_large_bank(folder: Path, questions: int, areas: int, suffix: str) -> Path:
    """A two-language bank with every kind of question and long texts."""
    def text(s: str) -> dict[str, str]:
        return {"es": f"{s}: texto de ayuda " * 4, "en": f"{s}: some help text " * 4}

    folder.mkdir(parents=True)
    names = []
    per = questions // areas
    for a in range(areas):
        sections = []
        for s in range(per // 10):
            items = []
            for k in range(10):
                i = a * per + s * 10 + k
                q: dict[str, Any] = {"id": f"q{i}", "text": text(f"Q{i}"), "help": text("help"),
                                     "suggestion": text("do"), "kpis": [text("kpi")], "evidence": text("ev"),
                                     "weight": 1 + i % 3}
                if i % 3 == 0:
                    q["scale"] = "five"
                elif i % 3 == 1:
                    q.update(type="choice", options=[{"key": f"o{j}", "label": text(f"o{j}"), "score": j / 3,
                                                      "help": text("h")} for j in range(4)])
                else:
                    q.update(type="number", unit=text("days"), range=[0, 1000],
                             bands=[{"max": 10, "score": 1}, {"max": 100, "score": 0.5}, {"score": 0}])
                items.append(q)
            sections.append({"id": f"a{a}-s{s}", "title": text("S"), "questions": items})
        area = {"id": f"a{a}", "title": text("A"), "sections": sections}
        name = f"area{a}{suffix}"
        (folder / name).write_text(json.dumps(area, ensure_ascii=False, indent=2) if suffix == ".json" else
                                   yaml.safe_dump(area, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append(name)
    header = {"id": "big", "version": "1", "languages": ["es", "en"], "title": text("Big"),
              "scales": {"five": [{"key": k, "label": text(f"{k}"), "score": k / 4, "help": text("h")}
                                  for k in range(5)]},
              "areas": names}
    (folder / "bank.yaml").write_text(yaml.safe_dump(header, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("areas", "suffix"), [(1, ".yaml"), (1, ".json"), (4, ".yaml")])
def test_a_bank_of_a_thousand_questions_loads(tmp_path: Path, areas: int, suffix: str) -> None:
    loaded = load_bank(write_large_bank(tmp_path / "bank", 1000, areas, suffix))
    assert len(loaded.questions()) == 1000


# -- 6. numbers that overflow -------------------------------------------------------------

WEIGHT_CASES = [  # weights written, index of the one refused (None: accepted)
    ([1e308, 1e308], 0), ([1.7e308], 0), ([1, 2, 9e307, 9e307], 2), ([6e299, 6e299], 1), ([3, 1e300, 1e300], 2),
    ([4e299, 4e299], None), ([1e-300, 5e-324, 3], None),
]


def yaml_float(value: float) -> str:
    return f"{value:.17e}"  # with a dot and a signed exponent: a float to YAML 1.1


@pytest.mark.parametrize(("weights", "refused_at"), WEIGHT_CASES)
@pytest.mark.parametrize("level", ["questions", "sections", "areas"])
def test_weights_whose_sums_overflow_are_refused(tmp_path: Path, weights: list[float], refused_at: int | None,
                                                 level: str) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    count = {key: len(weights) if level == key else 1 for key in ("areas", "sections", "questions")}
    names: list[str] = []
    spots: list[tuple[str, int]] = []  # where each weight of ``level`` is written
    n = 0
    for a in range(count["areas"]):
        path = folder / f"area{a}.yaml"
        rows = [f"id: a{a}", "title: A", f"weight: {yaml_float(weights[a] if level == 'areas' else 1)}", "sections:"]
        if level == "areas":
            spots.append((str(path), 3))
        for s in range(count["sections"]):
            rows += [f"  - id: s{a}-{s}", "    title: S",
                     f"    weight: {yaml_float(weights[s] if level == 'sections' else 1)}", "    questions:"]
            if level == "sections":
                spots.append((str(path), len(rows) - 1))
            for k in range(count["questions"]):
                rows += [f"      - id: q{n}", "        scale: two", "        text: Q",
                         f"        weight: {yaml_float(weights[k] if level == 'questions' else 1)}"]
                if level == "questions":
                    spots.append((str(path), len(rows)))
                n += 1
        path.write_text("\n".join(rows) + "\n")
        names.append(path.name)
    (folder / "bank.yaml").write_text(yaml.safe_dump({
        "id": "w", "version": "1", "languages": ["en"], "title": "W", "areas": names,
        "scales": {"two": [{"key": 0, "label": "No", "score": 0}, {"key": 1, "label": "Yes", "score": 1}]}}))
    code, lines, out = run("validate", str(folder))
    if refused_at is None:
        assert code == 0, lines
        answers = tmp_path / "answers.yaml"
        answers.write_text(yaml.safe_dump({"bank": "w", "respondents": [
            {"respondent": {"name": f"R{i}"}, "answers": {f"q{k}": (i + k) % 2 for k in range(n)}} for i in range(3)]}))
        code, lines, out = run("score", "--bank", str(folder), "--format", "json", str(answers))
        assert code == 0, lines
        strict_json(out)
        return
    assert code == 2 and out == ""
    [(path_, line, message)] = refused(lines)
    assert (path_, line) == spots[refused_at]
    assert "is too large" in message and "add up to more than 1e+300" in message


def plan_text(amounts: list[dict[str, Any]], override: dict[str, str] | None = None) -> str:
    rows = ["currency: EUR", "actions:"]
    for i, a in enumerate(amounts):
        rows += [f"  - id: act-{i}", f"    title: Action {i}", "    questions: [q1]", "    quarter: 2027-Q1"]
        for key in ("one_off_cost", "yearly_cost", "yearly_benefit"):
            value = a[key]
            written = (override or {}).get(key, yaml_float(value) if isinstance(value, float) else str(value))
            rows.append(f"    {key}: {written}")
    return "\n".join(rows) + "\n"


PLAN_CASES = [  # amounts, (action, key) refused or None
    ([{"one_off_cost": 1e308, "yearly_cost": 0, "yearly_benefit": 1}] * 2, (0, "one_off_cost")),
    ([{"one_off_cost": 1, "yearly_cost": 1.7e308, "yearly_benefit": 1}], (0, "yearly_cost")),
    ([{"one_off_cost": 1, "yearly_cost": 0, "yearly_benefit": 6e299}] * 3, (1, "yearly_benefit")),
    ([{"one_off_cost": 4e299, "yearly_cost": 0, "yearly_benefit": 1e299}] * 3, (2, "one_off_cost")),
    ([{"one_off_cost": 1e10, "yearly_cost": 0, "yearly_benefit": 1e-300}], (0, "one_off_cost")),
    ([{"one_off_cost": 1e299, "yearly_cost": 1e299, "yearly_benefit": 3e299}] * 3, None),
    ([{"one_off_cost": 5, "yearly_cost": 0, "yearly_benefit": 1e-300}], None),
]


@pytest.mark.parametrize(("amounts", "refused_at"), PLAN_CASES)
def test_plan_amounts_whose_sums_overflow_are_refused(tmp_path: Path, amounts: list[dict[str, Any]],
                                                      refused_at: tuple[int, str] | None) -> None:
    text = plan_text(amounts)
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    bank = load_bank(MINI)
    if refused_at is None:
        plan = load_plan(path, bank)
        assert all(math.isfinite(a.payback_months or 0) for a in plan.actions)
        return
    with pytest.raises(InputError) as caught:
        load_plan(path, bank)
    index, key = refused_at
    rows = text.splitlines()
    starts = [i for i, r in enumerate(rows) if r.startswith("  - id:")]
    line = next(i + 1 for i, r in enumerate(rows) if i > starts[index] and r.startswith(f"    {key}:"))
    assert [(p.path, p.line) for p in caught.value.problems] == [(str(path), line)]
    assert "too large" in caught.value.problems[0].message


@pytest.mark.parametrize("hours", ["internal_hours", "yearly_internal_hours"])
def test_staff_time_whose_cost_overflows_the_sums_is_refused_at_its_hours(tmp_path: Path, hours: str) -> None:
    """Each action's hours at the hourly cost are finite (1e300), their sum over two actions is not."""
    rows = ["currency: EUR", "hourly_cost: 1.0e+150", "actions:"]
    for i in range(2):
        rows += [f"  - id: act-{i}", f"    title: Action {i}", "    questions: [q1]", "    quarter: 2027-Q1",
                 "    one_off_cost: 1", "    yearly_cost: 0", "    yearly_benefit: 1", f"    {hours}: 1.0e+150"]
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError) as caught:
        load_plan(path, load_bank(MINI))
    line = max(i + 1 for i, r in enumerate(rows) if r.startswith(f"    {hours}:"))  # the second action's
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (str(path), line)
    assert problem.message.startswith(f"{hours} 1e+150 at 1e+150 an hour is too large: the plan's costs add up to "
                                      "more than 1e+300")


def strict_json(text: str) -> Any:
    def refuse(word: str) -> Any:
        raise AssertionError(f"{word} in JSON output")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("seed", range(5))
def test_score_json_is_strict_json(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    entries = [{"respondent": {"name": f"R{i}", "department": rng.choice(["sales", "ops"])},
                "profile": {"channel": rng.choice(["web", "both", "shop"])},
                "answers": {q: v for q, v in {"q1": rng.choice([0, 1, 2, "dont_know"]),
                                              "q2": rng.choice(["x", "y", "na"]),
                                              "q4": rng.choice([0, 5, 1e300, -1e300, 5e-324])}.items()
                            if rng.random() < 0.8}}
               for i in range(rng.randint(1, 4))]
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"bank": "mini", "respondents": entries}))
    code, lines, out = run("score", "--bank", str(MINI), "--format", "json", str(path))
    if code == 0:
        strict_json(out)
    else:
        refused(lines)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_the_json_writer_refuses_non_finite_numbers(bad: float) -> None:
    with pytest.raises(ValueError):
        dumps({"overall": {"score": bad}})
    with pytest.raises(ValueError):
        response_json({"answers": {"q4": bad}})
    assert strict_json(dumps({"overall": {"score": 1e308}}))["overall"]["score"] == 1e308


# -- 14. a bilingual bank with a plain string -------------------------------------------

def bilingual_bank(folder: Path, plain: str | None) -> dict[str, Path]:
    """A two-language bank with every kind of text; the text named ``plain`` is a plain string."""
    def t(name: str) -> Any:
        return f"PLAIN-{name}" if name == plain else {"es": f"es {name}", "en": f"en {name}"}

    folder.mkdir(parents=True)
    header = {
        "id": "duo", "version": "1", "languages": ["es", "en"], "title": t("title"), "description": t("description"),
        "scales": {"two": [{"key": 0, "label": t("option-label"), "score": 0, "help": t("option-help")},
                           {"key": 1, "label": {"es": "Sí", "en": "Yes"}, "score": 1}]},
        "levels": [{"key": "low", "from": 0, "label": t("level-label"), "summary": t("level-summary")}],
        "departments": [{"key": "d1", "label": t("department-label")}],
        "profile": [{"id": "p", "text": t("profile-text"), "help": t("profile-help"),
                     "options": [{"key": "a", "label": t("profile-option")}]}],
        "areas": ["area.yaml"],
        "rules": [{"id": "r", "when": [{"score": "area", "below": 50}], "title": t("rule-title"),
                   "text": t("rule-text")}],
    }
    area = {"id": "area", "title": t("area-title"), "description": t("area-description"), "sections": [{
        "id": "sec", "title": t("section-title"), "description": t("section-description"), "questions": [
            {"id": "q1", "scale": "two", "text": t("question-text"), "help": t("question-help"),
             "evidence": t("evidence"), "suggestion": t("suggestion"), "kpis": [t("kpi")]},
            {"id": "q2", "type": "number", "text": {"es": "N", "en": "N"}, "unit": t("unit"),
             "bands": [{"max": 1, "score": 1, "label": t("band-label")}, {"score": 0}]},
            {"id": "q3", "type": "choice", "text": {"es": "C", "en": "C"},
             "options": [{"key": "x", "label": t("choice-label"), "score": 1}]},
        ]}]}
    files = {"bank.yaml": header, "area.yaml": area}
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200),
                                   encoding="utf-8")
    return {name: folder / name for name in files}


TEXTS = ["title", "description", "option-label", "option-help", "level-label", "level-summary", "department-label",
         "profile-text", "profile-help", "profile-option", "rule-title", "rule-text", "area-title", "area-description",
         "section-title", "section-description", "question-text", "question-help", "evidence", "suggestion", "kpi",
         "unit", "band-label", "choice-label"]


@pytest.mark.parametrize("plain", TEXTS)
def test_a_plain_string_in_a_bilingual_bank_is_refused(tmp_path: Path, plain: str) -> None:
    files = bilingual_bank(tmp_path / "bank", plain)
    code, lines, out = run("validate", str(tmp_path / "bank"))
    assert code == 2 and out == ""
    [(path, line, message)] = refused(lines)
    text = Path(path).read_text(encoding="utf-8")
    assert path in {str(p) for p in files.values()}
    assert line == line_of(text, f"PLAIN-{plain}")
    assert message.startswith("a plain text in a bank with several languages; expected one text for each")
    assert "{es: ..., en: ...}" in message


def test_every_text_translated_is_valid(tmp_path: Path) -> None:
    bilingual_bank(tmp_path / "bank", None)
    code, lines, _ = run("validate", str(tmp_path / "bank"))
    assert code == 0, lines


def test_plain_strings_are_fine_in_a_one_language_bank(tmp_path: Path) -> None:
    files = bilingual_bank(tmp_path / "bank", "title")
    for path in files.values():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = json.dumps(data, ensure_ascii=False)
        text = re.sub(r'\{"es": "es ([^"]*)", "en": "en [^"]*"\}', r'"\1"', text)
        text = re.sub(r'\{"es": "([^"]*)", "en": "[^"]*"\}', r'"\1"', text)
        data = json.loads(text)
        if "languages" in data:
            data["languages"] = ["en"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = load_bank(tmp_path / "bank")
    assert loaded.title == {"en": "PLAIN-title"}


@pytest.mark.parametrize("folder", ["questions", "tests/data/mini"])
def test_shipped_banks_stay_valid(folder: str) -> None:
    code, lines, out = run("validate", str(ROOT / folder))
    assert code == 0, lines
    assert "is valid" in out
