"""Render a :class:`~audit.score.Result` for the terminal (table), as JSON, or as CSV."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .followup import Change, Followup
from .model import Bank
from .score import Node, Result


def text_of(value: str | dict[str, str] | None, lang: str) -> str:
    """A bank text in ``lang`` (texts are ``{language: text}`` once a bank is loaded)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang) or next(iter(value.values()), "")


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def to_json(result: Result, followup: Followup | None = None) -> str:
    """SPEC §5; with a follow-up, the same document plus a ``baseline`` member."""
    data = result.to_json()
    if followup is not None:
        data["baseline"] = followup.to_json()
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(result: Result, lang: str | None = None) -> str:
    """One row per reported figure: overall, areas, sections, questions, departments."""
    lang = lang or result.bank.languages[0]
    titles = _titles(result.bank, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", "title", "department", "score", "level", "divergence",
                     "flagged", "share", "answered", "gain", "effort"])

    def row(kind: str, ident: str, node: Node) -> None:
        writer.writerow([kind, ident, titles.get(ident, ""), "", _num(node.score), node.level or "",
                         _num(node.divergence), str(node.flagged).lower(), "", "", "", ""])

    row("overall", "overall", result.overall)
    for ident, node in result.areas.items():
        row("area", ident, node)
    for ident, node in result.sections.items():
        row("section", ident, node)
    gains = {r.question: r for r in result.recommendations}
    for ident, q in result.questions.items():
        rec = gains.get(ident)
        writer.writerow(["question", ident, titles.get(ident, ""), "", _num(q.score), "", "", "",
                         repr(q.share), q.answered, repr(rec.gain) if rec else "",
                         rec.effort if rec else ""])
    for key, dept in result.departments.items():
        writer.writerow(["department", "overall", "", key, _num(dept.overall)] + [""] * 7)
        for ident, value in {**dept.areas, **dept.sections}.items():
            kind = "area" if ident in dept.areas else "section"
            writer.writerow([f"department-{kind}", ident, titles.get(ident, ""), key, _num(value)]
                            + [""] * 7)
    return out.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else repr(value)


def _titles(bank: Bank, lang: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for area in bank.areas:
        titles[area.id] = text_of(area.title, lang)
        for section in area.sections:
            titles[section.id] = text_of(section.title, lang)
            for q in section.questions:
                titles[q.id] = text_of(q.text, lang)
    return titles


def print_table(result: Result, console: Console, lang: str | None = None, top: int = 10) -> None:
    """The readable summary: scores with levels and divergence, diagnoses, recommendations."""
    bank = result.bank
    lang = lang or bank.languages[0]
    titles = _titles(bank, lang)
    levels = {lv.key: text_of(lv.label, lang) for lv in bank.levels}
    head = f"{text_of(bank.title, lang)} — {result.team.organisation or ''}".rstrip(" —")
    console.print(Text(head, style="bold"))
    console.print(Text(f"{len(result.team.respondents)} respondent(s), completion "
                       f"{fmt(None if result.completion is None else 100 * result.completion)} %, "
                       f"percent to target "
                       f"{fmt(None if result.percent_to_target is None else 100 * result.percent_to_target)} %"))

    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    table.add_column("score", justify="right")
    table.add_column("level")
    table.add_column("divergence", justify="right")
    o = result.overall
    table.add_row(Text("Overall", style="bold"), fmt(o.score), levels.get(o.level or "", ""),
                  fmt(o.divergence))
    for area in bank.areas:
        a = result.areas.get(area.id)
        if a is None:
            continue
        table.add_row(Text(titles[area.id], style="bold"), fmt(a.score), levels.get(a.level or "", ""),
                      _div(a))
        for section in area.sections:
            s = result.sections.get(section.id)
            if s is not None:
                table.add_row(Text("  " + titles[section.id]), fmt(s.score),
                              levels.get(s.level or "", ""), _div(s))
    console.print(table)

    rules = {r.id: r for r in bank.rules}
    if result.diagnoses:
        console.print(Text("Diagnoses", style="bold"))
        for rid in result.diagnoses:
            console.print(Text(f"  • {text_of(rules[rid].title, lang)}"))
    if result.recommendations:
        recs = Table(show_header=True, header_style="bold", title=None)
        recs.add_column("#", justify="right")
        recs.add_column("question")
        recs.add_column("gain", justify="right")
        recs.add_column("effort")
        for i, rec in enumerate(result.recommendations[:top], 1):
            recs.add_row(str(i), Text(f"{rec.question}: {titles[rec.question]}"), f"{rec.gain:.2f}",
                         rec.effort)
        console.print(Text(f"Top recommendations ({min(top, len(result.recommendations))} of "
                           f"{len(result.recommendations)})", style="bold"))
        console.print(recs)
    for warning in result.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))


def print_followup(followup: Followup, bank: Bank, console: Console, lang: str | None = None) -> None:
    """Scores against the baseline: before, now, change, and progress to target (OWASP SAMM)."""
    lang = lang or bank.languages[0]
    titles = _titles(bank, lang)
    console.print(Text(f"Since the baseline ({followup.respondents} respondent(s), bank version "
                       f"{followup.bank_version or '?'})", style="bold"))
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    for name in ("baseline", "now", "change", "target", "progress"):
        table.add_column(name, justify="right")

    def add(label: Text, c: Change) -> None:
        change = "—" if c.change is None else f"{c.change:+.1f}"
        progress = "—" if c.progress is None else f"{100 * c.progress:.0f} %"
        table.add_row(label, fmt(c.baseline), fmt(c.current), change, f"{c.target:g}", progress)

    add(Text("Overall", style="bold"), followup.overall)
    for area in bank.areas:
        if area.id in followup.areas:
            add(Text(titles[area.id], style="bold"), followup.areas[area.id])
        for section in area.sections:
            if section.id in followup.sections:
                add(Text("  " + titles[section.id]), followup.sections[section.id])
    console.print(table)
    if followup.not_compared:
        console.print(Text(f"not in the baseline: {', '.join(followup.not_compared)}"))
    for dropped in followup.dropped:
        console.print(Text(f"baseline answer set aside: {dropped}", style="yellow"))


def _div(node: Node) -> Text:
    text = Text(fmt(node.divergence))
    if node.flagged:
        text.append(" ⚑", style="bold red")
    return text
