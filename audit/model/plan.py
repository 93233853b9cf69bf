"""The action plan (``plan.yaml``): recommendations turned into costed actions, with payback.

The second source article's point: the payback of a loyalty action must count the cost of
running it, not only the cost of launching it. A card whose yearly upkeep eats the extra
sales it brings never pays back, however cheap it was to print.

```yaml
currency: EUR                       # ISO 4217 code, default EUR
actions:
  - id: delivery-tracking           # unique
    title: {es: Seguimiento de pedidos, en: Order tracking}   # or a plain string
    questions: [bo-delivery-tracking, bo-on-time-rate]         # question ids of the bank
    owner: operations               # a department of the bank (when it declares any)
    quarter: 2027-Q1                # YYYY-Qn
    one_off_cost: 12000             # launching it, once
    yearly_cost: 3000               # running it, every year (people, licences, upkeep)
    yearly_benefit: 20000           # what it is expected to bring every year
    internal_hours: 120             # optional: the client's own staff time to launch it
    yearly_internal_hours: 40       # optional: the staff time to run it, every year
    benefit_basis: {es: ..., en: ...}   # optional: how the yearly benefit was estimated
    notes: {es: ..., en: ...}       # optional
hourly_cost: 35                     # the cost of an hour of the client's staff; needed with hours
assumptions: {es: ..., en: ...}     # optional: what every benefit of the plan assumes
years: 3                            # optional: years of the cash flow, from the first quarter's (1..10)
```

Internal hours are a cost like any other: an action's investment is its one-off cost plus
its internal hours at ``hourly_cost``, and its running cost its yearly cost plus its yearly
internal hours at that rate. Payback in months = 12 x investment / (yearly benefit - running
cost). When the running cost is as large as the benefit or larger, the action never pays
back (:mod:`audit.engine.payback`, which also makes the whole plan's business case).
:mod:`audit.read.plan` reads and checks the file.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import AfterValidator, Field

from .text import ID_PATTERN, Model, Text, describe

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
Money = Annotated[float, Field(ge=0)]
Hours = Annotated[float, Field(ge=0)]
MAX_YEARS = 10


def _quarter(value: str) -> str:
    if not QUARTER.match(value):
        raise ValueError(f"{describe(value)} is not a quarter; expected a year and a quarter such as \"2027-Q1\"")
    return value


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"{describe(value)} is not a currency code; expected three capital letters such as EUR")
    return value


class ActionFile(Model):
    """One action of ``plan.yaml`` as written."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: Text
    questions: Annotated[list[Annotated[str, Field(pattern=ID_PATTERN)]], Field(min_length=1)]
    owner: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    quarter: Annotated[str, AfterValidator(_quarter)]
    one_off_cost: Money = 0
    yearly_cost: Money = 0
    yearly_benefit: Money = 0
    internal_hours: Hours = 0
    yearly_internal_hours: Hours = 0
    benefit_basis: Text | None = None
    notes: Text | None = None


class PlanFile(Model):
    """``plan.yaml`` as written."""

    currency: Annotated[str, AfterValidator(_currency)] = "EUR"
    hourly_cost: Money | None = None
    assumptions: Text | None = None
    years: Annotated[int, Field(ge=1, le=MAX_YEARS)] | None = None
    actions: Annotated[list[ActionFile], Field(min_length=1)]


def payback_months(investment: float, net_yearly: float) -> float | None:
    """12 x investment / net yearly benefit; None when the net is not positive (or the months
    too many to count)."""
    if net_yearly <= 0:
        return None
    months = 12 * investment / net_yearly
    return months if math.isfinite(months) else None


class Costs:
    """What launching and running cost, what is left every year and the payback, from the
    amounts of one action or of several together (the staff time counted as a cost)."""

    one_off_cost: float
    yearly_cost: float
    yearly_benefit: float

    @property
    def internal_cost(self) -> float:
        """The staff time it takes to launch, in money."""
        raise NotImplementedError

    @property
    def yearly_internal_cost(self) -> float:
        """The staff time it takes to run every year, in money."""
        raise NotImplementedError

    @property
    def investment(self) -> float:
        """What launching costs: the one-off cost and the staff time."""
        return self.one_off_cost + self.internal_cost

    @property
    def running_cost(self) -> float:
        """What running costs every year: the yearly cost and the staff time."""
        return self.yearly_cost + self.yearly_internal_cost

    @property
    def net_yearly(self) -> float:
        """What is left of a year's benefit once the running costs (staff time included) are paid."""
        return self.yearly_benefit - self.running_cost

    @property
    def payback_months(self) -> float | None:
        """Months until the investment is recovered, everything running; None when it never is."""
        return payback_months(self.investment, self.net_yearly)


@dataclass
class Action(Costs):
    """One costed action, with its payback and the recommendations it addresses."""

    id: str
    title: str | dict[str, str]
    questions: list[str]
    owner: str | None
    quarter: str
    one_off_cost: float
    yearly_cost: float
    yearly_benefit: float
    notes: str | dict[str, str] | None
    line: int
    internal_hours: float = 0.0
    yearly_internal_hours: float = 0.0
    hourly_cost: float = 0.0  # the plan's, copied here so that every cost of the action is at hand
    benefit_basis: str | dict[str, str] | None = None
    recommendations: list[str] = field(default_factory=list)  # the linked questions below target
    gain: float = 0.0  # overall points won by bringing those questions to full score

    @property
    def internal_cost(self) -> float:
        """The staff time it takes to launch, in money."""
        return self.internal_hours * self.hourly_cost

    @property
    def yearly_internal_cost(self) -> float:
        """The staff time it takes to run every year, in money."""
        return self.yearly_internal_hours * self.hourly_cost

    @property
    def pays_back(self) -> bool:
        return self.net_yearly > 0


@dataclass
class PlanInput:
    """A checked ``plan.yaml``: the file, and its actions in file order."""

    path: str
    currency: str
    actions: list[Action]
    hourly_cost: float = 0.0
    assumptions: str | dict[str, str] | None = None
    years: int | None = None  # of the cash flow; None: the engine's default
