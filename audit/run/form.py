"""``loyalty-audit form`` and ``import-form``: the questionnaire as a fillable PDF, and back."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from ..model import Bank
from ..read.bank import load_bank
from ..read.form import read_form
from ..read.messages import load_messages
from ..write.data import response_json
from ..write.files import write_atomic
from ..write.form import default_form_templates, render_form
from ..write.messages import Words
from .options import Options, language


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


def write_form(options: Options, profile: list[str], organisation: str | None, output: Path) -> int:
    """Write the fillable questionnaire for ``profile`` (``KEY=VALUE`` items); its page count.

    A bad profile raises ValueError (a bad option value, not a bad file).
    """
    bank = load_bank(options.bank)
    chosen = check_profile(bank, profile)
    words = Words(language(bank, options.lang), load_messages([default_form_templates()]))
    pdf, pages = render_form(bank, words, chosen, organisation)
    write_atomic(output, pdf)
    return pages


def import_form(options: Options, pdf: Path, output: Path) -> int:
    """Read a filled questionnaire into a response file; the number of answers."""
    bank = load_bank(options.bank)
    if not pdf.is_file():
        raise InputError([Problem(str(pdf), 1, "no such file; expected a filled questionnaire PDF")])
    document = read_form(pdf, bank)
    write_atomic(output, response_json(document))
    return len(document["answers"])
