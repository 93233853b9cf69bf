"""What the report leads with, picked from the result by the bank's rules and structure.

No area or section id is special here: a bank of other areas gets the same treatment.

- The **headline diagnosis** is the first rule that holds, in the bank's order (rules are
  listed by priority).
- The **headline comparison** is the pair of areas of the headline's own ``gap`` condition;
  a headline without one (or no headline) compares nothing, so the summary never shows a
  pair of areas the diagnosis does not speak of.
- The **dimensions** drawn against target are those of the area the brand names, if any.
- The **evidence** of a diagnosis is what its rule looks at: the areas and sections its
  conditions and focus name, and the questions in them.
- The **initiatives** group the recommendations in focus by section, in the order of their
  best recommendation, topped up from the others when fewer than three sections are in focus.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Area, Bank, total
from .score import Recommendation, Result


def headline_pair(bank: Bank, result: Result) -> tuple[str, str] | None:
    """The two areas compared in the headline (see the module's docstring)."""
    headline = headline_rule(bank, result)
    for rule in (r for r in bank.rules if r.id == headline):
        for cond in rule.when:
            if cond.gap and all(ref in result.areas for ref in cond.gap):
                return cond.gap[0], cond.gap[1]
    return None


def headline_rule(bank: Bank, result: Result) -> str | None:
    """The diagnosis the report leads with (see the module's docstring)."""
    return result.diagnoses[0] if result.diagnoses else None


def dimensions_area(bank: Bank, result: Result, chosen: str | None = None) -> Area | None:
    """The area whose sections are drawn against target (see the module's docstring)."""
    return next((a for a in bank.areas if a.id in result.areas and a.id == chosen), None)


def rule_refs(bank: Bank, rule_id: str) -> list[str]:
    """The areas and sections a rule looks at: its focus first, then its conditions' references
    (``overall`` left out), each once, in that order."""
    rule = next(r for r in bank.rules if r.id == rule_id)
    refs: list[str] = list(rule.focus)
    for cond in rule.when:
        refs += cond.gap or [cond.score or cond.divergence or ""]
    return [r for r in dict.fromkeys(refs) if r and r != "overall"]


def questions_under(bank: Bank, result: Result, refs: list[str]) -> list[str]:
    """The applicable questions in the areas or sections ``refs`` name, in bank order."""
    wanted = set(refs)
    return [q.id for a, s, q in bank.questions()
            if q.id in result.questions and (a.id in wanted or s.id in wanted)]


@dataclass
class Initiative:
    """Recommendations of one section, acted on together."""

    section: str
    area: str
    recommendations: list[Recommendation]
    in_focus: bool

    @property
    def gain(self) -> float:
        return total(r.gain for r in self.recommendations)


def initiatives(bank: Bank, result: Result, most: int = 5, least: int = 3) -> list[Initiative]:
    """The recommendations grouped by section, those in focus first (see the module's docstring)."""
    where = {q.id: (a.id, s.id) for a, s, q in bank.questions()}
    groups: dict[str, Initiative] = {}
    focused = [r for r in result.recommendations if r.focus]
    for pool, in_focus in ((focused, True), ([r for r in result.recommendations if not r.focus], False)):
        if in_focus is False and len(groups) >= least:
            break
        for rec in pool:
            area, section = where[rec.question]
            if section not in groups:
                if len(groups) >= (most if in_focus else least):
                    continue
                groups[section] = Initiative(section, area, [], in_focus)
            groups[section].recommendations.append(rec)
    return list(groups.values())
