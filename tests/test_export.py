"""``loyalty-audit export``: the spreadsheet holds the CLI's numbers, and text stays text."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from .conftest import MINI, cli, respondent, write_yaml

EVIL = '=HYPERLINK("http://example.invalid","click")'


def team(tmp_path: Path) -> Path:
    return write_yaml(tmp_path / "team.yaml", {"bank": "mini", "organisation": "+Acme", "respondents": [
        respondent({"q1": 2, "q2": "na", "q3": ["m1", "m3"], "q4": 2.5, "q5": 1, "q6": "@SUM(A1)"},
                   name="-Ana", department="sales", profile={"channel": "web"}, comments={"q1": EVIL}),
        respondent({"q1": 0, "q5": 2}, department="ops", profile={"channel": "web"})]})


def scores(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli("score", "--bank", str(MINI), "--format", "json", str(path)).stdout)
    return data


def test_workbook_holds_the_cli_numbers_and_text_as_text(tmp_path: Path) -> None:
    answers = team(tmp_path)
    out = tmp_path / "audit.xlsx"
    run = cli("export", "--bank", str(MINI), "--name-respondents", "-o", str(out), str(answers))
    assert run.returncode == 0, run.stderr
    expected = scores(answers)
    again = tmp_path / "again.xlsx"
    time.sleep(1.1)  # a clock stamped anywhere in the file would now differ
    assert cli("export", "--bank", str(MINI), "--name-respondents", "-o", str(again), str(answers)).returncode == 0
    assert again.read_bytes() == out.read_bytes()  # the same answers give the same bytes
    book = load_workbook(out)
    assert book.sheetnames == ["Scores", "Answers", "Recommendations"]
    rows = list(book["Scores"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Kind", "Area", "Section", "Score")
    assert header[10:] == ("Coverage", "Provisional", "Department: Sales", "Department: Operations", "Id")
    by_id = {row[-1]: row for row in rows[1:]}
    assert by_id[None][0] == "Overall"  # the overall row has no id
    assert by_id[None][3] == expected["overall"]["score"]
    assert by_id[None][9] == expected["overall"]["percent_to_target"]
    for ident, node in {**expected["areas"], **expected["sections"]}.items():
        assert by_id[ident][3] == node["score"] and by_id[ident][6] == node["divergence"]
    assert by_id["a"][10] == expected["areas"]["a"]["coverage"]
    assert by_id["a"][12] == expected["departments"]["sales"]["areas"]["a"]
    answers_rows = list(book["Answers"].iter_rows(values_only=True))
    ana_q1 = next(r for r in answers_rows if r[0] == 1 and r[6] == "q1")
    assert ana_q1[1] == "-Ana" and ana_q1[2] == "Sales" and ana_q1[8] == "2" and ana_q1[10] == 100.0
    assert ana_q1[12] == EVIL
    cell = next(c for c in book["Answers"]["M"] if c.value == EVIL)
    assert cell.data_type == "s"  # stored as a text, never as a formula
    ana_q6 = next(r for r in answers_rows if r[0] == 1 and r[6] == "q6")
    assert ana_q6[8] == "@SUM(A1)" and ana_q6[10] is None
    recs = list(book["Recommendations"].iter_rows(values_only=True))[1:]
    efforts = {"low": "Low", "medium": "Medium", "high": "High"}
    assert [(r[3], r[6], r[7]) for r in recs] == [(x["question"], x["gain"], efforts[x["effort"]])
                                                  for x in expected["recommendations"]]


def test_csv_has_the_three_tables_and_defuses_formulas(tmp_path: Path) -> None:
    answers = team(tmp_path)
    out = tmp_path / "audit.csv"
    assert cli("export", "--bank", str(MINI), "--name-respondents", "-o", str(out), str(answers)).returncode == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r[0] for r in rows if r and r[0].startswith("# ")] == ["# Scores", "# Answers", "# Recommendations"]
    expected = scores(answers)
    overall = next(r for r in rows if r[:1] == ["Overall"])
    assert float(overall[3]) == expected["overall"]["score"]
    assert any(r and r[-1] == "'" + EVIL for r in rows)
    assert any(len(r) > 1 and r[1] == "'-Ana" for r in rows)


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = write_yaml(tmp_path / "bad.yaml", {"bank": "mini", "answers": {"q1": 5}})
    out = tmp_path / "audit.xlsx"
    run = cli("export", "--bank", str(MINI), "-o", str(out), str(bad))
    assert run.returncode == 2
    assert run.stderr == f"{bad}:3: '5' is not an option of question 'q1'; expected one of: 0, 1, 2\n"
    assert not out.exists()
    run = cli("export", "--bank", str(MINI), "-o", str(tmp_path / "audit.ods"), str(bad))
    assert run.returncode == 2 and "neither .xlsx nor .csv" in run.stderr


def test_respondents_are_numbered_unless_named(tmp_path: Path) -> None:
    answers = team(tmp_path)
    out = tmp_path / "audit.csv"
    assert cli("export", "--bank", str(MINI), "-o", str(out), str(answers)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "Ana" not in text and str(answers) not in text  # no name, no file
    rows = list(csv.reader(io.StringIO(text)))
    header = next(r for r in rows if r and r[0] == "Respondent")
    assert "Name" not in header and "File" not in header  # no column for them at all
    first = next(r for r in rows if r and r[0] == "1")
    assert first[header.index("Department")] == "Sales"
