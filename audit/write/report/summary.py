"""What the management report leads with, in the report's language: the decision and its evidence.

Built from the result and the bank's own declarations only (no area, section or question
id is special): each diagnosis with the scores its rule looks at, the number answers of
its questions against their bands and the comments given on them; the initiatives (the
recommendations in focus grouped by section, :func:`audit.engine.findings.initiatives`)
with their owner, cost and payback when the plan gives them; the decisions they call for;
and the limits of the evidence. Quotes carry a department only when that department has
at least ``min_group`` respondents, and a name only when the consultant asks for names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...engine.findings import headline_rule, initiatives, questions_under, rule_refs
from ...engine.followup import Followup
from ...engine.payback import Plan
from ...engine.score import Result, target_of
from ...model import DONT_KNOW, NA, Question, total
from ...model.answers import UNSPECIFIED
from ...model.findings import ConsultantFindings
from ...model.plan import payback_months
from ..formats import long_date, money, number, percent
from ..messages import Words

QUOTES = 3  # comments quoted for one diagnosis
NUMBERS = 3  # number answers cited for one diagnosis
DECISIONS = 5


@dataclass
class ScoreFact:
    title: str
    value: float | None
    target: float
    provisional: bool


@dataclass
class NumberFact:
    """The team's answers to one number question, read against the band that scores best."""

    label: str
    values: str  # "12–21 días" or "15 días"
    count: int
    good: str  # "≤ 2 días"
    score: float | None


@dataclass
class Quote:
    who: str  # "" when unattributed
    text: str
    about: str  # the question, shortened


@dataclass
class Evidence:
    scores: list[ScoreFact] = field(default_factory=list)
    numbers: list[NumberFact] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.scores or self.numbers or self.quotes)


@dataclass
class Diagnosis:
    id: str
    title: str
    text: str
    short: str  # the text cut at a sentence, for the diagnoses after the headline
    evidence: Evidence
    headline: bool


@dataclass
class ObservationView:
    title: str
    issue: str
    impact: str
    recommendation: str
    evidence: str


@dataclass
class InitiativeView:
    number: int
    title: str  # the section's title
    area: str
    lead: str  # the advice of its best recommendation
    ranks: list[int]
    gain: float
    kpi: str
    owner: str
    cost: float | None  # the investment of the plan's actions for it (one-off cost and staff time)
    net: float | None  # their yearly benefit less yearly cost
    payback: float | None  # months; None when they never pay back or there is no plan
    never: bool
    actions: list[str]  # the plan's actions for it, by title
    in_focus: bool


@dataclass
class Progress:
    before: float | None
    now: float | None
    change: float | None
    date: dt.date | None


@dataclass
class Limitations:
    respondents: int
    by_department: list[tuple[str, int]]  # when the bank declares departments
    left_out: int  # respondents in no department group (too small to report apart)
    completion: float | None
    coverage: float | None
    provisional: list[tuple[str, float | None]]  # areas and sections on thin evidence, with coverage
    unscored: list[str]  # sections nobody could score
    dont_know: int  # "I don't know" answers
    insufficient: bool  # too little to draw conclusions from


@dataclass
class Summary:
    key_message: str
    observations: list[ObservationView]
    diagnoses: list[Diagnosis]
    initiatives: list[InitiativeView]
    decisions: list[str]
    progress: Progress | None
    limitations: Limitations
    notes: list[str]  # what the client should know about the data, in the report's language
    currency: str


SHORT = 200  # characters of a diagnosis after the headline


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, whole (never cut mid-phrase)."""
    ends = [i for i in (text.find(". "), text.find("? "), text.find("! ")) if i > 0]
    return text[: min(ends) + 1] if ends else text


def sentences(text: str, limit: int) -> str:
    """The whole sentences of ``text`` that fit in ``limit`` characters (at least one, cut at a
    word if even the first is longer)."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > 0 else _short(text, limit)


def quote_author(result: Result, index: int, words: Words, labels: dict[str, str], named: bool) -> str:
    """Who said it: the name when the consultant asks for names; else the department the
    respondent is counted in when it has at least ``min_group`` respondents; else nobody."""
    if named:
        r = result.team.respondents[index]
        return r.name or words("respondent_n", n=index + 1)
    group = result.department_of().get(index)
    if group is None or group == UNSPECIFIED or group not in result.departments:
        return ""
    if result.departments[group].respondents < result.min_group:
        return ""
    return labels.get(group, group)


def _good_band(q: Question, unit: str, words: Words) -> str:
    best = max((b for b in q.bands or []), key=lambda b: b.score, default=None)
    if best is None or (best.max is None and best.min is None):
        return ""
    sign, limit = ("≤", best.max) if best.max is not None else ("≥", best.min or 0.0)
    return f"{sign} {_with_unit(limit, unit, words.lang)}"


def _plain(value: float, lang: str) -> str:
    """A figure as given: whole numbers without decimals."""
    return number(value, lang, 0) if float(value).is_integer() else number(value, lang)


def _with_unit(value: float, unit: str, lang: str) -> str:
    """A figure and the bank's unit. Banks write units in the plural ("horas", "days"): after
    exactly 1 the unit goes in brackets, so that no "1 horas" is printed."""
    if not unit:
        return _plain(value, lang)
    return f"{_plain(value, lang)} ({unit})" if value == 1 else f"{_plain(value, lang)} {unit}"


def _number_fact(q: Question, result: Result, words: Words) -> NumberFact | None:
    values = [v for r in result.team.respondents
              if isinstance(v := r.answers.get(q.id), (int, float)) and not isinstance(v, bool)]
    if not values:
        return None
    unit = words.bank(q.unit) if q.unit else ""

    low, high = min(values), max(values)
    shown = (_with_unit(low, unit, words.lang) if low == high
             else f"{_plain(low, words.lang)}–{_plain(high, words.lang)} {unit}".strip())
    label = words.bank(q.kpis[0]) if q.kpis else _short(words.bank(q.text), 70)
    qr = result.questions.get(q.id)
    return NumberFact(label, shown, len(values), _good_band(q, unit, words),
                      qr.score if qr else None)


def evidence_for(result: Result, refs: list[str], words: Words, labels: dict[str, str], named: bool) -> Evidence:
    """The scores of ``refs``, their number answers against the bands and the comments on them.

    Questions below target come first (they are what the diagnosis is about), then the rest,
    each group in the order of their gain."""
    bank = result.bank
    titles = {a.id: words.bank(a.title) for a in bank.areas} | {s.id: words.bank(s.title) for _, s in bank.sections()}
    scores = []
    for ref in refs:
        node = result.areas.get(ref) or result.sections.get(ref)
        if node is None:
            continue
        area = next((a for a in bank.areas if a.id == ref), None)
        section = None
        if area is None:
            area, section = next((a, s) for a, s in bank.sections() if s.id == ref)
        scores.append(ScoreFact(titles[ref], node.score, target_of(bank, area, section), node.provisional))
    located = {q.id: (a, s, q) for a, s, q in bank.questions()}
    gains = {r.question: r.gain for r in result.recommendations}
    ids = questions_under(bank, result, refs)
    ids.sort(key=lambda qid: (qid not in gains, -gains.get(qid, 0.0)))
    numbers: list[NumberFact] = []
    for qid in ids:
        q = located[qid][2]
        if q.bands and len(numbers) < NUMBERS and (fact := _number_fact(q, result, words)) is not None:
            numbers.append(fact)
    quotes: list[Quote] = []
    for qid in ids:
        for i, r in enumerate(result.team.respondents):
            if qid in r.comments and len(quotes) < QUOTES:
                quotes.append(Quote(quote_author(result, i, words, labels, named), r.comments[qid],
                                    _short(words.bank(located[qid][2].text), 90)))
    return Evidence(scores, numbers, quotes)


def _initiatives(result: Result, words: Words, ranks: dict[str, int], labels: dict[str, str],
                 plan: Plan | None) -> list[InitiativeView]:
    bank = result.bank
    located = {q.id: (a, s, q) for a, s, q in bank.questions()}
    out = []
    for n, group in enumerate(initiatives(bank, result), 1):
        questions = [r.question for r in group.recommendations]
        best = located[questions[0]][2]
        kpi = next((words.bank(located[q][2].kpis[0]) for q in questions if located[q][2].kpis), "")
        actions = [a for a in (plan.actions if plan else []) if set(a.recommendations) & set(questions)]
        owners = list(dict.fromkeys(labels.get(a.owner, a.owner) for a in actions if a.owner and bank.departments))
        cost = net = payback = None
        never = False
        if actions:  # as the plan's totals count them: staff time included, by the engine's formula
            cost = total(a.investment for a in actions)
            net = total(a.net_yearly for a in actions)
            payback = payback_months(cost, net)
            never = payback is None
        section = next(s for _, s in bank.sections() if s.id == group.section)
        area = next(a for a in bank.areas if a.id == group.area)
        out.append(InitiativeView(
            n, words.bank(section.title), words.bank(area.title),
            first_sentence(words.bank(best.suggestion) or words.bank(best.text)), [ranks[q] for q in questions],
            group.gain, kpi, ", ".join(owners), cost, net, payback, never, [words.bank(a.title) for a in actions],
            group.in_focus))
    return out


def _decisions(result: Result, items: list[InitiativeView], words: Words, currency: str,
               plan: Plan | None, emphasised: list[tuple[str, float]]) -> list[str]:
    lang = words.lang
    out = []
    if result.overall.provisional:
        out.append(words("decision_evidence", coverage=percent(result.overall.coverage, lang, 0)))
    for item in items[:3]:
        if item.cost is not None and item.never:
            out.append(words("decision_rethink", title=item.title))
        elif item.cost is not None and item.payback is not None:
            out.append(words("decision_fund", title=item.title, cost=money(item.cost, currency, lang),
                             months=number(item.payback, lang), owner=item.owner or words("decision_an_owner")))
        else:
            out.append(words("decision_owner", title=item.title, kpi=item.kpi.lower() if item.kpi else
                             words("decision_a_kpi")))
    for title, spread in emphasised[:1]:
        out.append(words("decision_align", section=title, divergence=number(spread, lang)))
    never = [a for a in (plan.actions if plan else []) if not a.pays_back
             and not any(a.id and words.bank(a.title) in i.actions and i.never for i in items[:3])]
    for action in never[:1]:
        out.append(words("decision_stop", action=words.bank(action.title)))
    return out[:DECISIONS]


def _limitations(result: Result, words: Words, labels: dict[str, str]) -> Limitations:
    bank = result.bank
    titles = {a.id: words.bank(a.title) for a in bank.areas} | {s.id: words.bank(s.title) for _, s in bank.sections()}
    by_department = []
    counted = set()
    if bank.departments:
        for key, dept in result.departments.items():
            by_department.append((labels.get(key, key), dept.respondents))
            counted.update(dept.members)
    left_out = len(result.team.respondents) - len(counted) if bank.departments else 0
    provisional = [(titles[k], n.coverage) for k, n in [*result.areas.items(), *result.sections.items()]
                   if n.provisional and n.score is not None]
    unscored = [titles[k] for k, n in result.sections.items() if n.score is None]
    dont_know = sum(1 for r in result.team.respondents for v in r.answers.values() if v is DONT_KNOW)
    insufficient = not result.team.respondents or result.overall.score is None or result.overall.provisional
    return Limitations(len(result.team.respondents), by_department, left_out, result.completion,
                       result.overall.coverage, provisional, unscored, dont_know, insufficient)


def client_notes(result: Result, words: Words) -> list[str]:
    """What the warnings tell the client, in the report's language and without file names:
    profile answers that disagree, and answers set aside because they do not apply."""
    bank = result.bank
    notes = []
    for pq in bank.profile:
        given = {str(r.profile[pq.id]) for r in result.team.respondents if pq.id in r.profile}
        chosen = result.profile.get(pq.id)
        if len(given) > 1 and chosen is not None:
            option = next((o for o in pq.options if str(o.key) == str(chosen)), None)
            notes.append(words("note_profile", question=words.bank(pq.text),
                               answer=words.bank(option.label) if option else chosen))
    applicable = set(result.questions)
    known = {q.id for _, _, q in bank.questions()}
    ignored = sum(1 for r in result.team.respondents for qid, v in r.answers.items()
                  if qid in known and qid not in applicable and v is not None and v is not NA)
    if ignored:
        notes.append(words("note_ignored", count=ignored))
    return notes


def build_summary(result: Result, words: Words, *, labels: dict[str, str], ranks: dict[str, int], named: bool,
                  plan: Plan | None, followup: Followup | None, baseline_date: dt.date | None,
                  consultant: ConsultantFindings | None, emphasised: list[tuple[str, float]]) -> Summary:
    """The executive summary, the findings with their evidence and the limitations."""
    bank = result.bank
    rules = {r.id: r for r in bank.rules}
    headline = headline_rule(bank, result)
    diagnoses = [Diagnosis(rid, words.bank(rules[rid].title), words.bank(rules[rid].text),
                           sentences(words.bank(rules[rid].text), SHORT),
                           evidence_for(result, rule_refs(bank, rid), words, labels, named), rid == headline)
                 for rid in result.diagnoses]
    items = _initiatives(result, words, ranks, labels, plan)
    currency = plan.currency if plan else "EUR"
    observations = [ObservationView(words.bank(o.title), words.bank(o.issue), words.bank(o.impact),
                                    words.bank(o.recommendation), words.bank(o.evidence))
                    for o in (consultant.observations if consultant else [])]
    progress = None
    if followup is not None:
        progress = Progress(followup.overall.baseline, followup.overall.current, followup.overall.change,
                            baseline_date)
    return Summary(words.bank(consultant.key_message) if consultant else "", observations, diagnoses, items,
                   _decisions(result, items, words, currency, plan, emphasised), progress,
                   _limitations(result, words, labels), client_notes(result, words), currency)


def when(day: dt.date | None, lang: str) -> str:
    return long_date(day, lang) if day else ""
