"""The question bank as typed models (docs/bank-format.md).

The file models mirror what a consultant writes; unknown keys are errors. After loading, a
bank is resolved in place: area files inline, every question's ``type`` and ``options``
filled in, and every text a ``{language: text}`` mapping. The resolved :class:`Bank` is also
what the browser receives as JSON (``bank.model_dump(mode="json")``); what was read from
disk to make it (``folder``, ``files``, ``digest``, ``lines``) stays out of that JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from .kinds import KINDS, kind_of
from .text import BANK_ID_PATTERN, Id, Key, Model, Percent, Score01, Text, Weight, describe

EFFORTS = ("low", "medium", "high")


def _kind_name(value: str) -> str:
    if value not in KINDS:
        names = ", ".join(repr(k) for k in KINDS)
        raise ValueError(f"{describe(value)} is not allowed; expected one of {names}")
    return value


KindName = Annotated[str, AfterValidator(_kind_name), WithJsonSchema({"enum": list(KINDS), "type": "string"})]


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
    type: KindName | None = None
    text: Text
    help: Text | None = None
    scale: str | None = None
    options: list[Option] | None = None
    bands: list[Band] | None = None
    unit: Text | None = None
    range: Annotated[list[float], Field(min_length=2, max_length=2)] | None = None
    weight: Weight = 1
    na: bool = False
    dont_know: bool = True
    evidence: Text | None = None
    applies_if: AppliesIf | None = None
    suggestion: Text | None = None
    kpis: list[Text] = Field(default_factory=list)
    effort: Literal["low", "medium", "high"] = "medium"

    @property
    def scored(self) -> bool:
        """Whether answers to this question count towards scores at all."""
        return kind_of(self).scored and self.weight > 0


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
    """A diagnosis: it holds when every condition does; ``focus`` names the areas or sections
    to act on first when it holds (docs/scoring.md#rules)."""

    id: Id
    when: list[Condition] = Field(min_length=1)
    focus: list[str] = Field(default_factory=list)
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
    min_coverage: Annotated[float, Field(ge=0, le=1)] = 0.5
    min_group: Annotated[int, Field(ge=1)] = 1
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
    folder: Path | None = Field(default=None, exclude=True)  # where it was read from
    files: list[tuple[str, bytes]] = Field(default_factory=list, exclude=True)  # bank.yaml first
    lines: dict[str, int] = Field(default_factory=dict, exclude=True)  # bank.yaml's header keys

    @property
    def path(self) -> str:
        """bank.yaml, as the user named it."""
        return str((self.folder or Path(".")) / "bank.yaml")

    def sections(self) -> list[tuple[Area, Section]]:
        return [(a, s) for a in self.areas for s in a.sections]

    def questions(self) -> list[tuple[Area, Section, Question]]:
        return [(a, s, q) for a in self.areas for s in a.sections for q in s.questions]
