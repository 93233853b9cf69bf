"""Typed, strict models of a question bank (SPEC §1) and of response files (SPEC §2).

The file models mirror what a person writes; unknown keys are errors. After loading,
:mod:`audit.load` resolves a bank in place: area files inline, every question's ``type``
and ``options`` filled in, and every text a ``{language: text}`` mapping. The resolved
:class:`Bank` is also what the browser receives as JSON (``bank.model_dump(mode="json")``).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
BANK_ID_PATTERN = r"^[a-z0-9-]+$"
EFFORTS = ("low", "medium", "high")
QUESTION_TYPES = ("scale", "choice", "multi", "number", "text")


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return value
    raise ValueError("expected a text, or a mapping of language to text such as {es: ..., en: ...}")


def option_key(value: Any) -> str:
    """Option keys are strings or whole numbers and compare as text."""
    if isinstance(value, bool):
        raise ValueError("YAML reads this key as true/false (an unquoted yes, no, on, off, true or "
                         "false); write it in quotes, e.g. \"yes\"")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    if isinstance(value, str) and value:
        return value
    raise ValueError("expected an option key: a word or a whole number")


class _TextMark:
    """Marks fields that hold a translatable text, so checks can find them all."""


TEXT_MARK = _TextMark()
Text = Annotated[str | dict[str, str], BeforeValidator(_text), TEXT_MARK]
Key = Annotated[str, BeforeValidator(option_key),
                WithJsonSchema({"type": ["string", "integer"], "description": "an option key"})]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Score01 = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[float, Field(ge=0, le=100)]
Weight = Annotated[float, Field(ge=0)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, allow_inf_nan=False)


class Option(Model):
    """An answer option with its score in 0..1."""

    key: Key
    label: Text
    score: Score01
    help: Text | None = None


class Choice(Model):
    """An option without a score: profile answers, departments."""

    key: Key
    label: Text


class Level(Model):
    key: Key
    from_: Percent = Field(alias="from")
    label: Text
    summary: Text | None = None


class ProfileQuestion(Model):
    id: Id
    text: Text
    help: Text | None = None
    options: list[Choice] = Field(min_length=1)


class Band(Model):
    """A number band: ``max`` matches values <= max, ``min`` values >= min, neither anything."""

    max: float | None = None
    min: float | None = None
    score: Score01
    label: Text | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Band:
        if self.max is not None and self.min is not None:
            raise ValueError("a band has either max or min, not both")
        return self


AppliesIf = dict[str, list[Key]]


class Question(Model):
    id: Id
    type: Literal["scale", "choice", "multi", "number", "text"] | None = None
    text: Text
    help: Text | None = None
    scale: str | None = None
    options: list[Option] | None = None
    bands: list[Band] | None = None
    unit: Text | None = None
    range: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    weight: Weight = 1
    na: bool = False
    applies_if: AppliesIf | None = None
    suggestion: Text | None = None
    kpis: list[Text] = Field(default_factory=list)
    effort: Literal["low", "medium", "high"] = "medium"

    @property
    def scored(self) -> bool:
        """Whether answers to this question count towards scores at all."""
        return self.type != "text" and self.weight > 0


class Section(Model):
    id: Id
    title: Text
    description: Text | None = None
    weight: Weight = 1
    target: Percent | None = None
    applies_if: AppliesIf | None = None
    questions: list[Question] = Field(min_length=1)


class AreaFile(Model):
    """One area file of a bank."""

    id: Id
    title: Text
    description: Text | None = None
    weight: Weight = 1
    target: Percent | None = None
    sections: list[Section] = Field(min_length=1)


class Area(AreaFile):
    """An area as part of a loaded bank; ``source`` is its file name in the bank folder."""

    source: str = ""


class Condition(Model):
    """One condition of a rule: a reference (gap, score or divergence) and a threshold."""

    gap: Annotated[list[str], Field(min_length=2, max_length=2)] | None = None
    score: str | None = None
    divergence: str | None = None
    at_least: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        refs = [k for k in ("gap", "score", "divergence") if getattr(self, k) is not None]
        limits = [k for k in ("at_least", "below") if getattr(self, k) is not None]
        if len(refs) != 1:
            raise ValueError("a condition names exactly one of gap, score or divergence")
        if len(limits) != 1:
            raise ValueError("a condition has exactly one of at_least or below")
        return self

    @property
    def refs(self) -> list[str]:
        return list(self.gap) if self.gap else [self.score or self.divergence or ""]


class Rule(Model):
    id: Id
    when: list[Condition] = Field(min_length=1)
    title: Text
    text: Text | None = None


class BankHeader(Model):
    id: Annotated[str, Field(pattern=BANK_ID_PATTERN)]
    version: str
    languages: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]+)*$")]] = Field(min_length=1)
    title: Text
    description: Text | None = None
    target: Percent = 75
    divergence_threshold: Annotated[float, Field(ge=0)] = 25
    scales: dict[str, list[Option]] = Field(default_factory=dict)
    levels: list[Level] = Field(default_factory=list)
    departments: list[Choice] = Field(default_factory=list)
    profile: list[ProfileQuestion] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)


class BankFile(BankHeader):
    """``bank.yaml`` as written: areas are file names."""

    areas: list[str] = Field(min_length=1)


class Bank(BankHeader):
    """A loaded, resolved bank (see module docstring)."""

    areas: list[Area]
    digest: str = ""

    def sections(self) -> list[tuple[Area, Section]]:
        return [(a, s) for a in self.areas for s in a.sections]

    def questions(self) -> list[tuple[Area, Section, Question]]:
        return [(a, s, q) for a in self.areas for s in a.sections for q in s.questions]


# -- responses --------------------------------------------------------------------------

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
