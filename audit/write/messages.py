"""The words of every output, from one kind of catalogue.

A catalogue (``messages.yaml`` in a templates folder: the report's, the form's, the site's,
the terminal's and the spreadsheet's) maps each message to its text per language:
``key: {es: ..., en: ...}``, or a plain text for every language. :mod:`audit.read.messages`
reads them; a consultant's folder overlays the package's text by text. :class:`Words` gives
a message in one language, with its ``{placeholders}`` filled in; a language a message does
not have falls back to English.
"""

from __future__ import annotations

from typing import Any

from ..model import text_of
from .formats import number

Messages = dict[str, dict[str, str]]  # key -> language ("" for every language) -> text


class MessageError(Exception):
    """A message a template asks for is missing, or its placeholders do not fit."""


def pick(entry: dict[str, str], lang: str) -> str:
    """The text of one message in ``lang``: its own, else the text for every language, else English."""
    return entry.get(lang) or entry.get("") or entry.get("en") or next(iter(entry.values()), "")


class Words:
    """Texts of the bank and of one output in one language."""

    def __init__(self, lang: str, messages: Messages) -> None:
        self.lang = lang
        self.messages = messages

    def __call__(self, key: str, **values: Any) -> str:
        """Message ``key`` with its ``{placeholders}`` filled in."""
        entry = self.messages.get(key)
        if entry is None:
            raise MessageError(f"no message '{key}' in messages.yaml")
        text = pick(entry, self.lang)
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise MessageError(f"message '{key}' has a placeholder that does not fit ({exc}); "
                               f"expected only {', '.join('{' + k + '}' for k in values)}") from None

    def all(self) -> dict[str, str]:
        """Every message in this language (the site hands them to its script)."""
        return {key: pick(entry, self.lang) for key, entry in self.messages.items()}

    def bank(self, value: str | dict[str, str] | None) -> str:
        """A text of the bank (or of a brand or a plan) in this language."""
        return text_of(value, self.lang)

    def num(self, value: float | None, digits: int = 1) -> str:
        return number(value, self.lang, digits)
