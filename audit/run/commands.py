"""The small use cases: validate a bank, score a team, export it, write a blank response file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from ..errors import InputError, Problem
from ..read.bank import load_bank
from ..read.documents import load_document
from ..read.messages import load_messages
from ..resources import default_bank_dir, packaged_templates
from ..write.blank import blank_response
from ..write.data import to_csv, to_json
from ..write.files import check_outputs, write_atomic
from ..write.messages import Words
from ..write.sheet import SUFFIXES, export_bytes
from ..write.terminal import print_followup, print_table
from .audit import audit, bank_files, input_files, named_inputs, outputs_first
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
    """Write the scores, answers and recommendations as .xlsx or .csv (with the follow-up and the
    plan when ``options`` names a baseline and a plan); the number of respondents.

    An unknown suffix raises ValueError (a bad option value, not a bad file).
    """
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"'{output.name}' is neither .xlsx nor .csv")
    done = outputs_first([(output, "-o")], lambda: audit(responses, options, with_plan=True),
                         inputs=named_inputs(responses, options))
    check_outputs([(output, "-o")], input_files(done, options))
    write_atomic(output, export_bytes(done.result, export_words(done.lang), suffix, options.name_respondents,
                                      done.followup, done.plan))
    return len(done.team.respondents)


def blank(options: Options, output: Path) -> None:
    """Write a blank response file to fill in by hand.

    An existing file is replaced only when it is itself a response file with nothing filled in:
    a blank never lands on someone's answers.
    """
    bank = outputs_first([(output, "-o")], lambda: load_bank(options.bank))
    check_outputs([(output, "-o")], bank_files(bank))
    refuse_filled(output, "-o")
    write_atomic(output, blank_response(bank, language(bank, options.lang)))


_FIXED = ("bank", "bank_version", "language")  # what a blank file already holds


def _filled(value: Any) -> bool:
    """Whether ``value`` holds anything someone wrote (a text, a number, a choice)."""
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    if isinstance(value, list):
        return any(_filled(v) for v in value)
    return value is not None and value != ""


def refuse_filled(output: Path, option: str) -> None:
    """Refuse ``output`` if it exists and is anything but an empty file or a response file left blank."""
    if not os.path.isfile(output) or os.path.getsize(output) == 0:
        return
    try:
        data = load_document(output).data
    except InputError:
        data = None
    if isinstance(data, dict) and not any(_filled(v) for k, v in data.items() if k not in _FIXED):
        return
    what = "holds answers" if isinstance(data, dict) else "is not a blank response file"
    raise InputError([Problem(str(output), 1, f"{option}: this file exists and {what}; expected a new file "
                                              "name, so that nothing in it is overwritten")])
