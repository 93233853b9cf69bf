"""The scored audit report: a :class:`~audit.score.Result` as HTML, then as a PDF.

:func:`build_report` is what ``loyalty-audit report`` calls. It loads and checks every input
(bank, answers, brand file, templates, date) before rendering anything, builds a view of
the result in the report's language (:func:`report_context`), renders it with Jinja2
(autoescaped; the consultant's template folder first, then ``templates/report/``), and
hands the HTML to :mod:`audit.pdf` for an archival, deterministic PDF.

Every number is rounded by :mod:`audit.formats` exactly as the command line rounds it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .brand import Brand, load_brand
from .charts import Palette, meter
from .errors import InputError, Problem
from .files import packaged_templates, write_atomic
from .followup import compare
from .formats import figure, long_date, money, number, percent
from .load import audit_date, default_bank_dir, load_bank, load_responses
from .model import Bank
from .pdf import bank_files, file_url, locked_fetcher, render_pdf, responses_document
from .plan import load_plan, plan_of
from .score import Result, score
from .view import DEFAULT_COLOURS, MessageError, Report, Words, palette_of, report_context
from .yamlload import load_document


def default_templates_dir() -> Path:
    """The report templates that ship with the package."""
    return packaged_templates("report", "report.html.j2")


# -- inputs -----------------------------------------------------------------------------

def _language(bank: Bank, bank_dir: Path, lang: str | None) -> str:
    if lang is None:
        return bank.languages[0]
    if lang not in bank.languages:
        doc = load_document(bank_dir / "bank.yaml")
        raise InputError([doc.problem(("languages",), f"--lang {lang}: the bank has no texts in "
                                                      f"'{lang}'; expected one of its languages: "
                                                      f"{', '.join(bank.languages)}")])
    return lang


def load_messages(roots: list[Path]) -> dict[str, dict[str, str]]:
    """The report's own words: ``messages.yaml`` of the package, overlaid by the consultant's."""
    messages: dict[str, dict[str, str]] = {}
    for root in reversed(roots):
        path = root / "messages.yaml"
        if not path.is_file():
            continue
        doc = load_document(path)
        if not isinstance(doc.data, dict):
            raise InputError([doc.problem((), "expected a mapping of message names to texts")])
        problems = []
        for key, value in doc.data.items():
            if isinstance(value, str):
                messages[key] = {"": value}
            elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                messages[key] = {str(k): v for k, v in value.items()}
            else:
                problems.append(doc.problem((key,), f"message '{key}' is not a text; expected a text "
                                                    "or a mapping of language to text"))
        if problems:
            raise InputError(problems)
    return messages


# -- rendering --------------------------------------------------------------------------

def css_string(value: Any) -> str:
    """Text for a CSS string: quotes, backslashes, controls and markup characters escaped."""
    return "".join(f"\\{ord(c):x} " if c in '\\"\'<>&' or ord(c) < 32 or ord(c) == 127 else c
                   for c in str(value))


def environment(roots: list[Path], words: Words, palette: Palette) -> jinja2.Environment:
    """Jinja with the consultant's folder first; autoescaped, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(r)) for r in roots]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    lang = words.lang
    env.globals["t"] = words
    env.globals["tx"] = words.bank
    env.filters["num"] = lambda v, digits=1: number(v, lang, digits)
    env.filters["pct"] = lambda v, digits=1: percent(v, lang, digits)
    env.filters["date"] = lambda d: long_date(d, lang)
    env.filters["figure"] = lambda v: figure(v, lang)
    env.filters["money"] = lambda v, currency: money(v, currency, lang)
    env.filters["effort"] = lambda e: words(f"effort_{e}")
    env.filters["css_string"] = css_string
    env.globals["gauge"] = lambda value, target, label, width=120: meter(value, target, palette, label, width)
    return env


def _font_css(brand: Brand, mode: str) -> str:
    """``@font-face`` rules and font variables for the brand's own fonts."""
    if not brand.faces:
        return ""
    out = []
    if mode == "pdf":
        for face in brand.faces:
            out.append(f'@font-face {{ font-family: "{face.family}"; src: url("{file_url(face.path)}"); '
                       f"font-weight: {face.weight}; font-style: {face.style}; }}")
    variables = []
    if "body" in brand.families:
        variables.append(f'--font-body: "{brand.families["body"]}", "Report Sans", "Liberation Sans", '
                         "Arial, sans-serif;")
    if "headings" in brand.families:
        variables.append(f'--font-headings: "{brand.families["headings"]}", "Report Serif", '
                         '"Liberation Serif", Georgia, serif;')
    out.append(":root { " + " ".join(variables) + " }")
    return "\n".join(out)


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def _stylesheet(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    assert loader is not None
    try:
        source, _, _ = loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return ""
    return source


def render_html(report: Report, roots: list[Path], words: Words, brand: Brand) -> str:
    """The report as one HTML document (styles inline); ``report.mode`` is "pdf" or "html"."""
    colours = {**DEFAULT_COLOURS, **brand.colours}
    env = environment(roots, words, palette_of(brand))
    css = _stylesheet(env, "report.css") + "\n" + _stylesheet(env, "custom.css")
    if report.mode == "html":  # a standalone page: no font files beside it, use the fallbacks
        css = _FONT_FACE.sub("", css)
    if "</" in css:
        raise InputError([Problem(str(roots[0]), 1, "a stylesheet contains '</'; expected plain CSS")])
    variables = ":root { " + " ".join(f"--{k}: {v};" for k, v in colours.items()) + " }"
    styles = Markup("\n".join((css, variables, _font_css(brand, report.mode))))
    template_name = "report.html.j2"
    try:
        template = env.get_template(template_name)
        return template.render(r=report, styles=styles)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError([Problem(exc.filename or exc.name or template_name, exc.lineno or 1,
                                  f"template error: {exc.message}; expected valid Jinja2 syntax")]) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError([Problem(str(roots[0]), 1, f"template '{exc.name}' not found; expected it in "
                                                    f"{' or '.join(str(r) for r in roots)}")]) from None
    except MessageError as exc:
        raise InputError([Problem(str(roots[0] / "messages.yaml"), 1, str(exc))]) from None
    except jinja2.UndefinedError as exc:
        raise InputError([Problem(str(roots[0]), 1, f"template error: {exc.message}; expected only the "
                                                    "names the report provides")]) from None


# -- the command ------------------------------------------------------------------------

@dataclass
class Written:
    """What :func:`build_report` wrote."""

    pdf: Path | None
    html: Path | None
    pages: int
    warnings: list[str]
    respondents: int = 0
    score: float | None = None
    level: str | None = None


def _attachments(result: Result, bank_dir: Path) -> list[tuple[str, bytes, str, str]]:
    """(name, data, description, relationship) of the files the PDF carries."""
    bank = result.bank
    responses = json.dumps(responses_document(result.team), ensure_ascii=False, indent=2) + "\n"
    scores = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    files = bank_files(bank, bank_dir)
    identity = json.dumps({"id": bank.id, "version": bank.version, "digest": bank.digest,
                           "files": [name for name, _ in files]}, ensure_ascii=False, indent=2) + "\n"
    out = [("responses.json", responses.encode(), "The team's answers (loyalty-audit response file)", "Source"),
           ("report/scores.json", scores.encode(), "The scores printed in this report", "Data"),
           ("report/bank.json", identity.encode(), "Identity of the question bank", "Data")]
    out += [(f"bank/{name}", data, "Question bank file", "Source") for name, data in files]
    return out


def build_report(responses: list[Path], *, output: Path | None, bank_dir: Path | None = None,
                 lang: str | None = None, brand_file: Path | None = None, templates: Path | None = None,
                 date: dt.date | None = None, html: Path | None = None, allow_empty: bool = False,
                 plan_file: Path | None = None, baseline: list[Path] | None = None,
                 organisation: str | None = None) -> Written:
    """Check every input, render the report, and write the PDF (and/or HTML) atomically.

    ``allow_empty``: folders without answers give the report of a team of nobody (the
    questionnaire, nothing scored) instead of an input error. ``plan_file``: the action plan
    (``plan.yaml``) shown with its payback in the roadmap. ``baseline``: the previous audit's
    answers, matched by question id, for a part on the progress since then. ``organisation``:
    the client's name when no response file gives one.
    """
    bank_dir = Path(bank_dir) if bank_dir is not None else default_bank_dir()
    bank = load_bank(bank_dir)
    language = _language(bank, bank_dir, lang)
    team = load_responses(list(responses), bank, allow_empty)
    if team.organisation is None:
        team.organisation = organisation
    brand = load_brand(brand_file, bank) if brand_file is not None else Brand()
    roots = [default_templates_dir()]
    if templates is not None:
        if not Path(templates).is_dir():
            raise InputError([Problem(str(templates), 1, "no such folder; expected a folder of report "
                                                         "templates")])
        roots.insert(0, Path(templates).resolve())
    plan_input = load_plan(plan_file, bank) if plan_file is not None else None
    earlier = load_responses(list(baseline), bank, match_by_id=True) if baseline else None
    day, stamp = audit_date(team.respondents, date)
    messages = load_messages(roots)
    words = Words(language, messages)
    result = score(bank, team)
    plan = plan_of(plan_input, result) if plan_input is not None else None
    followup = compare(result, score(bank, earlier)) if earlier is not None else None
    baseline_day = audit_date(earlier.respondents, None)[0] if earlier is not None else None

    written_pdf = written_html = None
    pages = 0
    warnings = list(result.warnings) + (plan.warnings if plan is not None else [])
    pdf_bytes = html_bytes = None
    if output is not None:
        logo = file_url(brand.logo) if brand.logo else ""
        view = report_context(result, language, messages, brand=brand, date=day, stamp=stamp, mode="pdf",
                              logo=logo, plan=plan, followup=followup,
                              baseline_date=baseline_day)
        document = render_html(view, roots, words, brand)
        fetcher = locked_fetcher(roots, [brand.folder] if brand.folder else [])
        pdf_bytes, pages, rendering = render_pdf(document, file_url(roots[0]) + "/", fetcher,
                                                 _attachments(result, bank_dir), stamp)
        warnings += rendering
    if html is not None:
        logo = _data_url(brand.logo) if brand.logo else ""
        view = report_context(result, language, messages, brand=brand, date=day, stamp=stamp, mode="html",
                              logo=logo, plan=plan, followup=followup,
                              baseline_date=baseline_day)
        html_bytes = render_html(view, roots, words, brand).encode("utf-8")
    if output is not None and pdf_bytes is not None:
        write_atomic(output, pdf_bytes)
        written_pdf = output
    if html is not None and html_bytes is not None:
        write_atomic(html, html_bytes)
        written_html = html
    return Written(written_pdf, written_html, pages, warnings, len(team.respondents), result.overall.score,
                   result.overall.level)


_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif"}


def _data_url(path: Path) -> str:
    kind = _IMAGE_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
