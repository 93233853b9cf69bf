"""Answers: the response files people write (docs/responses.md), and the team they make.

The file models mirror what a person writes; unknown keys are errors. :class:`Response`
and :class:`Team` are what loading makes of them: every answer normalised by its question's
kind, every ``submitted`` parsed, the audit's date settled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, model_validator

from ..errors import Problem
from .text import Key, Model


class Respondent(Model):
    name: str | None = None
    department: Key | None = None


Answers = dict[str, Any]


class Entry(Model):
    """One respondent's answers inside a ``respondents:`` list."""

    respondent: Respondent = Field(default_factory=Respondent)
    language: str | None = None
    submitted: str | None = None
    profile: dict[str, Key | None] = Field(default_factory=dict)
    answers: Answers = Field(default_factory=dict)
    comments: dict[str, str | None] = Field(default_factory=dict)


class ResponseFile(Model):
    """A response file: one respondent at the top level, or a ``respondents`` list."""

    bank: str | None = None
    bank_version: str | None = None
    organisation: str | None = None
    respondent: Respondent | None = None
    language: str | None = None
    submitted: str | None = None
    profile: dict[str, Key | None] | None = None
    answers: Answers | None = None
    comments: dict[str, str | None] | None = None
    respondents: list[Entry] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ResponseFile:
        single = [k for k in ("respondent", "profile", "answers", "comments")
                  if getattr(self, k) is not None]
        if self.respondents is not None and single:
            raise ValueError(f"a file has either a respondents list or {', '.join(single)} "
                             "at the top, not both")
        return self

    def entries(self) -> list[tuple[tuple[str | int, ...], Entry]]:
        """Each respondent with its location in the file."""
        if self.respondents is not None:
            return [(("respondents", i), e) for i, e in enumerate(self.respondents)]
        return [((), Entry(respondent=self.respondent or Respondent(), language=self.language,
                           submitted=self.submitted, profile=self.profile or {},
                           answers=self.answers or {}, comments=self.comments or {}))]


class _NotApplicable:
    """The answer N/A; written ``na`` in files."""

    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "na"


NA = _NotApplicable()


class _DontKnow:
    """The answer "I don't know"; written ``dont_know`` in files."""

    _instance: _DontKnow | None = None

    def __new__(cls) -> _DontKnow:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "dont_know"


DONT_KNOW = _DontKnow()
AnswerValue = Any  # an option key | a list of keys | a float | a text | NA | DONT_KNOW



def as_written(value: AnswerValue) -> Any:
    """An answer as response files write it: N/A as ``na``, "I don't know" as ``dont_know``."""
    return "na" if value is NA else "dont_know" if value is DONT_KNOW else value


UNSPECIFIED = "unspecified"  # the department of respondents who name none
POOLED = "other"  # the department small departments are pooled into (docs/scoring.md#departments-and-divergence)


@dataclass
class Response:
    """One respondent's checked answers (``submitted_at``: ``submitted`` in UTC)."""

    source: str
    name: str | None
    department: str | None
    language: str | None
    submitted: str | None
    profile: dict[str, str]
    answers: dict[str, AnswerValue]
    comments: dict[str, str]
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True, order=True)
class Dropped:
    """An earlier answer that no longer fits the bank, set aside when matching by id.

    ``kind``: ``retired`` (the question is not in the bank), ``changed`` (the answer is not
    valid for the question as it is now), ``profile`` (a profile question or option is gone).
    """

    where: Problem
    question: str
    kind: str

    def __str__(self) -> str:
        return str(self.where)


@dataclass
class Team:
    """Every respondent of one audit, in input order.

    ``date`` and ``stamp`` (its W3C form) are the audit's date: the latest ``submitted``, or
    None when no answer says when it was given.
    """

    bank_id: str
    bank_version: str | None
    organisation: str | None
    respondents: list[Response]
    warnings: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # answers set aside when matching by id
    date: dt.date | None = None
    stamp: str | None = None
