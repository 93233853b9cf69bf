"""The action plan against an audit: each action's payback, totals by quarter, what is left,
and the whole plan's business case.

Payback in months = 12 x investment / (yearly benefit - running cost), where the investment
is the one-off cost plus the internal hours at the hourly cost, and the running cost the
yearly cost plus the yearly internal hours; an action whose running cost eats its benefit
never pays back. :func:`plan_of` is pure and takes the scoring
:class:`~audit.engine.score.Result`, so the points an action can win are the
recommendations' own gains, never recomputed.

The business case counts every action, those that never pay back on their own included:

- the **whole-plan payback** is the same formula over the plan's totals, the months until
  the plan's cumulative benefit covers its cumulative cost when every action runs, as each
  action's own payback is counted from its launch;
- the **cash flow by year** takes the quarters into account: an action is launched at the
  start of its quarter, its investment paid then, its running cost and benefit accruing
  evenly from then on; the **break-even** is the month, counted from the start of the
  plan's first quarter, from which the cumulative cash flow stays at zero or above;
- the **sensitivity** is all of it again with every benefit cut by :data:`BENEFIT_CUT`.

Nothing is rounded and nothing is worded here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..model import total
from ..model.plan import QUARTER, Action, Costs, PlanInput, payback_months
from .score import Result, applies

BENEFIT_CUT = 0.3  # the sensitivity: every benefit 30 % lower
DEFAULT_YEARS = 3  # the cash flow covers at least this many years, and every year an action starts


@dataclass
class Totals(Costs):
    """The sums of one quarter's actions, or of the whole plan."""

    label: str
    actions: int
    one_off_cost: float
    yearly_cost: float
    yearly_benefit: float
    gain: float
    never: int  # actions that never pay back
    internal_cost: float = 0.0  # staff time to launch, in money
    yearly_internal_cost: float = 0.0  # staff time to run, every year, in money
    internal_hours: float = 0.0
    yearly_internal_hours: float = 0.0


@dataclass
class Year:
    """One calendar year of the plan's cash flow; costs and benefits as positive amounts."""

    year: int
    cost: float  # investments made this year, and the running costs of the months run
    benefit: float
    cumulative: float  # the net of every year up to this one

    @property
    def net(self) -> float:
        return self.benefit - self.cost


@dataclass
class Case:
    """The plan's business case under one assumption on the benefits."""

    benefit_factor: float  # 1 as estimated; 0.7 with every benefit 30 % lower
    yearly_benefit: float
    net_yearly: float
    payback_months: float | None  # the whole plan's, every action running; None: never
    break_even_months: float | None  # from the start of the first quarter, on the quarters; None: never
    years: list[Year]


@dataclass
class Plan:
    """The plan as the report shows it: actions by quarter, totals, what is left uncovered."""

    currency: str
    quarters: list[tuple[Totals, list[Action]]]
    total: Totals
    uncovered: list[str]  # recommendations (question ids) that no action addresses
    warnings: list[str]
    hourly_cost: float = 0.0
    assumptions: str | dict[str, str] | None = None
    case: Case | None = None  # the business case as estimated
    cut: Case | None = None  # the same with every benefit cut by BENEFIT_CUT
    start: tuple[int, int] = (0, 1)  # the first quarter: (year, quarter)

    @property
    def actions(self) -> list[Action]:
        return [a for _, actions in self.quarters for a in actions]

    @property
    def payback_months(self) -> float | None:
        """The whole plan's payback in months (every action counted, every action running); None: never."""
        return self.case.payback_months if self.case is not None else None


def _start_month(quarter: str, first_year: int) -> int:
    """Months from January of ``first_year`` to the start of ``quarter``."""
    year, q = quarter_key(quarter)
    return 12 * (year - first_year) + 3 * (q - 1)


def cash_flow(actions: list[Action], first_year: int, years: int, factor: float = 1.0) -> list[Year]:
    """Cost, benefit and the cumulative net of each calendar year from ``first_year``, for ``years`` years.

    An action starts at its quarter's first month: its investment is paid then, its running
    cost and its benefit (times ``factor``) accrue evenly, month by month, from then on.
    """
    flows: list[Year] = []
    cumulative = 0.0
    for n in range(years):
        begin, end = 12 * n, 12 * (n + 1)
        costs: list[float] = []
        benefits: list[float] = []
        for a in actions:
            start = _start_month(a.quarter, first_year)
            if begin <= start < end:
                costs.append(a.investment)
            months = max(0, end - max(begin, start))
            costs.append(a.running_cost * months / 12)
            benefits.append(a.yearly_benefit * factor * months / 12)
        cost, benefit = total(costs), total(benefits)
        cumulative += benefit - cost
        flows.append(Year(first_year + n, cost, benefit, cumulative))
    return flows


def break_even(actions: list[Action], first_month: int, factor: float = 1.0) -> float | None:
    """Months from ``first_month`` after which the cumulative net cash flow stays at zero or above.

    The cumulative net is a line broken at each launch (down by the investment, then steeper
    or flatter by the action's net): walked back from the last launch, the answer is where it
    last crosses zero. None when it ends below zero, or falls for ever.
    """
    launched = [(_start_month(a.quarter, 0) - first_month, a) for a in actions]
    segments: list[tuple[float, float, float]] = []  # (start, value just after its launches, slope a month)
    for s in sorted({at for at, _ in launched}):
        running = [(at, a) for at, a in launched if at <= s]
        value = total(-a.investment + (a.yearly_benefit * factor - a.running_cost) * (s - at) / 12
                      for at, a in running)
        slope = total(a.yearly_benefit * factor - a.running_cost for _, a in running) / 12
        segments.append((float(s), value, slope))
    start, value, slope = segments[-1]
    if slope < 0 or (slope == 0 and value < 0):
        return None
    if value < 0:
        return _finite(start - value / slope)
    answer = start
    for (start, value, slope), (end, _, _) in zip(reversed(segments[:-1]), reversed(segments[1:]), strict=True):
        if value + slope * (end - start) < 0:  # below zero just before the next launch
            return answer
        if value < 0:
            return _finite(start - value / slope)
        answer = start
    return answer


def _finite(months: float) -> float | None:
    return months if math.isfinite(months) else None


def business_case(actions: list[Action], years: int | None = None, factor: float = 1.0) -> Case:
    """The plan's business case with every benefit times ``factor``; the cash flow over ``years``
    years (default :data:`DEFAULT_YEARS`), and always to the year of the last launch."""
    first = min(quarter_key(a.quarter) for a in actions)
    last_year = max(quarter_key(a.quarter)[0] for a in actions)
    span = max(years or DEFAULT_YEARS, last_year - first[0] + 1)
    yearly_benefit = total(a.yearly_benefit * factor for a in actions)
    net = yearly_benefit - total(a.running_cost for a in actions)
    investment = total(a.investment for a in actions)
    return Case(factor, yearly_benefit, net, payback_months(investment, net),
                break_even(actions, 12 * first[0] + 3 * (first[1] - 1), factor),
                cash_flow(actions, first[0], span, factor))


def quarter_key(quarter: str) -> tuple[int, int]:
    """``2027-Q3`` → ``(2027, 3)``, for chronological order."""
    match = QUARTER.match(quarter)
    assert match is not None, quarter
    return int(match.group(1)), int(match.group(2))


def _totals(label: str, actions: list[Action], gains: dict[str, float]) -> Totals:
    linked = dict.fromkeys(q for a in actions for q in a.recommendations)  # each question once, in order
    return Totals(label, len(actions), total(a.one_off_cost for a in actions), total(a.yearly_cost for a in actions),
                  total(a.yearly_benefit for a in actions), total(gains[q] for q in linked),
                  sum(1 for a in actions if not a.pays_back), total(a.internal_cost for a in actions),
                  total(a.yearly_internal_cost for a in actions), total(a.internal_hours for a in actions),
                  total(a.yearly_internal_hours for a in actions))


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
    return Plan(spec.currency, quarters, _totals("total", actions, gains), uncovered, warnings, spec.hourly_cost,
                spec.assumptions, business_case(actions, spec.years),
                business_case(actions, spec.years, 1 - BENEFIT_CUT), min(quarter_key(a.quarter) for a in actions))
