"""Fillable PDF questionnaires, for respondents who will not use a website, and reading them back.

``loyalty-audit form`` renders the bank's questionnaire as a PDF form (WeasyPrint turns the
HTML fields into PDF form fields); ``loyalty-audit import-form`` reads a filled one back into
a SPEC §2 response file. Field names carry the question ids, so a form filled in any PDF
viewer, or by a library, comes back exactly:

| field | kind | holds |
| --- | --- | --- |
| ``organisation``, ``respondent.name`` | text | who answers |
| ``respondent.department`` | list | a department key, or empty |
| ``profile.<id>`` | radio | a profile option key |
| ``answer.<qid>`` | radio (scale, choice), text (number), multi-line text (text) | the answer |
| ``option.<qid>:<key>`` | check box | one option of a multiple-choice question |
| ``na.<qid>`` | check box | N/A, where the question allows it |
| ``comment.<qid>`` | multi-line text | the comment |

The bank's id and version, the language and the profile the form was made for travel in
the PDF's metadata (``/LoyaltyAudit``). A bad value is reported as ``filled.pdf:PAGE: field
'answer.x': what is wrong, and what was expected``; for a PDF the line is the page number.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .errors import InputError, Problem
from .files import packaged_templates
from .load import answer_value
from .model import Bank, Question
from .output import text_of
from .pdf import _weasyprint_errors, file_url, locked_fetcher, weasyprint_warnings
from .report import load_messages
from .score import applies
from .view import Words

META_KEY = "/LoyaltyAudit"


def default_form_templates() -> Path:
    """The form templates that ship with the package."""
    return packaged_templates("form", "form.html.j2")


@dataclass
class FormQuestion:
    number: str
    q: Question
    text: str
    help: str
    options: list[tuple[str, str]]  # key, label
    unit: str
    span: str  # "0 .. 90" for numbers with a range


def form_html(bank: Bank, lang: str, profile: dict[str, str], organisation: str | None) -> str:
    """The questionnaire as HTML with form fields, for the questions that apply to ``profile``."""
    areas = []
    for ai, area in enumerate(bank.areas, 1):
        sections = []
        for si, section in enumerate((s for s in area.sections if applies(s.applies_if, profile)), 1):
            questions = []
            for qi, q in enumerate((q for q in section.questions if applies(q.applies_if, profile)), 1):
                span = f"{q.range[0]:g} – {q.range[1]:g}" if q.range else ""
                questions.append(FormQuestion(f"{ai}.{si}.{qi}", q, text_of(q.text, lang), text_of(q.help, lang),
                                              [(o.key, text_of(o.label, lang)) for o in q.options or []],
                                              text_of(q.unit, lang), span))
            if questions:
                sections.append((f"{ai}.{si}", text_of(section.title, lang), questions))
        if sections:
            areas.append((str(ai), text_of(area.title, lang), sections))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(default_form_templates())), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("form.html.j2").render(
        lang=lang, title=text_of(bank.title, lang), t=Words(lang, load_messages([default_form_templates()])),
        organisation=organisation or "",
        departments=[(d.key, text_of(d.label, lang)) for d in bank.departments],
        profile=[(p.id, text_of(p.text, lang), [(o.key, text_of(o.label, lang)) for o in p.options], profile.get(p.id))
                 for p in bank.profile],
        areas=areas, bank=bank)


def check_profile(bank: Bank, given: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` pairs of ``--profile`` as a profile, checked against the bank.

    Raises ValueError with every problem, one per line (the command line reports it as a
    bad option value).
    """
    known = {p.id: [o.key for o in p.options] for p in bank.profile}
    keys = ", ".join(known) or "(the bank has no profile)"
    profile: dict[str, str] = {}
    problems = []
    for item in given:
        key, equals, value = item.partition("=")
        if not equals:
            problems.append(f"'{item}' has no value; expected KEY=VALUE, with KEY one of: {keys}")
        elif key not in known:
            problems.append(f"'{key}' is not a profile question; expected one of: {keys}")
        elif value not in known[key]:
            problems.append(f"'{value}' is not an option of '{key}'; expected one of: {', '.join(known[key])}")
        else:
            profile[key] = value
    if problems:
        raise ValueError("\n".join(problems))
    return profile


def render_form(bank: Bank, lang: str, profile: dict[str, str], organisation: str | None = None) -> tuple[bytes, int]:
    """The fillable PDF and its page count."""
    root = default_form_templates()
    html = form_html(bank, lang, profile, organisation)
    fetcher = locked_fetcher([root])
    with _weasyprint_errors(root), weasyprint_warnings():
        document = HTML(string=html, base_url=file_url(root) + "/", url_fetcher=fetcher).render(
            font_config=FontConfiguration(), pdf_forms=True)
        raw = document.write_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            # WeasyPrint names every radio button like its group; a button of a group must not
            # have a name of its own, or viewers and libraries see a field per button
            if "/Parent" in annot and "/T" in annot:
                del annot[NameObject("/T")]
                annot.pop(NameObject("/TU"), None)
    meta = {"bank": bank.id, "bank_version": bank.version, "language": lang, "profile": profile}
    writer.add_metadata({"/Title": text_of(bank.title, lang), "/Producer": "loyalty-audit",
                         META_KEY: json.dumps(meta, ensure_ascii=False, sort_keys=True)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(document.pages)


# -- reading a filled form back ---------------------------------------------------------

_FIELD = re.compile(r"^(answer|na|comment|profile)\.([^:]+)$|^option\.([^:]+):(.+)$")


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
    """The response file (SPEC §2) of a filled form; every bad field reported at once."""
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
        elif kind == "option":
            chosen.setdefault(ident, []).append(match.group(4))
        elif q.type == "number":
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
    for qid, value in answers.items():
        _, problem = answer_value(questions[qid], value)
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


def response_json(document: dict[str, Any]) -> str:
    """The response file's text, as the site exports it."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

