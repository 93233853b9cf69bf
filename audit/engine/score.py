"""The scoring engine (docs/scoring.md): pure functions from a bank and a team to a result.

No I/O, no printing, no rounding. Every renderer (table, JSON, CSV, site, PDF) takes the
:class:`Result` made here, so there is one definition of every number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import DONT_KNOW, Area, Bank, Question, Response, Section, Team, answer_score, kind_of, total
from ..model.answers import POOLED, UNSPECIFIED

EFFORT_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass
class Node:
    """Score of an area, a section, or the whole audit."""

    score: float | None
    level: str | None = None
    divergence: float | None = None
    flagged: bool = False
    coverage: float | None = None
    provisional: bool = False  # too little evidence: shown as such, no level, no rule fires on it


@dataclass
class QuestionResult:
    """A question's team score on 0..100, its share of the overall score in points, how many
    respondents it is scored for, and how many answered "I don't know"."""

    score: float | None
    share: float
    answered: int
    dont_know: int = 0


@dataclass
class Department:
    """A department's scores; ``members``: its respondents' places in the team (input order)."""

    respondents: int
    overall: float | None
    areas: dict[str, float | None]
    sections: dict[str, float | None]
    members: list[int] = field(default_factory=list)


@dataclass
class Recommendation:
    """A question below its target; ``focus``: the diagnoses that hold and name its area or
    section, in bank order."""

    question: str
    gain: float
    effort: str
    focus: list[str] = field(default_factory=list)


@dataclass
class Result:
    """Everything ``score --format json`` reports (docs/score-json.md), unrounded, plus what
    renderers need to look up."""

    bank: Bank
    team: Team
    overall: Node
    completion: float | None
    percent_to_target: float | None
    areas: dict[str, Node]
    sections: dict[str, Node]
    questions: dict[str, QuestionResult]
    departments: dict[str, Department]
    profile: dict[str, str]
    diagnoses: list[str]
    recommendations: list[Recommendation]
    warnings: list[str] = field(default_factory=list)
    min_group: int = 1

    def department_of(self) -> dict[int, str]:
        """Each respondent's department in the breakdown (after pooling), by place in the team;
        respondents left out of the breakdown are absent."""
        return {i: key for key, d in self.departments.items() for i in d.members}

    def to_json(self) -> dict[str, Any]:
        """The document ``score --format json`` prints (docs/score-json.md#members)."""
        def node(n: Node) -> dict[str, Any]:
            return {"score": n.score, "level": n.level, "divergence": n.divergence,
                    "flagged": n.flagged, "coverage": n.coverage, "provisional": n.provisional}
        return {
            "bank": {"id": self.bank.id, "version": self.bank.version},
            "organisation": self.team.organisation,
            "respondents": len(self.team.respondents),
            "min_group": self.min_group,
            "overall": {"score": self.overall.score, "level": self.overall.level,
                        "completion": self.completion,
                        "percent_to_target": self.percent_to_target,
                        "coverage": self.overall.coverage, "provisional": self.overall.provisional},
            "areas": {k: node(v) for k, v in self.areas.items()},
            "sections": {k: node(v) for k, v in self.sections.items()},
            "questions": {k: {"score": v.score, "share": v.share, "answered": v.answered,
                              "dont_know": v.dont_know}
                          for k, v in self.questions.items()},
            "departments": {k: {"respondents": d.respondents, "overall": d.overall,
                                "areas": d.areas, "sections": d.sections}
                            for k, d in self.departments.items()},
            "profile": dict(self.profile),
            "diagnoses": list(self.diagnoses),
            "recommendations": [{"question": r.question, "gain": r.gain, "effort": r.effort,
                                 "focus": list(r.focus)} for r in self.recommendations],
            "warnings": list(self.warnings),
        }


# -- building blocks --------------------------------------------------------------------

def target_of(bank: Bank, area: Area, section: Section | None = None) -> float:
    """The target that applies: the section's, else the area's, else the bank's."""
    for value in (section.target if section else None, area.target, bank.target):
        if value is not None:
            return value
    return bank.target


def applies(applies_if: dict[str, list[str]] | None, profile: dict[str, str]) -> bool:
    """An item applies when every listed profile answer is among its keys (unanswered: applies)."""
    return all(pid not in profile or profile[pid] in keys for pid, keys in (applies_if or {}).items())


def level_of(bank: Bank, score: float | None) -> str | None:
    """The last level whose ``from`` is at most ``score``."""
    if score is None:
        return None
    found = None
    for level in bank.levels:
        if level.from_ <= score:
            found = level.key
    return found


def team_profile(bank: Bank, respondents: list[Response]) -> tuple[dict[str, str], list[str]]:
    """The most frequent profile answers (ties go to the earliest respondent), and warnings."""
    profile: dict[str, str] = {}
    warnings: list[str] = []
    for pq in bank.profile:
        given = [r.profile[pq.id] for r in respondents if pq.id in r.profile]
        if not given:
            continue
        counts = Counter(given)
        best = max(counts.values())
        profile[pq.id] = next(key for key in given if counts[key] == best)
        if len(counts) > 1:
            spread = ", ".join(f"{k} ({n})" for k, n in counts.most_common())
            warnings.append(f"respondents disagree on profile '{pq.id}': {spread}; "
                            f"using {profile[pq.id]}")
    return profile, warnings


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (weight, value) pairs; None when nothing carries weight."""
    weight = total(w for w, _ in pairs)
    if not pairs or weight == 0:
        return None
    return total(w * v for w, v in pairs) / weight


@dataclass
class _Scores:
    questions: dict[str, float | None]
    answered: dict[str, int]
    sections: dict[str, float | None]
    areas: dict[str, float | None]
    overall: float | None


def _score_group(plan: list[tuple[Area, list[tuple[Section, list[Question]]]]],
                 respondents: list[Response]) -> _Scores:
    questions: dict[str, float | None] = {}
    answered: dict[str, int] = {}
    sections: dict[str, float | None] = {}
    areas: dict[str, float | None] = {}
    area_pairs: list[tuple[float, float]] = []
    for area, secs in plan:
        section_pairs: list[tuple[float, float]] = []
        for section, qs in secs:
            pairs: list[tuple[float, float]] = []
            for q in qs:
                scores = [s for r in respondents
                          if (s := answer_score(q, r.answers.get(q.id))) is not None]
                answered[q.id] = len(scores)
                questions[q.id] = total(sorted(scores)) / len(scores) if scores else None
                if questions[q.id] is not None:
                    pairs.append((q.weight, questions[q.id] or 0.0))
            weight = total(w for w, _ in pairs)
            sections[section.id] = (100 * total(w * s for w, s in pairs) / weight) if weight else None
            if sections[section.id] is not None:
                section_pairs.append((section.weight, sections[section.id] or 0.0))
        areas[area.id] = _mean(section_pairs)
        if areas[area.id] is not None:
            area_pairs.append((area.weight, areas[area.id] or 0.0))
    return _Scores(questions, answered, sections, areas, _mean(area_pairs))


def _divergence(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) - min(present) if len(present) >= 2 else None


def _ratio(part: float, total: float) -> float:
    return part / total if total else 0.0


# -- the engine -------------------------------------------------------------------------

def score(bank: Bank, team: Team, min_group: int | None = None) -> Result:
    """Score ``team`` against ``bank`` (docs/scoring.md); ``min_group`` overrides the bank's."""
    respondents = team.respondents
    group_size = bank.min_group if min_group is None else min_group
    profile, warnings = team_profile(bank, respondents)
    warnings = list(team.warnings) + warnings

    plan: list[tuple[Area, list[tuple[Section, list[Question]]]]] = []
    applicable: list[tuple[Area, Section, Question]] = []
    for area in bank.areas:
        secs = [(s, [q for q in s.questions if applies(q.applies_if, profile)])
                for s in area.sections if applies(s.applies_if, profile)]
        if secs:
            plan.append((area, secs))
            applicable += [(area, s, q) for s, qs in secs for q in qs]
    applicable_ids = {q.id for _, _, q in applicable}

    for r in respondents:
        ignored = [qid for qid in r.answers if qid not in applicable_ids]
        if ignored:
            who = f"{r.source}" + (f" ({r.name})" if r.name else "")
            warnings.append(f"{who}: answers to questions that do not apply were ignored: "
                            f"{', '.join(ignored)}")

    team_scores = _score_group(plan, respondents)
    groups = departments_of(bank, respondents, group_size)
    dept_scores = {k: _score_group(plan, members) for k, members in groups.items()}
    place = {id(r): i for i, r in enumerate(respondents)}
    departments = {k: Department(len(groups[k]), d.overall, d.areas, d.sections, [place[id(r)] for r in groups[k]])
                   for k, d in dept_scores.items()}

    # coverage: the weight of the questions someone answered (not "I don't know") over the
    # weight of all that count (docs/scoring.md#coverage)
    covered = {q.id for _, _, q in applicable
               if any(r.answers.get(q.id) not in (None, DONT_KNOW) for r in respondents)}

    def coverage(questions: list[Question]) -> float | None:
        counted = [q for q in questions if q.scored]
        weight = total(q.weight for q in counted)
        return total(q.weight for q in counted if q.id in covered) / weight if weight else None

    def node(value: float | None, divergence: float | None, questions: list[Question]) -> Node:
        share = coverage(questions)
        provisional = share is not None and share < bank.min_coverage
        return Node(value, None if provisional else level_of(bank, value), divergence,
                    divergence is not None and divergence >= bank.divergence_threshold, share, provisional)

    sections = {s.id: node(team_scores.sections[s.id],
                           _divergence([d.sections[s.id] for d in dept_scores.values()]), qs)
                for _, secs in plan for s, qs in secs}
    areas = {a.id: node(team_scores.areas[a.id],
                        _divergence([d.areas[a.id] for d in dept_scores.values()]),
                        [q for _, qs in secs for q in qs])
             for a, secs in plan}
    overall = node(team_scores.overall, _divergence([d.overall for d in dept_scores.values()]),
                   [q for _, _, q in applicable])

    # shares e(q), percent to target, recommendations
    area_total = total(a.weight for a, _ in plan if team_scores.areas[a.id] is not None)
    questions: dict[str, QuestionResult] = {}
    gap = reach = 0.0
    recommendations: list[tuple[Recommendation, Area, Section]] = []
    for area, secs in plan:
        section_total = total(s.weight for s, _ in secs if team_scores.sections[s.id] is not None)
        for section, qs in secs:
            weight_total = total(q.weight for q in qs if team_scores.questions[q.id] is not None)
            target = target_of(bank, area, section)
            for q in qs:
                s = team_scores.questions[q.id]
                share = 0.0
                if s is not None and team_scores.areas[area.id] is not None:
                    share = (_ratio(q.weight, weight_total) * _ratio(section.weight, section_total)
                             * _ratio(area.weight, area_total))
                # docs/score-json.md: a question's score on 0..100, its share in overall points (they add up to O)
                questions[q.id] = QuestionResult(None if s is None else 100 * s,
                                                 0.0 if s is None else share * 100 * s, team_scores.answered[q.id],
                                                 sum(1 for r in respondents if r.answers.get(q.id) is DONT_KNOW))
                if s is None:
                    continue
                gap += share * max(0.0, target - 100 * s)
                reach += share * target
                if 100 * s < target:
                    recommendations.append((Recommendation(q.id, share * 100 * (1 - s), q.effort), area, section))
    scored_any = any(q.score is not None for q in questions.values())
    ptt = None if not scored_any else (1 - gap / reach if reach else 1.0)

    completions = []
    counted = [q for _, _, q in applicable if kind_of(q).scored]  # every question but free text
    for r in respondents:
        if counted:
            completions.append(sum(1 for q in counted if q.id in r.answers) / len(counted))
    completion = total(sorted(completions)) / len(completions) if completions else None

    result = Result(bank, team, overall, completion, ptt, areas, sections, questions,
                    departments, profile, [], [], warnings, group_size)
    result.diagnoses = diagnose(bank, result)
    result.recommendations = _ordered(bank, result.diagnoses, recommendations)
    return result


def _ordered(bank: Bank, diagnoses: list[str],
             recommendations: list[tuple[Recommendation, Area, Section]]) -> list[Recommendation]:
    """In the focus of a diagnosis that holds first, then by gain, effort and bank order
    (docs/scoring.md#recommendations): the diagnosis leads, and the advice follows it."""
    holding = [r for r in bank.rules if r.id in diagnoses]
    keyed = []
    for order, (rec, area, section) in enumerate(recommendations):
        rec.focus = [r.id for r in holding if area.id in r.focus or section.id in r.focus]
        keyed.append(((not rec.focus, -rec.gain, EFFORT_ORDER[rec.effort], order), rec))
    return [rec for _, rec in sorted(keyed, key=lambda t: t[0])]


def departments_of(bank: Bank, respondents: list[Response], min_group: int) -> dict[str, list[Response]]:
    """The departmental breakdown: the bank's departments in its order, then others, then
    ``unspecified``, then ``other``, which pools every department of fewer than ``min_group``
    respondents; when ``other`` itself is that small, its respondents are left out
    (docs/scoring.md#departments-and-divergence)."""
    groups: dict[str, list[Response]] = {}
    for r in respondents:
        groups.setdefault(r.department or UNSPECIFIED, []).append(r)
    order = [d.key for d in bank.departments]
    keys = sorted(groups, key=lambda k: (k == UNSPECIFIED, order.index(k) if k in order else len(order)))
    kept = {k: groups[k] for k in keys if len(groups[k]) >= min_group}
    pooled = [r for r in respondents if (r.department or UNSPECIFIED) not in kept]  # in input order
    if pooled and len(pooled) >= min_group:
        kept[POOLED] = pooled
    return kept


def value_of(result: Result, ref: str, what: str = "score") -> float | None:
    """The score (or divergence) of an area, a section or ``overall``; None if absent or
    provisional: no rule holds on thin evidence."""
    node = (result.overall if ref == "overall"
            else result.areas.get(ref) or result.sections.get(ref))
    if node is None or node.provisional:
        return None
    return node.score if what == "score" else node.divergence


def diagnose(bank: Bank, result: Result) -> list[str]:
    """The ids of the rules whose every condition holds (docs/scoring.md#rules)."""
    fired = []
    for rule in bank.rules:
        holds = True
        for cond in rule.when:
            if cond.gap:
                a, b = (value_of(result, ref) for ref in cond.gap)
                value = a - b if a is not None and b is not None else None
            elif cond.score:
                value = value_of(result, cond.score)
            else:
                value = value_of(result, cond.divergence or "", "divergence")
            if value is None:
                holds = False
            elif cond.at_least is not None:
                holds = holds and value >= cond.at_least
            else:
                holds = holds and value < (cond.below if cond.below is not None else 0)
            if not holds:
                break
        if holds:
            fired.append(rule.id)
    return fired
