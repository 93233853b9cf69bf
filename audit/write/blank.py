"""A blank response file (docs/responses.md) to fill in by hand, with the questions as comments."""

from __future__ import annotations

import json

from ..model import Bank, Question, kind_of, text_of


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str = "  ") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() or [""]]


def _answer_hint(q: Question, lang: str) -> str:
    na = (" | na" if q.na else "") + (" | dont_know" if q.dont_know and kind_of(q).na else "")
    shape = kind_of(q).answer
    if shape == "single":
        return " | ".join(f"{o.key} = {text_of(o.label, lang)}" for o in q.options or []) + na
    if shape == "multiple":
        return "[" + ", ".join(o.key for o in q.options or []) + "]" + na
    if shape == "numeric":
        unit = f" {text_of(q.unit, lang)}" if q.unit else ""
        span = f" ({q.range[0]:g}..{q.range[1]:g})" if q.range else ""
        return f"number{unit}{span}{na}"
    return "text"


def blank_response(bank: Bank, lang: str) -> str:
    """The YAML text of an unanswered response file for ``bank`` in ``lang``."""
    out = [f"# {text_of(bank.title, lang)} ({bank.id} {bank.version})",
           "# Fill in each answer after its colon; leave it empty to skip a question.",
           f"bank: {_q(bank.id)}",
           f"bank_version: {_q(bank.version)}",
           "organisation: \"\"",
           f"language: {_q(lang)}"]
    depts = ", ".join(d.key for d in bank.departments)
    out += ["respondent:", "  name: \"\""]
    if depts:
        out += [f"  # one of: {depts}"]
    out += ["  department:"]
    if bank.profile:
        out.append("profile:")
        for pq in bank.profile:
            out += _comment(text_of(pq.text, lang))
            out += _comment(" | ".join(f"{o.key} = {text_of(o.label, lang)}" for o in pq.options))
            out.append(f"  {pq.id}:")
    out.append("answers:")
    for area in bank.areas:
        out.append(f"  # ── {text_of(area.title, lang)}")
        for section in area.sections:
            when = _applies_note(section.applies_if)
            out.append(f"  # ── {text_of(section.title, lang)}{when}")
            for q in section.questions:
                out += _comment(text_of(q.text, lang) + _applies_note(q.applies_if))
                out += _comment(_answer_hint(q, lang))
                out.append(f"  {q.id}:")
    out += ["comments: {}", ""]
    return "\n".join(out)


def _applies_note(applies_if: dict[str, list[str]] | None) -> str:
    if not applies_if:
        return ""
    return " [only if " + "; ".join(f"{k}: {', '.join(v)}" for k, v in applies_if.items()) + "]"
