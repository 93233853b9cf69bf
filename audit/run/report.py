"""``loyalty-audit report``: check every input, render the reports, write the PDFs and/or HTML.

One run makes the management report (``report.html.j2``) and, when asked, the data pack
(``appendix.html.j2``) from the same view, so every number in both is the same. Every input
(bank, answers, baseline, plan, brand, the consultant's findings, templates, messages) is read
and checked before anything is rendered, and each file is written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from ..model.brand import Brand
from ..model.findings import ConsultantFindings
from ..read.brand import load_brand
from ..read.findings import load_findings
from ..read.messages import load_messages
from ..write.files import check_outputs, write_atomic
from ..write.messages import Words
from ..write.report.html import APPENDIX_TEMPLATE, data_url, default_templates_dir, render_html
from ..write.report.pdf import attachments, file_url, locked_fetcher, render_pdf
from ..write.report.view import Report, report_context
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
    appendix: Path | None = None
    appendix_pages: int = 0


def template_roots(templates: Path | None) -> list[Path]:
    """The consultant's template folder (if any), then the package's."""
    roots = [default_templates_dir()]
    if templates is not None:
        if not Path(templates).is_dir():
            raise InputError([Problem(str(templates), 1, "no such folder; expected a folder of report templates")])
        roots.insert(0, Path(templates).resolve())
    return roots


def build_report(responses: Sequence[Path], options: Options, *, output: Path | None,
                 html: Path | None = None, appendix: Path | None = None,
                 findings: Path | None = None) -> Written:
    """Write the management report of ``responses`` to ``output`` (PDF) and/or ``html``, and
    the data pack to ``appendix`` (PDF); ``findings``: the consultant's ``findings.yaml``.

    Outputs that cannot be written, or that are one of the inputs, are refused before
    anything is rendered, with every problem of the inputs.
    """
    outputs = [(output, "-o"), (html, "--html"), (appendix, "--appendix")]
    extra = [Path(findings)] if findings is not None else []

    def read() -> tuple[Audit, Brand, list[Path], Words, ConsultantFindings | None]:
        done = audit(responses, options, with_plan=True)
        brand = load_brand(options.brand, done.bank) if options.brand is not None else Brand()
        consultant = load_findings(findings, done.bank) if findings is not None else None
        roots = template_roots(options.templates)
        return done, brand, roots, Words(done.lang, load_messages(roots)), consultant

    done, brand, roots, words, consultant = outputs_first(outputs, read,
                                                          inputs=[*named_inputs(responses, options), *extra])
    check_outputs(outputs, [*input_files(done, options, brand), *extra])
    result = done.result
    day, stamp = (options.date, options.date.isoformat()) if options.date else (done.team.date, done.team.stamp)
    baseline_day = done.baseline.date if done.baseline is not None else None

    plan_warnings = done.plan.warnings if done.plan is not None else []
    warnings = list(result.warnings) + plan_warnings
    # the technical annex prints the tool's own lines; those about the answers name files and
    # people, so they go there only when the consultant names the respondents
    machine = warnings if options.name_respondents else plan_warnings

    def view(mode: str, logo: str) -> Report:
        return report_context(result, words, brand=brand, date=day, stamp=stamp, mode=mode, logo=logo,
                              plan=done.plan, followup=done.followup, baseline_date=baseline_day,
                              named=options.name_respondents, consultant=consultant, machine_warnings=machine)

    pages = pack_pages = 0
    pdf_bytes = html_bytes = pack_bytes = None
    if output is not None or appendix is not None:
        pdf_view = view("pdf", file_url(brand.logo) if brand.logo else "")
        fetcher = locked_fetcher(roots, [brand.folder] if brand.folder else [])
        files = attachments(result, options.name_respondents)
        base = file_url(roots[0]) + "/"
        if output is not None:
            pdf_bytes, pages, rendering = render_pdf(render_html(pdf_view, roots, words, brand), base, fetcher,
                                                     files, stamp)
            warnings += rendering
        if appendix is not None:
            pack_bytes, pack_pages, rendering = render_pdf(
                render_html(pdf_view, roots, words, brand, template=APPENDIX_TEMPLATE), base, fetcher, files, stamp)
            warnings += [w for w in rendering if w not in warnings]
    if html is not None:
        html_bytes = render_html(view("html", data_url(brand.logo, brand.logo_data) if brand.logo else ""),
                                 roots, words, brand).encode("utf-8")
    if output is not None and pdf_bytes is not None:
        write_atomic(output, pdf_bytes)
    if appendix is not None and pack_bytes is not None:
        write_atomic(appendix, pack_bytes)
    if html is not None and html_bytes is not None:
        write_atomic(html, html_bytes)
    return Written(output, html, pages, warnings, len(done.team.respondents), result.overall.score,
                   result.overall.level, appendix, pack_pages)
