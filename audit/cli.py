"""The ``loyalty-audit`` command line: parse flags, call one function of :mod:`audit.run`, print."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import InputError, printable
from .run.options import Options

F = TypeVar("F", bound=Callable[..., Any])

bank_option = click.option(
    "--bank", "bank_dir", type=click.Path(path_type=Path), default=None,
    help="Bank folder (default: the bank that ships with loyalty-audit).")


min_group_option = click.option(
    "--min-group", "min_group", type=click.IntRange(min=1), default=None,
    help="Pool departments with fewer respondents than this into 'other' (default: the bank's min_group).")


name_option = click.option(
    "--name-respondents", "name_respondents", is_flag=True,
    help="Name the respondents (and their answer files) in what the client reads; by default they are "
         "numbered, with the department they are counted in.")


baseline_option = click.option(
    "--baseline", "baseline", multiple=True, type=click.Path(path_type=Path),
    help="The previous audit's answers (files or folders; repeatable): show the change since then.")


def lang_option(required: bool = False) -> Callable[[F], F]:
    return click.option("--lang", default=None, required=required,
                        help="Language of the output (default: the bank's first language).")


def reports_input_errors(func: F) -> F:
    """Bad input: one line per problem on stderr, exit status 2, no traceback."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(2)
    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="loyalty-audit")
def main() -> None:
    """Audit how well a company keeps its customers: banks, scores, reports."""


@main.command()
@click.argument("bank_dir", required=False, type=click.Path(path_type=Path))
@reports_input_errors
def validate(bank_dir: Path | None) -> None:
    """Check a question bank and print a one-line summary."""
    from .run.commands import validate as validate_bank

    click.echo(validate_bank(bank_dir))


@main.command()
@bank_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
@lang_option()
@click.option("--top", default=10, show_default=True, help="Recommendations shown in the table.")
@baseline_option
@min_group_option
@click.argument("responses", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_input_errors
def score(bank_dir: Path | None, fmt: str, lang: str | None, top: int, baseline: tuple[Path, ...],
          min_group: int | None, responses: tuple[Path, ...]) -> None:
    """Score one team: RESPONSES are files or folders of .yaml, .yml and .json answers."""
    from .run.commands import score as score_team

    score_team(list(responses), Options(bank=bank_dir, lang=lang, baseline=baseline, min_group=min_group),
               fmt, top)


@main.command()
@bank_option
@lang_option()
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Response file to write.")
@reports_input_errors
def template(bank_dir: Path | None, lang: str | None, output: Path) -> None:
    """Write a blank response file to fill in by hand."""
    from .run.commands import blank

    blank(Options(bank=bank_dir, lang=lang), output)
    click.echo(f"wrote {output}")


@main.command()
@bank_option
@lang_option()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="PDF file to write (written whole or not at all); with --batch, a folder for "
                   "every client's PDF.")
@click.option("--html", "html", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also (or only) write the report as a standalone HTML page.")
@click.option("--appendix", "appendix", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the data pack (every answer, each recommendation once, the method, the "
                   "evidence to ask for, a technical annex) to this PDF.")
@click.option("--findings", "findings", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The consultant's findings.yaml (key message and observations), printed first.")
@click.option("--brand", "brand", type=click.Path(path_type=Path), default=None,
              help="Brand file: consultancy, consultant, logo, colours, fonts, footer.")
@click.option("--templates", "templates", type=click.Path(path_type=Path), default=None,
              help="Folder of templates that override the report's own (report.css, *.html.j2, "
                   "messages.yaml).")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Audit date, YYYY-MM-DD (default: the latest 'submitted' of the answers).")
@click.option("--plan", "plan", type=click.Path(path_type=Path), default=None,
              help="Action plan (plan.yaml): costed actions shown with their payback in the roadmap.")
@baseline_option
@min_group_option
@name_option
@click.option("--batch", "batch", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Report every client folder under this folder (or this one client folder), in "
                   "parallel; each client's answers/, bank/, brand.yaml, plan.yaml and baseline/ are used "
                   "(--bank: the bank of the client folders without a bank/).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="With --batch: reports written at once (default: one per core).")
@click.argument("responses", nargs=-1, type=click.Path(path_type=Path))
@reports_input_errors
def report(bank_dir: Path | None, lang: str | None, output: Path | None, html: Path | None,
           appendix: Path | None, findings: Path | None, brand: Path | None, templates: Path | None,
           date: datetime | None, plan: Path | None,
           baseline: tuple[Path, ...], min_group: int | None, name_respondents: bool, batch: Path | None,
           jobs: int | None,
           responses: tuple[Path, ...]) -> None:
    """Write the management report (PDF/A with the answers, scores and bank attached) and, with
    --appendix, the data pack.

    RESPONSES are files or folders of answers; or --batch CLIENTS_DIR reports every client
    (each client's report.pdf and appendix.pdf, with its findings.yaml when present).
    """
    from .run.report import build_report

    options = Options(bank=bank_dir, lang=lang, brand=brand, templates=templates, plan=plan,
                      date=date.date() if date else None, baseline=baseline, min_group=min_group,
                      name_respondents=name_respondents)
    if batch is not None:
        given = [name for name, value in (("RESPONSES", responses), ("--brand", brand),
                                          ("--html", html), ("--templates", templates), ("--plan", plan),
                                          ("--baseline", baseline), ("--appendix", appendix),
                                          ("--findings", findings)) if value]
        if given:
            raise click.UsageError(f"--batch takes each client's inputs from its folder; drop {', '.join(given)}")
        if output is not None and os.path.lexists(output) and not os.path.isdir(output):
            raise click.UsageError(f"{output} is a file; with --batch, -o is the folder for every client's PDF")
        from .run.batch import report_clients

        sys.exit(report_clients(batch, options, out_dir=output, jobs=jobs))
    if not responses:
        raise click.UsageError("expected RESPONSES (files or folders of answers), or --batch CLIENTS_DIR")
    if jobs is not None:
        raise click.UsageError("--jobs goes with --batch")
    if output is not None and os.path.isdir(output):
        raise click.UsageError(f"{output} is a folder; expected -o OUT.pdf")
    if output is None and html is None:
        raise click.UsageError("nothing to write; expected -o OUT.pdf and/or --html OUT.html")
    if appendix is not None and os.path.isdir(appendix):
        raise click.UsageError(f"{appendix} is a folder; expected --appendix APPENDIX.pdf")
    written = build_report(list(responses), options, output=output, html=html, appendix=appendix,
                           findings=findings)
    for warning in written.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    if written.pdf is not None:
        click.echo(f"wrote {written.pdf} ({written.pages} pages)")
    if written.appendix is not None:
        click.echo(f"wrote {written.appendix} ({written.appendix_pages} pages)")
    if written.html is not None:
        click.echo(f"wrote {written.html}")


@main.command()
@bank_option
@lang_option()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="audit.xlsx (one sheet per table) or audit.csv (the tables one under the other).")
@baseline_option
@click.option("--plan", "plan", type=click.Path(path_type=Path), default=None,
              help="Action plan (plan.yaml): its actions, cash flow and payback as sheets of their own.")
@min_group_option
@name_option
@click.argument("responses", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_input_errors
def export(bank_dir: Path | None, lang: str | None, output: Path, baseline: tuple[Path, ...], plan: Path | None,
           min_group: int | None, name_respondents: bool, responses: tuple[Path, ...]) -> None:
    """Write scores, every answer with its department, and recommendations as a spreadsheet (with the
    follow-up and the plan when given)."""
    from .run.commands import export as export_team

    try:
        count = export_team(list(responses), Options(bank=bank_dir, lang=lang, min_group=min_group, baseline=baseline,
                                                     plan=plan, name_respondents=name_respondents), output)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="-o") from None
    click.echo(f"wrote {output} ({count} respondents)")


@main.command()
@bank_option
@lang_option()
@click.option("--profile", "profile", multiple=True, metavar="KEY=VALUE",
              help="The company's profile (repeatable), e.g. channel=online: only what applies is asked.")
@click.option("--organisation", default=None, help="The client's name, filled in on the form.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The fillable PDF to write.")
@reports_input_errors
def form(bank_dir: Path | None, lang: str | None, profile: tuple[str, ...], organisation: str | None,
         output: Path) -> None:
    """Write the questionnaire as a fillable PDF form, for respondents who will not use the website."""
    from .run.form import write_form

    try:
        pages = write_form(Options(bank=bank_dir, lang=lang), list(profile), organisation, output)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    click.echo(f"wrote {output} ({pages} pages)")


@main.command("import-form")
@bank_option
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The response file to write (.json, as the website exports it).")
@reports_input_errors
def import_form(bank_dir: Path | None, pdf: Path, output: Path) -> None:
    """Read a filled PDF questionnaire back into a response file."""
    from .run.form import import_form as read_filled

    count = read_filled(Options(bank=bank_dir), pdf, output)
    click.echo(f"wrote {output} ({count} answers)")


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write the attached files into.")
@reports_input_errors
def extract(pdf: Path, output: Path) -> None:
    """Write out the answers, scores and bank attached to a report PDF, to score them again."""
    from .run.extract import extract as extract_files

    for path in extract_files(pdf, output):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--client", required=True, help="The client's name (the organisation audited).")
@bank_option
@click.option("--copy-bank", is_flag=True, help="Copy the bank into FOLDER/bank to customise it.")
@lang_option()
@click.option("--consultancy", default=None, help="Your consultancy's name, for brand.yaml.")
@click.option("--consultant", default=None, help="Your name, for brand.yaml.")
@click.option("--baseline", "baseline", multiple=True, type=click.Path(path_type=Path),
              help="The previous audit's answers (files or folders), copied into FOLDER/baseline.")
@click.option("--collect-url", default=None,
              help="The collection server's address (loyalty-audit collect): the site gets a send button.")
@click.option("--collect-token", default=None, help="With --collect-url: the server's token (default: a new one).")
@reports_input_errors
def init(folder: Path, client: str, bank_dir: Path | None, copy_bank: bool, lang: str | None,
         consultancy: str | None, consultant: str | None, baseline: tuple[Path, ...], collect_url: str | None,
         collect_token: str | None) -> None:
    """Start an audit project for one client in FOLDER (new or empty)."""
    from .run.scaffold import init_project

    made = init_project(folder, client, bank_dir=bank_dir, copy_bank=copy_bank, lang=lang,
                        consultancy=consultancy, consultant=consultant, baseline=list(baseline),
                        collect_url=collect_url, collect_token=collect_token)
    click.echo(f"wrote {made.root}/ ({len(made.files)} files) for {client.strip()}: bank {made.bank.id} "
               f"{made.bank.version}, language {made.language}")
    if made.collect_url is not None:
        from .run.collect import collect_command

        click.echo(f"the site sends its answers to {made.collect_url}; receive them with:")
        click.echo(f"  {collect_command(str(made.root), made.collect_url, made.collect_token)}")
    click.echo(f"next: read {made.root / 'README.md'}")


@main.command()
@click.argument("project", type=click.Path(path_type=Path, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface of this machine).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--token", default=None,
              help="The token the site sends (default: collect_token in the project's mkdocs.yml, else a new one).")
@click.option("--rate", type=click.IntRange(min=0), default=30, show_default=True,
              help="Submissions a minute from one client address (0: no limit).")
@click.option("--allow-origin", "allow_origins", multiple=True,
              help="Only browsers on this origin may send (repeatable; 'null' for file:// pages); default: any.")
@click.option("--max-body", type=click.IntRange(min=1), default=256 * 1024, show_default=True,
              help="Largest response accepted, in bytes.")
@reports_input_errors
def collect(project: Path, host: str, port: int, token: str | None, rate: int, allow_origins: tuple[str, ...],
            max_body: int) -> None:
    """Receive the answers the site sends into PROJECT/answers/ (a folder made by init)."""
    from .run.collect import Settings, open_collector

    collector = open_collector(project, Settings(host=host, port=port, token=token, rate=rate,
                                                 allow_origins=allow_origins, max_body=max_body))
    for line in collector.announcement():
        click.echo(line)
    collector.serve()
    click.echo(f"stopped; the answers are in {collector.inbox.folder}/")


@main.command()
@bank_option
@click.option("--lang", "langs", multiple=True,
              help="A language of the site (repeatable; the first at the site's root). Default: the bank's.")
@click.option("--organisation", default=None, help="The client's name, filled in for every respondent.")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write the site project into (new or empty).")
@reports_input_errors
def site(bank_dir: Path | None, langs: tuple[str, ...], organisation: str | None, output: Path) -> None:
    """Write the self-assessment site as a plain project (mkdocs.yml and docs/, no plugin) that
    `mkdocs build` and `zensical build` both build."""
    from .run.site import write_site

    made = write_site(output, bank_dir=bank_dir, langs=langs, organisation=organisation)
    click.echo(f"wrote {made.root}/ ({len(made.files)} files): bank {made.bank.id} {made.bank.version}, "
               f"languages {', '.join(made.languages)}")
    click.echo(f"next: cd {made.root} && mkdocs build --strict   (or: zensical build)")
