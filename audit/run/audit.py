"""The pipeline every scoring command shares, assembled once: read, score, compare, plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..engine.followup import Followup, compare
from ..engine.payback import Plan, plan_of
from ..engine.score import Result, score
from ..model import Bank, Team
from ..read.answers import load_responses
from ..read.bank import load_bank
from ..read.plan import load_plan
from .options import Options, language


@dataclass
class Audit:
    """One team's audit: its inputs read and checked, and what the engine made of them."""

    bank: Bank
    lang: str
    team: Team
    result: Result
    followup: Followup | None = None
    baseline: Team | None = None
    plan: Plan | None = None


def audit(responses: Sequence[Path], options: Options, *, with_plan: bool = False) -> Audit:
    """Read every input ``options`` names, check them all, then score (and compare, and plan).

    Every input is read before anything is scored, so bad input anywhere stops the run
    before any output is made.
    """
    bank = load_bank(options.bank)
    lang = language(bank, options.lang)
    team = load_responses(list(responses), bank, options.allow_empty)
    if team.organisation is None:
        team.organisation = options.organisation
    plan_input = load_plan(options.plan, bank) if with_plan and options.plan is not None else None
    earlier = load_responses(list(options.baseline), bank, match_by_id=True) if options.baseline else None
    result = score(bank, team, options.min_group)
    followup = compare(result, score(bank, earlier, options.min_group)) if earlier is not None else None
    plan = plan_of(plan_input, result) if plan_input is not None else None
    return Audit(bank, lang, team, result, followup, earlier, plan)
