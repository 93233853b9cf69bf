"""Typed models of everything the tool reads: banks, answers, brand, plan. Pydantic only, no I/O."""

from __future__ import annotations

from .answers import DONT_KNOW, NA, AnswerValue, Dropped, Entry, Respondent, Response, ResponseFile, Team
from .arithmetic import total
from .bank import (
    EFFORTS,
    Area,
    AreaFile,
    Band,
    Bank,
    BankFile,
    BankHeader,
    Choice,
    Condition,
    Level,
    Option,
    ProfileQuestion,
    Question,
    Rule,
    Section,
)
from .kinds import KINDS, Kind, answer_score, kind_of, normalise
from .text import ID_PATTERN, TEXT_MARK, Model, Text, describe, option_key, text_of

__all__ = [
    "DONT_KNOW", "EFFORTS", "ID_PATTERN", "KINDS", "NA", "TEXT_MARK", "AnswerValue", "Area", "AreaFile", "Band", "Bank",
    "BankFile", "BankHeader", "Choice", "Condition", "Dropped", "Entry", "Kind", "Level", "Model", "Option",
    "ProfileQuestion", "Question", "Respondent", "Response", "ResponseFile", "Rule", "Section", "Team", "Text",
    "answer_score", "describe", "kind_of", "normalise", "option_key", "text_of", "total",
]
