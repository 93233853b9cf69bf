"""The questionnaire as a fillable PDF, for respondents who will not use a website.

WeasyPrint turns the HTML fields into PDF form fields; the field names are those of
:mod:`audit.model.form`, and only what applies to the given profile is asked.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from ..engine.score import applies
from ..model import Bank, Question, kind_of, text_of
from ..model.form import META_KEY
from ..resources import packaged_templates
from .messages import Words
from .report.html import sandboxed
from .report.pdf import file_url, locked_fetcher, objects_held_still, weasyprint_errors, weasyprint_warnings


def default_form_templates() -> Path:
    """The form templates that ship with the package."""
    return packaged_templates("form", "form.html.j2")


@dataclass
class FormQuestion:
    number: str
    q: Question
    text: str
    help: str
    answer: str  # the shape of the answer (audit.model.kinds)
    options: list[tuple[str, str]]  # key, label
    meanings: list[tuple[str, str]]  # label, help: what each option means, unless the scale's legend says it
    unit: str
    span: str  # "0 .. 90" for numbers with a range


def form_html(bank: Bank, words: Words, profile: dict[str, str], organisation: str | None) -> str:
    """The questionnaire as HTML with form fields, for the questions that apply to ``profile``."""
    lang = words.lang
    areas = []
    legends: dict[str, list[tuple[str, str]]] = {}
    for ai, area in enumerate(bank.areas, 1):
        sections = []
        for si, section in enumerate((s for s in area.sections if applies(s.applies_if, profile)), 1):
            questions = []
            for qi, q in enumerate((q for q in section.questions if applies(q.applies_if, profile)), 1):
                span = f"{q.range[0]:g} – {q.range[1]:g}" if q.range else ""
                options = [(o.key, text_of(o.label, lang)) for o in q.options or []]
                meanings = [(text_of(o.label, lang), text_of(o.help, lang)) for o in q.options or [] if o.help]
                if q.scale is not None and meanings:
                    legends.setdefault(q.scale, meanings)  # said once, before the questions
                    meanings = []
                questions.append(FormQuestion(f"{ai}.{si}.{qi}", q, text_of(q.text, lang), text_of(q.help, lang),
                                              kind_of(q).answer, options, meanings, text_of(q.unit, lang), span))
            if questions:
                sections.append((f"{ai}.{si}", text_of(section.title, lang), questions))
        if sections:
            areas.append((str(ai), text_of(area.title, lang), sections))
    env = sandboxed([default_form_templates()])
    return env.get_template("form.html.j2").render(
        lang=lang, title=text_of(bank.title, lang), t=words,
        organisation=organisation or "",
        departments=[(d.key, text_of(d.label, lang)) for d in bank.departments],
        profile=[(p.id, text_of(p.text, lang), [(o.key, text_of(o.label, lang)) for o in p.options], profile.get(p.id))
                 for p in bank.profile],
        areas=areas, bank=bank, legends=list(legends.values()))


def render_form(bank: Bank, words: Words, profile: dict[str, str],
                organisation: str | None = None) -> tuple[bytes, int]:
    """The fillable PDF and its page count."""
    lang = words.lang
    root = default_form_templates()
    html = form_html(bank, words, profile, organisation)
    fetcher = locked_fetcher([root])
    with weasyprint_errors(root), weasyprint_warnings(), objects_held_still():
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


