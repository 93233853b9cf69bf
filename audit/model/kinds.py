"""Question types: one class per type, and :data:`KINDS`, the only list of them.

A kind knows which keys of a question belong to it, what its answer looks like, how an
answer is checked and normalised, how it scores (docs/scoring.md#respondent-scores) and
which option labels it picks. Everything else asks :func:`kind_of`; the outputs (site,
form, blank file, report) switch on a kind's :attr:`Kind.answer`, the shape of its input,
never on a type's name, so a new type whose answer has one of the four shapes is added
here alone:

| shape | the respondent gives | site and form |
| --- | --- | --- |
| ``single`` | one option key | radio buttons |
| ``multiple`` | a list of option keys | check boxes |
| ``numeric`` | a finite number | a number field |
| ``free`` | a text | a text area |
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

from .answers import DONT_KNOW, NA
from .arithmetic import total
from .text import describe, option_key

if TYPE_CHECKING:
    from .bank import Question

SHAPES = ("single", "multiple", "numeric", "free")
Problem = str | None


class Kind:
    """What a question type is; subclasses fill in the class attributes."""

    name: ClassVar[str]
    answer: ClassVar[str]  # one of SHAPES
    keys: ClassVar[tuple[str, ...]] = ()  # the question keys that belong to this type
    needs: ClassVar[str | None] = None  # the key it cannot do without
    scored: ClassVar[bool] = True  # whether its answers can score at all
    na: ClassVar[bool] = True  # whether "na" and "dont_know" can be answers (where the question allows them)

    def normalise(self, q: Question, value: Any) -> tuple[Any, Problem]:
        """The answer as the engine keeps it, or a problem in the user's words."""
        raise NotImplementedError

    def score(self, q: Question, value: Any) -> float | None:
        """s(q) in 0..1 of one normalised answer; None when it does not score."""
        return None

    def chooses(self, value: Any, key: str) -> bool:
        """Whether the answer ``value`` picks the option ``key``."""
        return False

    def chosen(self, q: Question, value: Any) -> list[Any]:
        """The options an answer picks, in the answer's order."""
        options = {o.key: o for o in q.options or []}
        keys = [value] if self.answer == "single" else list(value) if self.answer == "multiple" else []
        return [options[k] for k in keys if k in options]

    def to_json(self) -> dict[str, Any]:
        """What the browser needs to know of this type (it behaves by shape)."""
        return {"answer": self.answer, "scored": self.scored}


def _keys(q: Question) -> list[str]:
    return [o.key for o in q.options or []]


class _OneOption(Kind):
    answer = "single"

    def normalise(self, q: Question, value: Any) -> tuple[Any, Problem]:
        keys = _keys(q)
        try:
            key = option_key(value)
        except ValueError:
            return None, (f"answer to '{q.id}' is {describe(value)}; expected one of: "
                          f"{', '.join(keys)}" + (" or na" if q.na else ""))
        if key not in keys:
            return None, (f"'{key}' is not an option of question '{q.id}'; expected one of: "
                          f"{', '.join(keys)}" + (" or na" if q.na else ""))
        return key, None

    def score(self, q: Question, value: Any) -> float | None:
        return next(o.score for o in q.options or [] if o.key == value)

    def chooses(self, value: Any, key: str) -> bool:
        return bool(value == key)


class Scale(_OneOption):
    """One option of a scale the bank defines once (``scale: NAME``)."""

    name = "scale"
    keys = ("scale",)
    needs = "scale"


class Choice(_OneOption):
    """One option of the question's own ``options``."""

    name = "choice"
    keys = ("options",)
    needs = "options"


class Multi(Kind):
    """Several options, no repeats; s = min(1, sum of the chosen options' scores)."""

    name = "multi"
    answer = "multiple"
    keys = ("options",)
    needs = "options"

    def normalise(self, q: Question, value: Any) -> tuple[Any, Problem]:
        keys = _keys(q)
        if not isinstance(value, list):
            return None, (f"answer to '{q.id}' is {describe(value)}; expected a list of options "
                          f"from: {', '.join(keys)}")
        chosen: list[str] = []
        for item in value:
            try:
                key = option_key(item)
            except ValueError:
                return None, f"answer to '{q.id}' holds {describe(item)}; expected option keys"
            if key not in keys:
                return None, (f"'{key}' is not an option of question '{q.id}'; expected keys "
                              f"from: {', '.join(keys)}")
            if key in chosen:
                return None, f"option '{key}' is chosen twice in '{q.id}'; expected each once"
            chosen.append(key)
        return chosen, None

    def score(self, q: Question, value: Any) -> float | None:
        picked = set(value)
        return min(1.0, total(o.score for o in q.options or [] if o.key in picked))

    def chooses(self, value: Any, key: str) -> bool:
        return key in value


class Number(Kind):
    """A finite number inside ``range``; the first band it falls in gives its score."""

    name = "number"
    answer = "numeric"
    keys = ("bands", "unit", "range")
    needs = "bands"

    def normalise(self, q: Question, value: Any) -> tuple[Any, Problem]:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None, f"answer to '{q.id}' is {describe(value)}; expected a finite number"
        if q.range is not None and not q.range[0] <= value <= q.range[1]:
            return None, (f"answer to '{q.id}' is {value:g}, outside its range; expected a number "
                          f"from {q.range[0]:g} to {q.range[1]:g}")
        return float(value), None

    def score(self, q: Question, value: Any) -> float | None:
        for band in q.bands or []:
            if (band.max is None or value <= band.max) and (band.min is None or value >= band.min):
                return band.score
        return None


class FreeText(Kind):
    """A text; never scored (its weight is 0)."""

    name = "text"
    answer = "free"
    scored = False
    na = False

    def normalise(self, q: Question, value: Any) -> tuple[Any, Problem]:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None, f"answer to '{q.id}' is {describe(value)}; expected a text"
        return (value if isinstance(value, str) else str(value)), None


KINDS: dict[str, Kind] = {kind.name: kind for kind in (Scale(), Choice(), Multi(), Number(), FreeText())}
"""Every question type by name, in the order documentation lists them."""

ANSWER_KEYS = tuple(dict.fromkeys(key for kind in KINDS.values() for key in kind.keys))
"""The question keys that belong to one type or another."""


def implied_kind(q: Question) -> str | None:
    """The type of a question written without ``type:``: a scale when it names one."""
    return Scale.name if q.scale is not None else None


def kind_of(q: Question) -> Kind:
    """The kind of a loaded question (``type`` is resolved at load)."""
    return KINDS[q.type or ""]


def normalise(q: Question, value: Any) -> tuple[Any, Problem]:
    """One answer to ``q`` checked and normalised: N/A, or the kind's own value."""
    if isinstance(value, bool):
        return None, (f"the answer to '{q.id}' is read by YAML as true/false (an unquoted yes, no, on, "
                      "off, true or false); write it in quotes, e.g. \"yes\"")
    kind = kind_of(q)
    if isinstance(value, str) and value == "na" and "na" not in _keys(q) and kind.na:
        if q.na:
            return NA, None
        return None, f"N/A is not allowed for question '{q.id}'; expected an answer"
    if isinstance(value, str) and value == "dont_know" and "dont_know" not in _keys(q):
        if not kind.na:
            return None, f"dont_know is not an answer to the {q.type} question '{q.id}'; expected a text"
        if q.dont_know:
            return DONT_KNOW, None
        return None, f"dont_know is not allowed for question '{q.id}'; expected an answer"
    return kind.normalise(q, value)


def answer_score(q: Question, value: Any) -> float | None:
    """A respondent's s(q) in 0..1, or None when the answer does not score."""
    if value is None or value is NA or value is DONT_KNOW or not q.scored:
        return None
    return kind_of(q).score(q, value)

