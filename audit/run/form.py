"""``loyalty-audit form`` and ``import-form``: the questionnaire as a fillable PDF, and back."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import InputError, Problem
from ..model import Bank
from ..read.bank import load_bank
from ..read.form import Filled, check_as_answers, holds_answers, read_form
from ..read.messages import load_messages
from ..write.data import response_json
from ..write.files import check_outputs, write_atomic
from ..write.form import default_form_templates, render_form
from ..write.messages import Words
from .audit import bank_files, outputs_first
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

    A bad profile raises ValueError (a bad option value, not a bad file). An existing file is
    replaced only when it is a questionnaire nobody has filled in: a blank form never lands
    on someone's answers.
    """
    bank = outputs_first([(output, "-o")], lambda: load_bank(options.bank))
    check_outputs([(output, "-o")], bank_files(bank))
    if os.path.isfile(output) and os.path.getsize(output) > 0 and holds_answers(output):
        raise InputError([Problem(str(output), 1, "-o: this file exists and is not a blank questionnaire; "
                                                  "expected a new file name, so that nothing in it is "
                                                  "overwritten")])
    chosen = check_profile(bank, profile)
    words = Words(language(bank, options.lang), load_messages([default_form_templates()]))
    pdf, pages = render_form(bank, words, chosen, organisation)
    write_atomic(output, pdf)
    return pages


def import_form(options: Options, pdf: Path, output: Path) -> int:
    """Read a filled questionnaire into a response file; the number of answers.

    The response file is loaded as every command loads answers before it is written, so
    what is written is what ``score`` accepts; nothing is written otherwise.
    """
    def read() -> tuple[Bank, Filled]:
        bank = load_bank(options.bank)
        return bank, read_form(pdf, bank)

    bank, filled = outputs_first([(output, "-o")], read, inputs=[pdf])
    check_outputs([(output, "-o")], [pdf, *bank_files(bank)])
    text = response_json(filled.document)
    with tempfile.TemporaryDirectory(prefix="loyalty-audit-") as folder:
        trial = Path(folder) / "answers.json"
        write_atomic(trial, text)
        check_as_answers(filled, trial, bank)
    write_atomic(output, text)
    return len(filled.document["answers"])
