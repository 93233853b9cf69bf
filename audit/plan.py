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
    notes: {es: ..., en: ...}       # optional
```

Payback in months = 12 x one-off cost / (yearly benefit - yearly cost). When the yearly
cost is as large as the benefit or larger, the action never pays back. Loading follows the
other inputs: every problem is reported as ``path:line``, all at once; :func:`plan_of` is
pure and takes the scoring :class:`~audit.score.Result`, so the points an action can win
are the recommendations' own gains, never recomputed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError

from .errors import InputError, Problem
from .load import suggest
from .model import ID_PATTERN, Bank, Model, Text
from .score import Result, applies, total
from .validation import describe, problems_from
from .yamlload import Document, load_document

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
Money = Annotated[float, Field(ge=0)]


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
    notes: Text | None = None


class PlanFile(Model):
    """``plan.yaml`` as written."""

    currency: Annotated[str, AfterValidator(_currency)] = "EUR"
    actions: Annotated[list[ActionFile], Field(min_length=1)]


@dataclass
class Action:
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
    recommendations: list[str] = field(default_factory=list)  # the linked questions below target
    gain: float = 0.0  # overall points won by bringing those questions to full score

    @property
    def net_yearly(self) -> float:
        """What the action brings in a year once its running costs are paid."""
        return self.yearly_benefit - self.yearly_cost

    @property
    def pays_back(self) -> bool:
        return self.net_yearly > 0

    @property
    def payback_months(self) -> float | None:
        """Months until the one-off cost is recovered; None when it never is."""
        if not self.pays_back:
            return None
        return 12 * self.one_off_cost / self.net_yearly


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


@dataclass
class PlanInput:
    """A checked ``plan.yaml``: the file, and its actions in file order."""

    path: str
    currency: str
    actions: list[Action]


def load_plan(path: Path | str, bank: Bank) -> PlanInput:
    """Read and check ``plan.yaml`` against ``bank``; every problem at once, with its line."""
    path = Path(path)
    if path.is_dir():
        raise InputError([Problem(str(path), 1, "this is a folder; expected a plan file such as plan.yaml")])
    if not path.is_file():
        raise InputError([Problem(str(path), 1, "no such file; expected a plan file such as plan.yaml")])
    doc = load_document(path)
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), f"the file holds {describe(doc.data)}; expected a mapping "
                                          "with currency and actions")])
    problems: list[Problem] = []
    try:
        spec: PlanFile | None = PlanFile.model_validate(doc.data)
    except ValidationError as exc:
        problems += problems_from(exc, doc, PlanFile)
        spec = None
    # the checks against the bank run on what was written, so a shape problem elsewhere in the
    # file does not hide them: every problem is reported at once
    questions = {q.id for _, _, q in bank.questions()}
    departments = [d.key for d in bank.departments]
    seen: set[str] = set()
    written = doc.data.get("actions")
    for i, a in enumerate(written if isinstance(written, list) else []):
        if not isinstance(a, dict):
            continue
        loc: tuple[str | int, ...] = ("actions", i)
        if isinstance(a.get("id"), str):
            if a["id"] in seen:
                problems.append(doc.problem(loc + ("id",), f"action '{a['id']}' appears twice; expected unique ids"))
            seen.add(a["id"])
        linked = a.get("questions")
        if isinstance(linked, list):
            for j, qid in enumerate(linked):
                if isinstance(qid, str) and qid not in questions:
                    problems.append(doc.problem(loc + ("questions", j), f"unknown question '{qid}'; "
                                                f"{suggest(qid, sorted(questions))}"))
            if len({str(q) for q in linked}) != len(linked):
                problems.append(doc.problem(loc + ("questions",), "a question is listed twice; expected each once"))
        owner = a.get("owner")
        if isinstance(owner, str) and departments and owner not in departments:
            problems.append(doc.problem(loc + ("owner",), f"unknown department '{owner}'; "
                                        f"{suggest(owner, departments)}"))
        for key in ("title", "notes"):
            _check_languages(doc, loc + (key,), a.get(key), bank, problems)
    if problems or spec is None:
        raise InputError(problems)
    actions = [Action(a.id, a.title, list(a.questions), a.owner, a.quarter, a.one_off_cost, a.yearly_cost,
                      a.yearly_benefit, a.notes, doc.line(("actions", i))) for i, a in enumerate(spec.actions)]
    return PlanInput(doc.path, spec.currency, actions)


def _check_languages(doc: Document, loc: tuple[str | int, ...], text: object, bank: Bank,
                     problems: list[Problem]) -> None:
    if isinstance(text, dict):
        unknown = [lang for lang in text if lang not in bank.languages]
        if unknown:
            problems.append(doc.problem(loc, f"text in unknown language {', '.join(unknown)}; expected only "
                                             f"the bank's languages ({', '.join(bank.languages)})"))


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
    for action in spec.actions:
        action.recommendations = [q for q in action.questions if q in gains]
        action.gain = total(gains[q] for q in action.recommendations)
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
    for action in sorted(spec.actions, key=lambda a: quarter_key(a.quarter)):  # stable: file order within
        by_quarter.setdefault(action.quarter, []).append(action)
    quarters = [(_totals(q, actions, gains), actions) for q, actions in by_quarter.items()]
    covered = {q for a in spec.actions for q in a.recommendations}
    uncovered = [r.question for r in result.recommendations if r.question not in covered]
    return Plan(spec.currency, quarters, _totals("total", spec.actions, gains), uncovered, warnings)
