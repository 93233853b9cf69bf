"""The options every use case shares, in one object (as Black's ``Mode``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from ..model import Bank


@dataclass(frozen=True)
class Options:
    """How to read the inputs and what to put in the outputs.

    ``bank``: the bank folder (default: the one that ships with the package). ``lang``: the
    output's language (default: the bank's first). ``brand``, ``templates``, ``plan``:
    the brand file, a folder of report templates, the action plan. ``date``: the audit's
    date (default: the latest ``submitted``). ``baseline``: the previous audit's answers.
    ``organisation``: the client's name when no answer gives one. ``allow_empty``: folders
    without answers make a team of nobody (a project whose teams have not answered yet).
    ``min_group``: departments with fewer respondents are pooled (default: the bank's).
    ``name_respondents``: name respondents (and their files) in what the client reads.
    """

    bank: Path | None = None
    lang: str | None = None
    brand: Path | None = None
    templates: Path | None = None
    plan: Path | None = None
    date: dt.date | None = None
    baseline: tuple[Path, ...] = ()
    organisation: str | None = None
    allow_empty: bool = False
    min_group: int | None = None
    name_respondents: bool = False


def language(bank: Bank, lang: str | None) -> str:
    """``lang`` if the bank has texts in it (default: the bank's first language)."""
    if lang is None:
        return bank.languages[0]
    if lang not in bank.languages:
        raise InputError([Problem(bank.path, bank.lines.get("languages", 1),
                                  f"--lang {lang}: the bank has no texts in '{lang}'; expected one of its "
                                  f"languages: {', '.join(bank.languages)}")])
    return lang
