"""``loyalty-audit export``: the audit as a spreadsheet, for consultants who live in one.

Three tables, from the one scoring :class:`~audit.engine.score.Result` (numbers unrounded, exactly
those of ``score --format json``):

- **Scores**: overall, areas and sections with level, target, divergence, flag, and one
  column per department;
- **Answers**: every answer of every respondent, with name, department, question, the
  answer as given and its label, its score on 0..100 and the comment;
- **Recommendations**: rank, question, advice, gain in overall points and effort.

``.xlsx`` writes one sheet per table (header row bold and frozen, numbers as numbers).
``.csv`` writes the three tables one under the other in one file, each after a row naming
it and its own header row.

Sheet names, column headers and the fixed words (yes, no, N/A) come from the export's
catalogue (``templates/export/messages.yaml``) in the export's language; the values of the
``kind``, ``level`` and ``effort`` columns are the keys ``score --format json`` gives.

Respondents' text (answers, comments, names, organisation) is data, never a formula: in the
workbook every text is a text cell, and in the CSV a text that a spreadsheet would take for
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with ``'``, as OWASP advises against CSV injection. A text may hold line breaks (a
comment of several lines, a bare carriage return): the CSV quotes every field of a row that
holds one, so no break can start a row of its own, and a line that starts like a formula
after a break is prefixed with ``'`` too, for a program that splits lines before it reads
quotes. The workbook cannot hold most control characters (XML forbids them): they are
written as the format's own escape, ``_x001B_``, which spreadsheet programs read back as
the character.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from ..engine.score import Result, target_of
from ..model import DONT_KNOW, NA, Question, Response, answer_score, kind_of, text_of
from ..model.answers import POOLED, UNSPECIFIED
from .messages import Words

Row = list[Any]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Every character ``str.splitlines`` breaks at: a spreadsheet may start a row at any of them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FORMULA_AFTER_BREAK = re.compile(r"([\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])(?=[=+\-@\t])")


def _answer(q: Question, value: Any, words: Words) -> tuple[str | float, str]:
    """The answer as given (a key, keys joined, a number, a text) and its label."""
    lang = words.lang
    if value is NA:
        return "na", words("na")
    if value is DONT_KNOW:
        return "dont_know", words("dont_know")
    kind = kind_of(q)
    labels = "; ".join(text_of(o.label, lang) for o in kind.chosen(q, value))
    if kind.answer == "multiple":
        return ", ".join(value), labels
    if kind.answer == "single":
        return value, labels or value
    if kind.answer == "numeric":
        return float(value), ""
    return str(value), ""


def tables(result: Result, words: Words, named: bool = False) -> list[tuple[str, list[str], list[Row]]]:
    """(name, header, rows) of the three tables; respondents' names and files only when ``named``."""
    bank = result.bank
    lang = words.lang
    targets: dict[str, float] = {}
    titles: dict[str, str] = {}
    where: dict[str, tuple[str, str]] = {}
    for area in bank.areas:
        titles[area.id] = text_of(area.title, lang)
        targets[area.id] = target_of(bank, area)
        for section in area.sections:
            titles[section.id] = text_of(section.title, lang)
            targets[section.id] = target_of(bank, area, section)
            for q in section.questions:
                where[q.id] = (area.id, section.id)
    depts = list(result.departments)
    dept_labels = {d.key: text_of(d.label, lang) for d in bank.departments}
    dept_labels[POOLED] = words("pooled")

    o = result.overall
    score_rows: list[Row] = [["overall", "overall", text_of(bank.title, lang), o.score, o.level, bank.target,
                              o.divergence, o.flagged, result.completion, result.percent_to_target, o.coverage,
                              o.provisional]
                             + [result.departments[d].overall for d in depts]]
    for kind, nodes in (("area", result.areas), ("section", result.sections)):
        for ident, node in nodes.items():
            score_rows.append([kind, ident, titles[ident], node.score, node.level, targets[ident], node.divergence,
                               node.flagged, None, None, node.coverage, node.provisional]
                              + [(result.departments[d].areas if kind == "area" else result.departments[d].sections)
                                 .get(ident) for d in depts])
    score_header = [words(key) for key in ("kind", "id", "title", "score", "level", "target", "divergence",
                                           "flagged", "completion", "percent_to_target", "coverage",
                                           "provisional")] \
        + [words("department_column", department=dept_labels.get(d, d)) for d in depts]

    questions = {q.id: q for _, _, q in bank.questions()}
    answer_rows: list[Row] = []
    for n, r in enumerate(result.team.respondents, 1):
        answer_rows += _answer_rows(n, r, questions, result, titles, where, dept_labels, words, named)
    answer_header = [words(key) for key in ("respondent", "name", "department", "file", "area", "section",
                                            "question_id", "question", "answer", "label", "score", "applies",
                                            "comment")]

    rec_rows: list[Row] = []
    for rank, rec in enumerate(result.recommendations, 1):
        q = questions[rec.question]
        rec_rows.append([rank, rec.question, titles[where[rec.question][1]], text_of(q.text, lang),
                         text_of(q.suggestion, lang), rec.gain, rec.effort])
    rec_header = [words(key) for key in ("rank", "question_id", "section", "question", "advice", "gain", "effort")]
    return [(words("sheet_scores"), score_header, score_rows), (words("sheet_answers"), answer_header, answer_rows),
            (words("sheet_recommendations"), rec_header, rec_rows)]


def _answer_rows(n: int, r: Response, questions: dict[str, Question], result: Result, titles: dict[str, str],
                 where: dict[str, tuple[str, str]], dept_labels: dict[str, str], words: Words,
                 named: bool) -> list[Row]:
    dept = (r.department or UNSPECIFIED) if named else result.department_of().get(n - 1, "")
    rows: list[Row] = []
    for qid in [q for q in questions if q in r.answers or q in r.comments]:
        q = questions[qid]
        area, section = where[qid]
        given: str | float | None
        label = ""
        s = None
        if qid in r.answers:
            given, label = _answer(q, r.answers[qid], words)
            s = answer_score(q, r.answers[qid])
        else:
            given = None
        applies = qid in result.questions
        rows.append([n, r.name if named else None, dept_labels.get(dept, dept) or None,
                     r.source if named else None, titles[area], titles[section], qid,
                     text_of(q.text, words.lang), given, label, None if s is None or not applies else 100 * s,
                     applies, r.comments.get(qid)])
    return rows


def to_xlsx(result: Result, words: Words, named: bool = False) -> bytes:
    """The workbook: one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, header, rows in tables(result, words, named):
        sheet = book.create_sheet(name)
        sheet.append([_xml_text(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v, words) for v in row])
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a text is a text, even one that starts with "="
        sheet.freeze_panes = "A2"
        for i, title in enumerate(header, 1):
            longest = max([len(str(title))] + [len(str(row[i - 1])) for row in rows[:200] if row[i - 1] is not None])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    book.properties.creator = "loyalty-audit"
    out = io.BytesIO()
    book.save(out)
    return _deterministic(out.getvalue(), _stamp(result))


def _stamp(result: Result) -> str:
    """The workbook's date: the audit's (the latest ``submitted``), else the ZIP epoch."""
    day, stamp = result.team.date, result.team.stamp
    if day is None or stamp is None:
        return "1980-01-01T00:00:00Z"
    return stamp if "T" in stamp else f"{day.isoformat()}T00:00:00Z"


def _deterministic(xlsx: bytes, stamp: str) -> bytes:
    """The same workbook with no time of writing in it (openpyxl stamps the clock into the
    document properties and every ZIP entry): the same answers give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cell(value: Any, words: Words) -> Any:
    if isinstance(value, bool):
        return words("yes" if value else "no")
    if isinstance(value, str):
        return _xml_text(value)
    return value


# What a workbook cannot hold as it is: the controls openpyxl refuses (its ILLEGAL_CHARACTERS_RE),
# the other characters XML 1.0 forbids, and a "_" that would start an escape of its own
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _xml_text(text: str) -> str:
    """``text`` with each character a workbook cannot hold written as OOXML's escape ``_xHHHH_``."""
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _csv_text(value: Any, words: Words) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return words("yes" if value else "no")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        value = _FORMULA_AFTER_BREAK.sub(r"\1'", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _breaks(row: Row) -> bool:
    return any(isinstance(v, str) and any(c in LINE_BREAKS for c in v) for v in row)


def to_csv(result: Result, words: Words, named: bool = False) -> str:
    """The three tables in one CSV file, each after a row with its name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # the csv module quotes a field for "\n" (the line terminator) but not for "\r" or any other
    # break: a row that holds one has every text quoted (numbers stay numbers)
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    for i, (name, header, rows) in enumerate(tables(result, words, named)):
        if i:
            writer.writerow([])
        writer.writerow([f"# {name}"])
        writer.writerow(header)
        for row in rows:
            cells = [_csv_text(v, words) for v in row]
            if _breaks(cells):
                quoted.writerow([v if isinstance(v, float) else c for v, c in zip(row, cells, strict=True)])
            else:
                writer.writerow(cells)
    return out.getvalue()


def export_bytes(result: Result, words: Words, suffix: str, named: bool = False) -> bytes:
    """The export in the format named by ``suffix`` (``.xlsx`` or ``.csv``)."""
    if suffix == ".xlsx":
        return to_xlsx(result, words, named)
    # a lone surrogate (an escape in a JSON or YAML string) cannot be UTF-8: written as its escape
    return to_csv(result, words, named).encode("utf-8", errors="backslashreplace")


SUFFIXES: Sequence[str] = (".xlsx", ".csv")
