"""The action plan against an audit: each action's payback, totals by quarter, what is left.

Payback in months = 12 x one-off cost / (yearly benefit - yearly cost); an action whose
running cost eats its benefit never pays back. :func:`plan_of` is pure and takes the
scoring :class:`~audit.engine.score.Result`, so the points an action can win are the
recommendations' own gains, never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import total
from ..model.plan import QUARTER, Action, PlanInput
from .score import Result, applies


@dataclass
class Totals:
    """The sums of one quarter's actions, or of the whole plan."""

    label: str
    actions: int
    one_off_cost: float
    yearly_cost: float
    yearly_benefit: float
    gain: float
    never: int  # actions that never pay back

    @property
    def net_yearly(self) -> float:
        return self.yearly_benefit - self.yearly_cost


@dataclass
class Plan:
    """The plan as the report shows it: actions by quarter, totals, what is left uncovered."""

    currency: str
    quarters: list[tuple[Totals, list[Action]]]
    total: Totals
    uncovered: list[str]  # recommendations (question ids) that no action addresses
    warnings: list[str]

    @property
    def actions(self) -> list[Action]:
        return [a for _, actions in self.quarters for a in actions]




def quarter_key(quarter: str) -> tuple[int, int]:
    """``2027-Q3`` → ``(2027, 3)``, for chronological order."""
    match = QUARTER.match(quarter)
    assert match is not None, quarter
    return int(match.group(1)), int(match.group(2))


def _totals(label: str, actions: list[Action], gains: dict[str, float]) -> Totals:
    linked = dict.fromkeys(q for a in actions for q in a.recommendations)  # each question once, in order
    return Totals(label, len(actions), total(a.one_off_cost for a in actions), total(a.yearly_cost for a in actions),
                  total(a.yearly_benefit for a in actions), total(gains[q] for q in linked),
                  sum(1 for a in actions if not a.pays_back))


def plan_of(spec: PlanInput, result: Result) -> Plan:
    """The plan against this audit's recommendations: gains, quarters in order, totals."""
    gains = {r.question: r.gain for r in result.recommendations}
    located = {q.id: (section, q) for _, section, q in result.bank.questions()}
    warnings: list[str] = []
    actions = []
    for written in spec.actions:
        linked = [q for q in written.questions if q in gains]
        action = replace(written, recommendations=linked, gain=total(gains[q] for q in linked))
        actions.append(action)
        not_applicable = [q for q in action.questions
                          if not (applies(located[q][0].applies_if, result.profile)
                                  and applies(located[q][1].applies_if, result.profile))]
        if not_applicable:
            warnings.append(f"{spec.path}:{action.line}: action '{action.id}' names questions that do not apply "
                            f"to this company's profile: {', '.join(not_applicable)}")
        elif not action.recommendations:
            warnings.append(f"{spec.path}:{action.line}: action '{action.id}' addresses no recommendation: its "
                            "questions are at or above target, or unanswered")
    by_quarter: dict[str, list[Action]] = {}
    for action in sorted(actions, key=lambda a: quarter_key(a.quarter)):  # stable: file order within
        by_quarter.setdefault(action.quarter, []).append(action)
    quarters = [(_totals(q, group, gains), group) for q, group in by_quarter.items()]
    covered = {q for a in actions for q in a.recommendations}
    uncovered = [r.question for r in result.recommendations if r.question not in covered]
    return Plan(spec.currency, quarters, _totals("total", actions, gains), uncovered, warnings)
