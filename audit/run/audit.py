"""The pipeline every scoring command shares, assembled once: read, score, compare, plan."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..engine.followup import Followup, compare
from ..engine.payback import Plan, plan_of
from ..engine.score import Result, score
from ..errors import InputError, Problem
from ..model import Bank, Team
from ..model.brand import Brand
from ..read.answers import load_responses, response_files
from ..read.bank import load_bank
from ..read.plan import load_plan
from ..write.files import Outputs, check_outputs
from .options import Options, language

T = TypeVar("T")


@dataclass
class Audit:
    """One team's audit: its inputs read and checked, and what the engine made of them."""

    bank: Bank
    lang: str
    team: Team
    result: Result
    followup: Followup | None = None
    baseline: Team | None = None
    plan: Plan | None = None


def audit(responses: Sequence[Path], options: Options, *, with_plan: bool = False) -> Audit:
    """Read every input ``options`` names, check them all, then score (and compare, and plan).

    Every input is read before anything is scored, so bad input anywhere stops the run
    before any output is made.
    """
    bank = load_bank(options.bank)
    lang = language(bank, options.lang)
    team = load_responses(list(responses), bank, options.allow_empty)
    if team.organisation is None:
        team.organisation = options.organisation
    plan_input = load_plan(options.plan, bank) if with_plan and options.plan is not None else None
    earlier = load_responses(list(options.baseline), bank, match_by_id=True) if options.baseline else None
    result = score(bank, team, options.min_group)
    followup = compare(result, score(bank, earlier, options.min_group)) if earlier is not None else None
    plan = plan_of(plan_input, result) if plan_input is not None else None
    return Audit(bank, lang, team, result, followup, earlier, plan)


def bank_files(bank: Bank) -> list[Path]:
    """The files a loaded bank was read from."""
    return [Path(bank.folder) / name for name, _ in bank.files] if bank.folder is not None else []


def folder_files(folder: Path | None) -> Iterator[Path]:
    """Every file under ``folder`` (a folder of templates), for the checks that no output overwrites one."""
    if folder is not None and Path(folder).is_dir():
        yield from (p for p in Path(folder).rglob("*") if p.is_file())


def input_files(done: Audit, options: Options, brand: Brand | None = None) -> list[Path]:
    """Every file the audit was made from: answers, baseline, bank, plan, brand (its logo and fonts),
    templates; no output may be one of them."""
    files = [Path(r.source) for r in done.team.respondents]
    if done.baseline is not None:
        files += [Path(r.source) for r in done.baseline.respondents]
    files += bank_files(done.bank)
    files += [p for p in (options.plan, options.brand) if p is not None]
    if brand is not None:
        files += [p for p in [brand.logo, *(face.path for face in brand.faces)] if p is not None]
    files += folder_files(options.templates)
    return files


def named_inputs(responses: Sequence[Path], options: Options) -> list[Path]:
    """The input files named on the command line, found before anything is read (the bank's
    files are known once it is read: :func:`input_files`)."""
    files, _ = response_files([*responses, *options.baseline], allow_empty=True)
    files += [p for p in (options.plan, options.brand) if p is not None]
    files += folder_files(options.templates)
    return files


def outputs_first(outputs: Outputs, read: Callable[[], T], *, folders: Outputs = (),
                  inputs: Sequence[Path] = ()) -> T:
    """``read()``, with ``outputs`` (and output ``folders``) checked before it, and against the
    ``inputs`` known so far: every problem of both is raised together, before anything is rendered."""
    outputs = list(outputs)
    problems: list[Problem] = []
    try:
        check_outputs(outputs, inputs, folders=folders)
    except InputError as exc:
        problems = exc.problems
    try:
        made = read()
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    if problems:
        raise InputError(problems)
    return made
