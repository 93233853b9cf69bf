"""Reading ``plan.yaml`` (the format is in :mod:`audit.model.plan`), checked against the bank."""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..model import Bank, describe
from ..model.plan import Action, PlanFile, PlanInput
from .documents import Document, load_document
from .validation import problems_from, suggest


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
        for key in ("title", "notes", "benefit_basis"):
            _check_languages(doc, loc + (key,), a.get(key), bank, problems)
        if doc.data.get("hourly_cost") is None:
            for key in ("internal_hours", "yearly_internal_hours"):
                hours = a.get(key)
                if isinstance(hours, (int, float)) and not isinstance(hours, bool) and hours > 0:
                    problems.append(doc.problem(loc + (key,), f"{key} without an hourly cost; expected "
                                                "hourly_cost at the top of the plan (what an hour of the "
                                                "client's staff costs), so that the hours count as a cost"))
    _check_languages(doc, ("assumptions",), doc.data.get("assumptions"), bank, problems)
    if spec is not None:
        rate = spec.hourly_cost or 0.0
        actions = [Action(a.id, a.title, list(a.questions), a.owner, a.quarter, a.one_off_cost, a.yearly_cost,
                          a.yearly_benefit, a.notes, doc.line(("actions", i)), a.internal_hours,
                          a.yearly_internal_hours, rate, a.benefit_basis) for i, a in enumerate(spec.actions)]
        problems += _overflows(doc, actions)
    if problems or spec is None:
        raise InputError(problems)
    return PlanInput(doc.path, spec.currency, actions, rate, spec.assumptions, spec.years)


AMOUNTS = ("one_off_cost", "yearly_cost", "yearly_benefit")
# the most the amounts of one kind may add up to over the plan: the report adds them and
# multiplies them (payback = 12 x one-off cost / net), which must stay finite
MAX_AMOUNTS = 1e300


def _overflows(doc: Document, actions: list[Action]) -> list[Problem]:
    """Amounts whose sums, or an action's payback, would overflow to infinity, at their lines."""
    problems: list[Problem] = []
    for key in AMOUNTS:
        if (i := _past_the_limit(actions, key)) is not None:
            problems.append(doc.problem(("actions", i, key), f"{key} {getattr(actions[i], key):g} is too large: "
                                        f"the plan's {key} add up to more than {MAX_AMOUNTS:g}, past what "
                                        "can be computed with; expected smaller amounts"))
    if problems:
        return problems
    # staff time is money too: the hours at the hourly cost, added to the amounts of their kind
    for key, hours in (("investment", "internal_hours"), ("running_cost", "yearly_internal_hours")):
        if (i := _past_the_limit(actions, key)) is not None:
            problems.append(doc.problem(("actions", i, hours), f"{hours} {getattr(actions[i], hours):g} at "
                                        f"{actions[i].hourly_cost:g} an hour is too large: the plan's costs add "
                                        f"up to more than {MAX_AMOUNTS:g}, past what can be computed with; "
                                        "expected fewer hours or a smaller hourly cost"))
    if problems:
        return problems
    for i, action in enumerate(actions):
        if action.pays_back and not math.isfinite(12 * action.investment / action.net_yearly):
            problems.append(doc.problem(("actions", i, "one_off_cost"), f"the payback of action '{action.id}' "
                                        f"(12 x {action.investment:g} / {action.net_yearly:g}) is too large to "
                                        "compute; expected amounts in whole currency units, such as 12000"))
    return problems


def _past_the_limit(actions: list[Action], key: str) -> int | None:
    """The index of the action at which the plan's running sum of ``key`` passes MAX_AMOUNTS, if any."""
    added = 0.0
    for i, action in enumerate(actions):
        added += getattr(action, key)
        if added > MAX_AMOUNTS:
            return i
    return None


def _check_languages(doc: Document, loc: tuple[str | int, ...], text: object, bank: Bank,
                     problems: list[Problem]) -> None:
    if isinstance(text, dict):
        unknown = [lang for lang in text if lang not in bank.languages]
        if unknown:
            problems.append(doc.problem(loc, f"text in unknown language {', '.join(unknown)}; expected only "
                                             f"the bank's languages ({', '.join(bank.languages)})"))


