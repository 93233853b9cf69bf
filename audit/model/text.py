"""The building blocks every model shares: strict models, texts, ids, option keys.

A text is a plain string (a one-language bank) or a ``{language: text}`` mapping; once a
bank is loaded every text is a mapping (docs/bank-format.md).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
BANK_ID_PATTERN = r"^[a-z0-9-]+$"


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


def text_of(value: str | dict[str, str] | None, lang: str) -> str:
    """A text in ``lang`` (texts are ``{language: text}`` once a bank is loaded)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang) or next(iter(value.values()), "")


def describe(value: Any) -> str:
    """A short, readable rendering of a value a user wrote, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
    """Strict: unknown keys are errors, no type coercion, no infinite or NaN numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, allow_inf_nan=False)

