"""The plan's business case as the report shows it, in the report's language.

Everything is worked out in :mod:`audit.engine.payback` (whole-plan payback, cash flow by
year, break-even on the quarters, the same with every benefit cut); this only puts the
client's own words (the benefit assumptions of ``plan.yaml``) in the report's language
beside those figures. Numbers stay unrounded: the templates format them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...engine.payback import BENEFIT_CUT, Case, Plan, Totals
from ..messages import Words


@dataclass
class Basis:
    """Where one action's yearly benefit comes from, as the plan says."""

    title: str
    yearly_benefit: float
    basis: str  # "" when the plan does not say


@dataclass
class YearRow:
    """One year of the cash flow, as estimated and with the benefits cut."""

    year: int
    cost: float
    benefit: float
    net: float
    cumulative: float
    cumulative_cut: float


@dataclass
class BusinessView:
    """The whole plan's business case."""

    currency: str
    total: Totals
    case: Case
    cut: Case
    cut_share: float  # the cut, as a fraction: 0.3
    start: str  # the first quarter, from which the break-even is counted
    hourly_cost: float
    assumptions: str
    bases: list[Basis]
    years: list[YearRow]

    @property
    def payback_months(self) -> float | None:
        """The whole plan's payback, for the executive summary."""
        return self.case.payback_months

    @property
    def internal_time(self) -> bool:
        return bool(self.total.internal_hours or self.total.yearly_internal_hours)


def business_view(plan: Plan, words: Words) -> BusinessView | None:
    """The business case of ``plan`` in ``words``' language (None for a plan without one)."""
    if plan.case is None or plan.cut is None:
        return None
    titles = {a.id: words.bank(a.title) for a in plan.actions}
    bases = [Basis(titles[a.id], a.yearly_benefit, words.bank(a.benefit_basis)) for a in plan.actions]
    years = [YearRow(y.year, y.cost, y.benefit, y.net, y.cumulative, c.cumulative)
             for y, c in zip(plan.case.years, plan.cut.years, strict=True)]
    year, quarter = plan.start
    return BusinessView(plan.currency, plan.total, plan.case, plan.cut, BENEFIT_CUT, f"{year}-Q{quarter}",
                        plan.hourly_cost, words.bank(plan.assumptions), bases, years)
