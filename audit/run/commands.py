"""The small use cases: validate a bank, score a team, export it, write a blank response file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console

from ..read.bank import load_bank
from ..read.messages import load_messages
from ..resources import default_bank_dir, packaged_templates
from ..write.blank import blank_response
from ..write.data import to_csv, to_json
from ..write.files import write_atomic
from ..write.messages import Words
from ..write.sheet import SUFFIXES, export_bytes
from ..write.terminal import print_followup, print_table
from .audit import audit
from .options import Options, language


def terminal_words(lang: str) -> Words:
    """The words of the terminal's tables (``templates/terminal/messages.yaml``) in ``lang``."""
    return Words(lang, load_messages([packaged_templates("terminal", "messages.yaml")]))


def export_words(lang: str) -> Words:
    """The spreadsheet's sheet names, headers and fixed words (``templates/export/messages.yaml``) in ``lang``."""
    return Words(lang, load_messages([packaged_templates("export", "messages.yaml")]))


def validate(bank_dir: Path | None) -> str:
    """The one-line summary of a valid bank."""
    bank = load_bank(bank_dir)
    questions = bank.questions()
    scored = sum(1 for *_, q in questions if q.scored)
    return (f"{bank_dir or default_bank_dir()}: bank {bank.id} {bank.version} is valid: "
            f"{len(bank.areas)} areas, {len(bank.sections())} sections, "
            f"{len(questions)} questions ({scored} scored), "
            f"languages {', '.join(bank.languages)}, {len(bank.rules)} rules")


def score(responses: Sequence[Path], options: Options, fmt: str = "table", top: int = 10) -> None:
    """Print the team's scores as a table, JSON or CSV (with the follow-up, given a baseline).

    The table speaks the output's language; JSON and CSV are data for other programs, with the
    same English keys in every language.
    """
    done = audit(responses, options)
    if fmt == "json":
        click.echo(to_json(done.result, done.followup))
    elif fmt == "csv":
        click.echo(to_csv(done.result, done.lang), nl=False)
    else:
        console = Console(highlight=False, soft_wrap=False)
        words = terminal_words(done.lang)
        print_table(done.result, console, words, top)
        if done.followup is not None:
            print_followup(done.followup, done.bank, console, words)


def export(responses: Sequence[Path], options: Options, output: Path) -> int:
    """Write the scores, answers and recommendations as .xlsx or .csv; the number of respondents.

    An unknown suffix raises ValueError (a bad option value, not a bad file).
    """
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"'{output.name}' is neither .xlsx nor .csv")
    done = audit(responses, options)
    write_atomic(output, export_bytes(done.result, export_words(done.lang), suffix, options.name_respondents))
    return len(done.team.respondents)


def blank(options: Options, output: Path) -> None:
    """Write a blank response file to fill in by hand."""
    bank = load_bank(options.bank)
    write_atomic(output, blank_response(bank, language(bank, options.lang)))
