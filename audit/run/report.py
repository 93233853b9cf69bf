"""``loyalty-audit report``: check every input, render the report, write the PDF and/or HTML.

Every input (bank, answers, baseline, plan, brand, templates, messages) is read and checked
before anything is rendered, and each file is written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from ..model.brand import Brand
from ..read.brand import load_brand
from ..read.messages import load_messages
from ..write.files import check_outputs, write_atomic
from ..write.messages import Words
from ..write.report.html import data_url, default_templates_dir, render_html
from ..write.report.pdf import attachments, file_url, locked_fetcher, render_pdf
from ..write.report.view import report_context
from .audit import Audit, audit, input_files, named_inputs, outputs_first
from .options import Options


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


def template_roots(templates: Path | None) -> list[Path]:
    """The consultant's template folder (if any), then the package's."""
    roots = [default_templates_dir()]
    if templates is not None:
        if not Path(templates).is_dir():
            raise InputError([Problem(str(templates), 1, "no such folder; expected a folder of report templates")])
        roots.insert(0, Path(templates).resolve())
    return roots


def build_report(responses: Sequence[Path], options: Options, *, output: Path | None,
                 html: Path | None = None) -> Written:
    """Write the report of ``responses`` to ``output`` (PDF) and/or ``html``.

    Outputs that cannot be written, or that are one of the inputs, are refused before
    anything is rendered, with every problem of the inputs.
    """
    outputs = [(output, "-o"), (html, "--html")]

    def read() -> tuple[Audit, Brand, list[Path], Words]:
        done = audit(responses, options, with_plan=True)
        brand = load_brand(options.brand, done.bank) if options.brand is not None else Brand()
        roots = template_roots(options.templates)
        return done, brand, roots, Words(done.lang, load_messages(roots))

    done, brand, roots, words = outputs_first(outputs, read, inputs=named_inputs(responses, options))
    check_outputs(outputs, input_files(done, options, brand))
    result = done.result
    day, stamp = (options.date, options.date.isoformat()) if options.date else (done.team.date, done.team.stamp)
    baseline_day = done.baseline.date if done.baseline is not None else None

    warnings = list(result.warnings) + (done.plan.warnings if done.plan is not None else [])
    pages = 0
    pdf_bytes = html_bytes = None
    if output is not None:
        view = report_context(result, words, brand=brand, date=day, stamp=stamp, mode="pdf",
                              logo=file_url(brand.logo) if brand.logo else "", plan=done.plan,
                              followup=done.followup, baseline_date=baseline_day, named=options.name_respondents)
        fetcher = locked_fetcher(roots, [brand.folder] if brand.folder else [])
        pdf_bytes, pages, rendering = render_pdf(render_html(view, roots, words, brand), file_url(roots[0]) + "/",
                                                 fetcher, attachments(result, options.name_respondents), stamp)
        warnings += rendering
    if html is not None:
        view = report_context(result, words, brand=brand, date=day, stamp=stamp, mode="html",
                              logo=data_url(brand.logo, brand.logo_data) if brand.logo else "", plan=done.plan,
                              followup=done.followup, baseline_date=baseline_day, named=options.name_respondents)
        html_bytes = render_html(view, roots, words, brand).encode("utf-8")
    if output is not None and pdf_bytes is not None:
        write_atomic(output, pdf_bytes)
    if html is not None and html_bytes is not None:
        write_atomic(html, html_bytes)
    return Written(output, html, pages, warnings, len(done.team.respondents), result.overall.score,
                   result.overall.level)
