"""Reading a filled PDF questionnaire back into a response file (fields: :mod:`audit.model.form`)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import InputError, Problem
from ..model import Bank, kind_of, normalise
from ..model.form import META_KEY

_FIELD = re.compile(r"^(answer|na|dont_know|comment|profile)\.([^:]+)$|^option\.([^:]+):(.+)$")


def _pages_of(reader: PdfReader) -> dict[str, int]:
    """Field name → the page it is on (1-based), for error lines."""
    pages: dict[str, int] = {}
    for number, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            name = annot.get("/T")
            if name is None and "/Parent" in annot:
                name = annot["/Parent"].get_object().get("/T")
            if name is not None:
                pages.setdefault(str(name), number)
    return pages


def _value(field: Any) -> Any:
    """A field's value: text, an option key (radio, list), True/False (check box), or None."""
    value = field.get("/V")
    kind = field.get("/FT")
    if kind == "/Btn":
        if value is None or str(value) == "/Off":
            return None
        opts = field.get("/Opt")
        state = str(value).lstrip("/")
        if opts is not None:  # a radio group: the state is the index of the chosen value
            try:
                return str(opts[int(state)])
            except (ValueError, IndexError):
                return state
        return True
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else ""
    text = str(value)
    return text if text.strip() else None


def _number(text: str) -> float | int | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in cleaned and "e" not in cleaned.lower() else value


def read_form(path: Path, bank: Bank) -> dict[str, Any]:
    """The response file (docs/responses.md) of a filled form; every bad field reported at once."""
    where = str(path)
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # a damaged file is reported once, below, not as pypdf's warnings
    try:
        reader = PdfReader(path)
        fields = reader.get_fields() or {}
        meta_text = reader.metadata.get(META_KEY) if reader.metadata is not None else None
    except (OSError, PyPdfError, ValueError) as exc:
        raise InputError([Problem(where, 1, f"cannot read this PDF ({exc}); expected a questionnaire made by "
                                            "'loyalty-audit form'")]) from None
    finally:
        pypdf_log.setLevel(level)
    if meta_text is None:
        raise InputError([Problem(where, 1, "this PDF is not a loyalty-audit questionnaire; expected one made by "
                                            "'loyalty-audit form'")])
    try:
        meta = json.loads(str(meta_text))
    except ValueError:
        meta = None
    if not isinstance(meta, dict):
        raise InputError([Problem(where, 1, f"the questionnaire's {META_KEY} metadata is damaged; expected the "
                                            "JSON that 'loyalty-audit form' writes")])
    if meta.get("bank") != bank.id:
        raise InputError([Problem(where, 1, f"this questionnaire is for bank '{meta.get('bank')}'; expected "
                                            f"'{bank.id}' (use --bank)")])
    pages = _pages_of(reader)
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem(where, pages.get(name, 1), f"field '{name}': {message}"))

    questions = {q.id: q for _, _, q in bank.questions()}
    profile_options = {p.id: [o.key for o in p.options] for p in bank.profile}
    departments = [d.key for d in bank.departments]
    values = {name: _value(field) for name, field in fields.items()}
    answers: dict[str, Any] = {}
    comments: dict[str, str] = {}
    profile: dict[str, str] = dict(meta.get("profile") or {})
    chosen: dict[str, list[str]] = {}
    na: set[str] = set()
    unknown: set[str] = set()
    for name, value in values.items():
        if value is None or name in ("organisation", "respondent.name", "respondent.department"):
            continue
        match = _FIELD.match(name)
        if not match:
            continue
        kind, ident = (match.group(1), match.group(2)) if match.group(1) else ("option", match.group(3))
        if kind == "profile":
            if ident in profile_options and str(value) in profile_options[ident]:
                profile[ident] = str(value)
            else:
                bad(name, f"'{value}' is not an option; expected one of: {', '.join(profile_options.get(ident, []))}")
            continue
        q = questions.get(ident)
        if q is None:
            bad(name, f"question '{ident}' is not in bank {bank.id} {bank.version}; expected a form of this bank")
            continue
        if kind == "comment":
            comments[ident] = str(value)
        elif kind == "na":
            na.add(ident)
        elif kind == "dont_know":
            unknown.add(ident)
        elif kind == "option":
            chosen.setdefault(ident, []).append(match.group(4))
        elif kind_of(q).answer == "numeric":
            number = _number(str(value))
            if number is None:
                bad(name, f"'{value}' is not a number; expected a number such as 12 or 2,5")
            else:
                answers[ident] = number
        else:
            answers[ident] = str(value)
    for qid, keys in chosen.items():
        order = [o.key for o in questions[qid].options or []]
        answers[qid] = sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    for qid in na:
        if qid in answers:
            bad(f"na.{qid}", "N/A is ticked and the question is answered too; expected one or the other")
        else:
            answers[qid] = "na"
    for qid in unknown:
        if qid in answers:
            bad(f"dont_know.{qid}", "\"I don't know\" is ticked and the question is answered too; expected "
                                    "one or the other")
        else:
            answers[qid] = "dont_know"
    for qid, value in answers.items():
        _, problem = normalise(questions[qid], value)
        if problem:
            bad(f"answer.{qid}", problem)
    department = values.get("respondent.department")
    if department is not None and departments and department not in departments:
        bad("respondent.department", f"unknown department '{department}'; expected one of: {', '.join(departments)}")
    if problems:
        raise InputError(problems)
    ordered = {q: answers[q] for q in questions if q in answers}
    respondent: dict[str, Any] = {}
    if values.get("respondent.name"):
        respondent["name"] = str(values["respondent.name"])
    if department:
        respondent["department"] = department
    return {"bank": bank.id, "bank_version": meta.get("bank_version", bank.version),
            "organisation": values.get("organisation") or None, "respondent": respondent,
            "language": meta.get("language"), "profile": profile, "answers": ordered,
            "comments": {q: comments[q] for q in questions if q in comments}}


