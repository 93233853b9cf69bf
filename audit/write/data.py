"""The result and the answers as data: ``score --format json`` and ``csv``, response files.

Numbers are unrounded (``repr`` in CSV), exactly those of the engine. The JSON is strict:
a number that is not finite raises ``ValueError`` (a bug, exit 1) instead of printing
``NaN`` or ``Infinity``, which are not JSON.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..engine.followup import Followup
from ..engine.score import Node, Result
from ..model import Bank, Team, text_of
from ..model.answers import as_written
from .sheet import formula_safe


def to_json(result: Result, followup: Followup | None = None) -> str:
    """docs/score-json.md; with a follow-up, the same document plus a ``baseline`` member."""
    data = result.to_json()
    if followup is not None:
        data["baseline"] = followup.to_json()
    return dumps(data)


def dumps(data: Any) -> str:
    """JSON text; a number that is not finite (NaN, Infinity) is a bug, refused: it is not JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def to_csv(result: Result, lang: str | None = None) -> str:
    """One row per reported figure: overall, areas, sections, questions, departments."""
    lang = lang or result.bank.languages[0]
    titles = titles_of(result.bank, lang)

    def title(ident: str) -> str:  # the bank's words: data, never a formula
        return formula_safe(titles.get(ident, ""))

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", "title", "department", "score", "level", "divergence",
                     "flagged", "share", "answered", "gain", "effort", "coverage", "provisional", "dont_know",
                     "focus"])

    def row(kind: str, ident: str, node: Node) -> None:
        writer.writerow([kind, ident, title(ident), "", _num(node.score), node.level or "",
                         _num(node.divergence), str(node.flagged).lower(), "", "", "", "", _num(node.coverage),
                         str(node.provisional).lower(), "", ""])

    row("overall", "overall", result.overall)
    for ident, node in result.areas.items():
        row("area", ident, node)
    for ident, node in result.sections.items():
        row("section", ident, node)
    gains = {r.question: r for r in result.recommendations}
    for ident, q in result.questions.items():
        rec = gains.get(ident)
        writer.writerow(["question", ident, title(ident), "", _num(q.score), "", "", "",
                         repr(q.share), q.answered, repr(rec.gain) if rec else "",
                         rec.effort if rec else "", "", "", q.dont_know, " ".join(rec.focus) if rec else ""])
    for key, dept in result.departments.items():
        writer.writerow(["department", "overall", "", formula_safe(key), _num(dept.overall)] + [""] * 11)
        for ident, value in {**dept.areas, **dept.sections}.items():
            kind = "area" if ident in dept.areas else "section"
            writer.writerow([f"department-{kind}", ident, title(ident), formula_safe(key), _num(value)]
                            + [""] * 11)
    return out.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else repr(value)


def titles_of(bank: Bank, lang: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for area in bank.areas:
        titles[area.id] = text_of(area.title, lang)
        for section in area.sections:
            titles[section.id] = text_of(section.title, lang)
            for q in section.questions:
                titles[q.id] = text_of(q.text, lang)
    return titles


def responses_document(team: Team, named: bool = True) -> dict[str, Any]:
    """The team as one response file (docs/responses.md) (the ``respondents`` list form)."""
    entries = []
    for r in team.respondents:
        who: dict[str, Any] = {}
        if r.name is not None and named:
            who["name"] = r.name
        if r.department is not None:
            who["department"] = r.department
        entry: dict[str, Any] = {"respondent": who}
        if r.language is not None:
            entry["language"] = r.language
        if r.submitted is not None:
            entry["submitted"] = r.submitted
        entry["profile"] = dict(r.profile)
        entry["answers"] = {k: as_written(v) for k, v in r.answers.items()}
        if r.comments:
            entry["comments"] = dict(r.comments)
        entries.append(entry)
    doc: dict[str, Any] = {"bank": team.bank_id}
    if team.bank_version is not None:
        doc["bank_version"] = team.bank_version
    if team.organisation is not None:
        doc["organisation"] = team.organisation
    doc["respondents"] = entries
    return doc




def response_json(document: dict[str, Any]) -> str:
    """A response file's text, as the site exports it."""
    return dumps(document) + "\n"
