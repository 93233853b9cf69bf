"""Follow-up audits: this audit against an earlier one (``--baseline``).

Both audits are scored by the one engine against the current bank; the earlier answers are
read with ``match_by_id``, so questions that changed between bank versions are matched by id
and what no longer fits is listed (``dropped``), never silently lost.

Progress to date follows OWASP SAMM: the part of the gap to target that has been closed,
``(current - baseline) / (target - baseline)``. It is 1 when the target is reached from
below, above 1 when it is passed, negative when the score fell. It is null when either score
is null, or when the baseline already met the target (there was no gap to close).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Dropped
from .score import Node, Result, target_of


@dataclass
class Change:
    """One score before and after."""

    baseline: float | None
    current: float | None
    target: float

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    @property
    def progress(self) -> float | None:
        """The part of the gap to target closed since the baseline (OWASP SAMM)."""
        if self.baseline is None or self.current is None or self.target <= self.baseline:
            return None
        return (self.current - self.baseline) / (self.target - self.baseline)

    def to_json(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "current": self.current, "change": self.change,
                "target": self.target, "progress": self.progress}


@dataclass
class Followup:
    """The comparison of two audits of one organisation."""

    respondents: int
    bank_version: str | None
    overall: Change
    percent_to_target: tuple[float | None, float | None]  # baseline, current
    areas: dict[str, Change]
    sections: dict[str, Change]
    questions: dict[str, Change]
    dropped: list[Dropped]   # earlier answers that no longer fit the bank
    not_compared: list[str]  # questions scored now but not in the baseline

    def to_json(self) -> dict[str, Any]:
        """The ``baseline`` member added to ``score --format json``."""
        before, after = self.percent_to_target
        return {
            "respondents": self.respondents,
            "bank_version": self.bank_version,
            "overall": {**self.overall.to_json(), "percent_to_target": {"baseline": before, "current": after}},
            "areas": {k: v.to_json() for k, v in self.areas.items()},
            "sections": {k: v.to_json() for k, v in self.sections.items()},
            "questions": {k: {"baseline": v.baseline, "current": v.current, "change": v.change}
                          for k, v in self.questions.items()},
            "dropped": [{"file": d.where.path, "line": d.where.line, "question": d.question, "reason": d.kind,
                         "problem": d.where.message} for d in self.dropped],
            "not_compared": list(self.not_compared),
        }


def _score(nodes: dict[str, Node], key: str) -> float | None:
    node = nodes.get(key)
    return node.score if node is not None else None


def compare(current: Result, baseline: Result) -> Followup:
    """Compare ``current`` with ``baseline``; both scored against the same bank."""
    bank = current.bank
    areas: dict[str, Change] = {}
    sections: dict[str, Change] = {}
    questions: dict[str, Change] = {}
    for area in bank.areas:
        if area.id in current.areas or area.id in baseline.areas:
            areas[area.id] = Change(_score(baseline.areas, area.id), _score(current.areas, area.id),
                                    target_of(bank, area))
        for section in area.sections:
            if section.id in current.sections or section.id in baseline.sections:
                sections[section.id] = Change(_score(baseline.sections, section.id),
                                              _score(current.sections, section.id), target_of(bank, area, section))
            for q in section.questions:
                now, then = current.questions.get(q.id), baseline.questions.get(q.id)
                if now is None and then is None:
                    continue
                questions[q.id] = Change(then.score if then else None, now.score if now else None,
                                         target_of(bank, area, section))
    not_compared = [qid for qid, c in questions.items() if c.current is not None and c.baseline is None]
    return Followup(len(baseline.team.respondents), baseline.team.bank_version,
                    Change(baseline.overall.score, current.overall.score, bank.target),
                    (baseline.percent_to_target, current.percent_to_target), areas, sections, questions,
                    list(baseline.team.dropped), not_compared)
