"""What the report leads with, picked from the result by the bank's rules and structure.

No area or section id is special here: a bank of other areas gets the same treatment.

- The **headline diagnosis** is the first rule that holds, in the bank's order (rules are
  listed by priority).
- The **headline comparison** is the pair of areas of the headline's ``gap`` condition, else
  of the first ``gap`` condition among the bank's rules whose areas both apply; a bank
  without one compares its first two areas.
- The **dimensions** drawn against target are the brand's choice, else the widest area the
  headline comparison leaves out, else the widest area.
- The **first steps** follow the diagnosis: the best quick win and the biggest lever among
  the recommendations in focus (all of them when none is), the weakest area and the section
  where departments disagree most.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Area, Bank, total
from .score import Recommendation, Result


def headline_pair(bank: Bank, result: Result) -> tuple[str, str] | None:
    """The two areas compared in the headline (see the module's docstring)."""
    headline = headline_rule(bank, result)
    first = [r for r in bank.rules if r.id == headline]
    for rule in first + bank.rules:
        for cond in rule.when:
            if cond.gap and all(ref in result.areas for ref in cond.gap):
                return cond.gap[0], cond.gap[1]
    ids = list(result.areas)
    return (ids[0], ids[1]) if len(ids) >= 2 else None


def headline_rule(bank: Bank, result: Result) -> str | None:
    """The diagnosis the report leads with (see the module's docstring)."""
    return result.diagnoses[0] if result.diagnoses else None


def dimensions_area(bank: Bank, result: Result, chosen: str | None = None) -> Area | None:
    """The area whose sections are drawn against target (see the module's docstring)."""
    present = [a for a in bank.areas if a.id in result.areas]
    if not present:
        return None
    for area in present:
        if area.id == chosen:
            return area
    pair = headline_pair(bank, result) or ()
    others = [a for a in present if a.id not in pair] or present
    return max(others, key=lambda a: sum(1 for s in a.sections if s.id in result.sections))


@dataclass
class AreaGap:
    """An area with what its recommendations would win."""

    area: str
    score: float
    recommendations: int
    gain: float


@dataclass
class FirstSteps:
    """What to do first, as picks from the result; the report puts them in words."""

    quick: Recommendation | None  # the best low-effort recommendation
    lever: Recommendation | None  # the biggest gain, when it is not the quick win
    weakest: AreaGap | None  # the lowest-scoring area, when it has recommendations
    disagreement: str | None  # the flagged section with the widest divergence


def first_steps(bank: Bank, result: Result) -> FirstSteps:
    """The picks behind the report's "what to do first"."""
    recs = [r for r in result.recommendations if r.focus] or result.recommendations
    quick = next((r for r in recs if r.effort == "low"), None)
    lever = recs[0] if recs and recs[0] is not quick else None
    area_of = {q.id: a.id for a, _, q in bank.questions()}
    scored = [(a.id, node.score) for a in bank.areas if (node := result.areas.get(a.id)) and node.score is not None]
    weakest = None
    if len(scored) >= 2:
        area, score = min(scored, key=lambda t: t[1])
        own = [r for r in result.recommendations if area_of[r.question] == area]
        if own:
            weakest = AreaGap(area, score, len(own), total(r.gain for r in own))
    flagged = [(node.divergence or 0.0, sid) for sid, node in result.sections.items() if node.flagged]
    disagreement = max(flagged, key=lambda t: t[0])[1] if flagged else None
    return FirstSteps(quick, lever, weakest, disagreement)
