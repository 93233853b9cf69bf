"""``loyalty-audit export``: the audit as a spreadsheet, a data pack for consultants who live in one.

Tables from the one scoring :class:`~audit.engine.score.Result` (numbers unrounded, exactly
those of ``score --format json``; the workbook's number formats do the rounding):

- **Scores**: the overall score, every area and every section, one row each, with the kind
  of row and its parent area and section in columns of their own (filter on the kind, and a
  pivot never adds an area to its own sections), level, target, divergence, flag,
  completion, percent to target, coverage, provisional and one column per department;
- **Answers**: every answer of every respondent, with department, area, section, question,
  the answer as given and its label, its score on 0..100 and the comment (the respondent's
  name and file only when ``named``);
- **Recommendations**: rank, area, section, question, advice, gain in overall points,
  effort and whether a diagnosis puts it in focus;
- with a baseline (``--baseline``), **Follow-up**: every score then and now, the change and
  the progress to target; with a plan (``--plan``), **Plan** (its actions and their payback,
  staff time included), **Cash flow** (by year, also with the benefit cut) and **Payback**
  (the whole plan's figures).

``.xlsx`` writes one sheet per table, each an Excel table with filters (header row frozen,
numbers as numbers: scores ``0.0``, fractions ``0.0%``, gains ``0.00``, money ``#,##0``).
``.csv`` writes the tables one under the other in one file, each after a row naming it and
its own header row.

Sheet names, column headers, the kinds of row, effort and the fixed words (yes, no, N/A)
come from the export's catalogue (``templates/export/messages.yaml``) in the export's
language; levels, departments, titles and questions from the bank.

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
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..engine.followup import Change, Followup
from ..engine.payback import BENEFIT_CUT, Plan
from ..engine.score import Result, target_of
from ..model import DONT_KNOW, NA, Question, Response, answer_score, kind_of, text_of
from ..model.answers import POOLED, UNSPECIFIED
from .formats import percent
from .messages import Words

Row = list[Any]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Every character ``str.splitlines`` breaks at: a spreadsheet may start a row at any of them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FORMULA_AFTER_BREAK = re.compile(r"([\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])(?=[=+\-@\t])")

# the workbook's number formats: what each column shows (its value stays unrounded)
SCORE, PERCENT, GAIN, MONEY, MONTHS, WHOLE = "0.0", "0.0%", "0.00", "#,##0", "0.0", "0"
HOURS = None  # as written: 40, or 12.5


@dataclass
class Table:
    """One table of the export: its sheet, its columns (header and number format) and its rows."""

    key: str  # the Excel table's name: ASCII, the same in every language
    name: str  # the sheet's name, in the export's language
    header: list[str]
    formats: list[str | None]
    rows: list[Row]
    row_formats: list[str | None] | None = None  # a table of figures: the format of each row's last cell


def _table(key: str, name: str, columns: Sequence[tuple[str, str | None]], rows: list[Row]) -> Table:
    return Table(key, name, [c for c, _ in columns], [f for _, f in columns], rows)


def _answer(q: Question, value: Any, words: Words) -> tuple[str | float, str]:
    """The answer as given (a key, keys joined, a number, a text) and its label."""
    lang = words.lang
    if value is NA:
        return words("na"), words("na")
    if value is DONT_KNOW:
        return words("dont_know"), words("dont_know")
    kind = kind_of(q)
    labels = "; ".join(text_of(o.label, lang) for o in kind.chosen(q, value))
    if kind.answer == "multiple":
        return ", ".join(value), labels
    if kind.answer == "single":
        return value, labels or value
    if kind.answer == "numeric":
        return float(value), ""
    return str(value), ""


def tables(result: Result, words: Words, named: bool = False, followup: Followup | None = None,
           plan: Plan | None = None) -> list[Table]:
    """The export's tables; respondents' names and files only when ``named``; the follow-up
    and the plan's tables when they are given."""
    bank = result.bank
    lang = words.lang
    targets: dict[str, float] = {}
    titles: dict[str, str] = {}
    where: dict[str, tuple[str, str]] = {}
    parent: dict[str, str] = {}
    for area in bank.areas:
        titles[area.id] = text_of(area.title, lang)
        targets[area.id] = target_of(bank, area)
        for section in area.sections:
            titles[section.id] = text_of(section.title, lang)
            targets[section.id] = target_of(bank, area, section)
            parent[section.id] = area.id
            for q in section.questions:
                where[q.id] = (area.id, section.id)
    levels = {lv.key: text_of(lv.label, lang) for lv in bank.levels}
    depts = list(result.departments)
    dept_labels = {d.key: text_of(d.label, lang) for d in bank.departments}
    dept_labels[POOLED] = words("pooled")
    dept_labels[UNSPECIFIED] = words("unspecified")

    def place(kind: str, ident: str) -> list[Any]:
        """The kind of row, its area and its section, in words."""
        if kind == "overall":
            return [words("kind_overall"), None, None]
        if kind == "area":
            return [words("kind_area"), titles[ident], None]
        if kind == "question":
            area_id, section_id = where[ident]
            return [words("kind_question"), titles[area_id], titles[section_id]]
        return [words("kind_section"), titles[parent[ident]], titles[ident]]

    o = result.overall
    score_rows: list[Row] = [place("overall", "") + [o.score, levels.get(o.level or ""), bank.target, o.divergence,
                                                     o.flagged, result.completion, result.percent_to_target,
                                                     o.coverage, o.provisional]
                             + [result.departments[d].overall for d in depts] + [None]]
    for kind, nodes in (("area", result.areas), ("section", result.sections)):
        for ident, node in nodes.items():
            score_rows.append(place(kind, ident) + [node.score, levels.get(node.level or ""), targets[ident],
                                                    node.divergence, node.flagged, None, None, node.coverage,
                                                    node.provisional]
                              + [(result.departments[d].areas if kind == "area" else result.departments[d].sections)
                                 .get(ident) for d in depts] + [ident])
    score_columns = [(words("kind"), None), (words("area"), None), (words("section"), None), (words("score"), SCORE),
                     (words("level"), None), (words("target"), SCORE), (words("divergence"), SCORE),
                     (words("flagged"), None), (words("completion"), PERCENT),
                     (words("percent_to_target"), PERCENT), (words("coverage"), PERCENT),
                     (words("provisional"), None)] \
        + [(words("department_column", department=dept_labels.get(d, d)), SCORE) for d in depts] \
        + [(words("id"), None)]

    questions = {q.id: q for _, _, q in bank.questions()}
    answer_rows: list[Row] = []
    for n, r in enumerate(result.team.respondents, 1):
        answer_rows += _answer_rows(n, r, questions, result, titles, where, dept_labels, words, named)
    answer_columns = [(words("respondent"), WHOLE)] \
        + ([(words("name"), None)] if named else []) + [(words("department"), None)] \
        + ([(words("file"), None)] if named else []) \
        + [(words("area"), None), (words("section"), None), (words("question_id"), None), (words("question"), None),
           (words("answer"), None), (words("label"), None), (words("score"), SCORE), (words("applies"), None),
           (words("comment"), None)]

    rec_rows: list[Row] = []
    for rank, rec in enumerate(result.recommendations, 1):
        q = questions[rec.question]
        area_id, section_id = where[rec.question]
        rec_rows.append([rank, titles[area_id], titles[section_id], rec.question, text_of(q.text, lang),
                         text_of(q.suggestion, lang), rec.gain, words(f"effort_{rec.effort}"), bool(rec.focus)])
    rec_columns = [(words("rank"), WHOLE), (words("area"), None), (words("section"), None),
                   (words("question_id"), None), (words("question"), None), (words("advice"), None),
                   (words("gain"), GAIN), (words("effort"), None), (words("in_focus"), None)]
    out = [_table("Scores", words("sheet_scores"), score_columns, score_rows),
           _table("Answers", words("sheet_answers"), answer_columns, answer_rows),
           _table("Recommendations", words("sheet_recommendations"), rec_columns, rec_rows)]
    if followup is not None:
        out.append(_followup_table(followup, place, questions, words))
    if plan is not None:
        out += _plan_tables(plan, result, dept_labels, words)
    return out


def _followup_table(f: Followup, place: Callable[[str, str], list[Any]], questions: dict[str, Question],
                    words: Words) -> Table:
    """Every score then and now: overall, areas, sections, questions."""
    def row(kind: str, ident: str, c: Change, question: str | None) -> Row:
        return place(kind, ident) + [question, c.baseline, c.current, c.change,
                                     None if kind == "question" else c.target,
                                     None if kind == "question" else c.progress, ident or None]

    rows = [row("overall", "", f.overall, None)]
    rows += [row("area", k, c, None) for k, c in f.areas.items()]
    rows += [row("section", k, c, None) for k, c in f.sections.items()]
    rows += [row("question", k, c, text_of(questions[k].text, words.lang)) for k, c in f.questions.items()]
    columns = [(words("kind"), None), (words("area"), None), (words("section"), None), (words("question"), None),
               (words("baseline"), SCORE), (words("current"), SCORE), (words("change"), SCORE),
               (words("target"), SCORE), (words("progress"), PERCENT), (words("id"), None)]
    return _table("Followup", words("sheet_followup"), columns, rows)


def _plan_tables(plan: Plan, result: Result, dept_labels: dict[str, str], words: Words) -> list[Table]:
    """The plan's actions, its cash flow by year and the whole plan's payback."""
    lang = words.lang
    ranks = {r.question: i for i, r in enumerate(result.recommendations, 1)}
    money = f" ({plan.currency})"
    rows: list[Row] = []
    for totals, actions in plan.quarters:
        for a in actions:
            rows.append([totals.label, text_of(a.title, lang), dept_labels.get(a.owner, a.owner) if a.owner else None,
                         ", ".join(f"#{ranks[q]}" for q in a.recommendations) or None,
                         a.one_off_cost, a.internal_hours, a.investment, a.yearly_cost, a.yearly_internal_hours,
                         a.running_cost, a.yearly_benefit, a.net_yearly, a.payback_months, a.gain,
                         text_of(a.benefit_basis, lang) or None])
    columns = [(words("quarter"), None), (words("action"), None), (words("owner"), None),
               (words("recommendations"), None), (words("one_off_cost") + money, MONEY),
               (words("internal_hours"), HOURS), (words("investment") + money, MONEY),
               (words("yearly_cost") + money, MONEY), (words("yearly_internal_hours"), HOURS),
               (words("running_cost") + money, MONEY), (words("yearly_benefit") + money, MONEY),
               (words("net_yearly") + money, MONEY), (words("payback_months"), MONTHS), (words("gain"), GAIN),
               (words("benefit_basis"), None)]
    out = [_table("Plan", words("sheet_plan"), columns, rows)]
    if plan.case is None or plan.cut is None:
        return out
    cut = words("with_cut", cut=percent(BENEFIT_CUT, lang, 0))
    flows = [[y.year, y.cost, y.benefit, y.net, y.cumulative, c.cumulative]
             for y, c in zip(plan.case.years, plan.cut.years, strict=True)]
    out.append(_table("CashFlow", words("sheet_cash_flow"), [
        (words("year"), WHOLE), (words("costs") + money, MONEY), (words("benefit") + money, MONEY),
        (words("net") + money, MONEY), (words("cumulative") + money, MONEY),
        (words("cumulative") + money + " " + cut, MONEY)], flows))
    total = plan.total
    figures: list[tuple[str, Any, str | None]] = [
        (words("investment") + money, total.investment, MONEY),
        (words("internal_hours"), total.internal_hours, HOURS),
        (words("running_cost") + money, total.running_cost, MONEY),
        (words("yearly_internal_hours"), total.yearly_internal_hours, HOURS),
        (words("hourly_cost") + money, plan.hourly_cost, MONEY),
        (words("yearly_benefit") + money, total.yearly_benefit, MONEY),
        (words("net_yearly") + money, total.net_yearly, MONEY),
        (words("plan_payback"), plan.case.payback_months, MONTHS),
        (words("break_even"), plan.case.break_even_months, MONTHS),
        (words("plan_payback") + " " + cut, plan.cut.payback_months, MONTHS),
        (words("break_even") + " " + cut, plan.cut.break_even_months, MONTHS)]
    out.append(Table("Payback", words("sheet_payback"), [words("figure"), words("value")], [None, None],
                     [[name, value] for name, value, _ in figures], [fmt for *_, fmt in figures]))
    return out


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
        rows.append([n] + ([r.name] if named else []) + [dept_labels.get(dept, dept) or None]
                    + ([r.source] if named else [])
                    + [titles[area], titles[section], qid, text_of(q.text, words.lang), given, label or None,
                       None if s is None or not applies else 100 * s, applies, r.comments.get(qid)])
    return rows


def to_xlsx(result: Result, words: Words, named: bool = False, followup: Followup | None = None,
            plan: Plan | None = None) -> bytes:
    """The workbook: one sheet per table, each an Excel table with filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as SheetTable
    from openpyxl.worksheet.table import TableStyleInfo

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables(result, words, named, followup, plan):
        sheet = book.create_sheet(table.name[:31])
        header = [_xml_text(h) for h in table.header]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, row in enumerate(table.rows):
            sheet.append([_cell(v, words) for v in row])
            for j, cell in enumerate(sheet[sheet.max_row]):
                last = table.row_formats is not None and j == len(row) - 1
                fmt = table.row_formats[i] if table.row_formats is not None and last else table.formats[j]
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a text is a text, even one that starts with "="
                elif fmt is not None and isinstance(cell.value, (int, float)):
                    cell.number_format = fmt
        sheet.freeze_panes = "A2"
        for i, title in enumerate(header, 1):
            longest = max([len(str(title))] + [len(str(row[i - 1])) for row in table.rows[:200]
                                               if row[i - 1] is not None and isinstance(row[i - 1], str)]
                          + [10 for row in table.rows[:1] if not isinstance(row[i - 1], str)])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
        corner = f"{get_column_letter(len(header))}{max(2, len(table.rows) + 1)}"
        sheet_table = SheetTable(displayName=table.key, ref=f"A1:{corner}")
        sheet_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(sheet_table)
    book.properties.creator = "loyalty-audit"
    out = io.BytesIO()
    with _exact_numbers():
        book.save(out)
    return _deterministic(out.getvalue(), _stamp(result))


@contextmanager
def _exact_numbers() -> Iterator[None]:
    """openpyxl writes numbers with 16 significant digits (``"%.16g"``), and some scores need
    17 to read back as the same float: while the workbook is saved, a float is written as
    Python's shortest exact text (``repr``), so every cell holds the CLI's very number."""
    from openpyxl.cell import _writer

    original = _writer.safe_string  # type: ignore[attr-defined]

    def exact(value: Any) -> Any:
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        return original(value)

    _writer.safe_string = exact  # type: ignore[attr-defined]
    try:
        yield
    finally:
        _writer.safe_string = original  # type: ignore[attr-defined]


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
        return formula_safe(value)
    return value


def formula_safe(text: str) -> str:
    """``text`` as a spreadsheet opening a CSV file shows it, never run as a formula: a quote
    before a formula's first character, at the start and after each line break."""
    text = _FORMULA_AFTER_BREAK.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _breaks(row: Row) -> bool:
    return any(isinstance(v, str) and any(c in LINE_BREAKS for c in v) for v in row)


def to_csv(result: Result, words: Words, named: bool = False, followup: Followup | None = None,
           plan: Plan | None = None) -> str:
    """The tables in one CSV file, each after a row with its name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # the csv module quotes a field for "\n" (the line terminator) but not for "\r" or any other
    # break: a row that holds one has every text quoted (numbers stay numbers)
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    for i, table in enumerate(tables(result, words, named, followup, plan)):
        name, header, rows = table.name, table.header, table.rows
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


def export_bytes(result: Result, words: Words, suffix: str, named: bool = False, followup: Followup | None = None,
                 plan: Plan | None = None) -> bytes:
    """The export in the format named by ``suffix`` (``.xlsx`` or ``.csv``), with the follow-up's
    and the plan's tables when they are given."""
    if suffix == ".xlsx":
        return to_xlsx(result, words, named, followup, plan)
    # a lone surrogate (an escape in a JSON or YAML string) cannot be UTF-8: written as its escape
    return to_csv(result, words, named, followup, plan).encode("utf-8", errors="backslashreplace")


SUFFIXES: Sequence[str] = (".xlsx", ".csv")
