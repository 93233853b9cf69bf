"""The scoring engine (docs/scoring.md): pure functions from a bank and a team to a result.

No I/O, no printing, no rounding. Every renderer (table, JSON, CSV, site, PDF) takes the
:class:`Result` made here, so there is one definition of every number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import Area, Bank, Question, Response, Section, Team, answer_score, kind_of, total

UNSPECIFIED = "unspecified"
EFFORT_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass
class Node:
    """Score of an area, a section, or the whole audit."""

    score: float | None
    level: str | None = None
    divergence: float | None = None
    flagged: bool = False


@dataclass
class QuestionResult:
    """A question's team score on 0..100, its share of the overall score in points, and how many
    respondents it is scored for."""

    score: float | None
    share: float
    answered: int


@dataclass
class Department:
    respondents: int
    overall: float | None
    areas: dict[str, float | None]
    sections: dict[str, float | None]


@dataclass
class Recommendation:
    question: str
    gain: float
    effort: str


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

    def to_json(self) -> dict[str, Any]:
        """The document ``score --format json`` prints (docs/score-json.md#members)."""
        def node(n: Node) -> dict[str, Any]:
            return {"score": n.score, "level": n.level, "divergence": n.divergence,
                    "flagged": n.flagged}
        return {
            "bank": {"id": self.bank.id, "version": self.bank.version},
            "organisation": self.team.organisation,
            "respondents": len(self.team.respondents),
            "overall": {"score": self.overall.score, "level": self.overall.level,
                        "completion": self.completion,
                        "percent_to_target": self.percent_to_target},
            "areas": {k: node(v) for k, v in self.areas.items()},
            "sections": {k: node(v) for k, v in self.sections.items()},
            "questions": {k: {"score": v.score, "share": v.share, "answered": v.answered}
                          for k, v in self.questions.items()},
            "departments": {k: {"respondents": d.respondents, "overall": d.overall,
                                "areas": d.areas, "sections": d.sections}
                            for k, d in self.departments.items()},
            "profile": dict(self.profile),
            "diagnoses": list(self.diagnoses),
            "recommendations": [{"question": r.question, "gain": r.gain, "effort": r.effort}
                                for r in self.recommendations],
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
                questions[q.id] = total(scores) / len(scores) if scores else None
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

def score(bank: Bank, team: Team) -> Result:
    """Score ``team`` against ``bank`` (docs/scoring.md)."""
    respondents = team.respondents
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

    # departments, in the bank's order, then any others, then unspecified
    groups: dict[str, list[Response]] = {}
    for r in respondents:
        groups.setdefault(r.department or UNSPECIFIED, []).append(r)
    order = [d.key for d in bank.departments]
    keys = sorted(groups, key=lambda k: (k == UNSPECIFIED,
                                         order.index(k) if k in order else len(order)))
    dept_scores = {k: _score_group(plan, groups[k]) for k in keys}
    departments = {k: Department(len(groups[k]), d.overall, d.areas, d.sections)
                   for k, d in dept_scores.items()}

    def node(value: float | None, divergence: float | None) -> Node:
        return Node(value, level_of(bank, value), divergence,
                    divergence is not None and divergence >= bank.divergence_threshold)

    sections = {s.id: node(team_scores.sections[s.id],
                           _divergence([d.sections[s.id] for d in dept_scores.values()]))
                for _, secs in plan for s, _ in secs}
    areas = {a.id: node(team_scores.areas[a.id],
                        _divergence([d.areas[a.id] for d in dept_scores.values()]))
             for a, _ in plan}
    overall = node(team_scores.overall, _divergence([d.overall for d in dept_scores.values()]))

    # shares e(q), percent to target, recommendations
    area_total = total(a.weight for a, _ in plan if team_scores.areas[a.id] is not None)
    questions: dict[str, QuestionResult] = {}
    gap = reach = 0.0
    recommendations: list[tuple[float, int, int, Recommendation]] = []
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
                                                 0.0 if s is None else share * 100 * s, team_scores.answered[q.id])
                if s is None:
                    continue
                gap += share * max(0.0, target - 100 * s)
                reach += share * target
                if 100 * s < target:
                    rec = Recommendation(q.id, share * 100 * (1 - s), q.effort)
                    recommendations.append((-rec.gain, EFFORT_ORDER[q.effort], len(recommendations), rec))
    scored_any = any(q.score is not None for q in questions.values())
    ptt = None if not scored_any else (1 - gap / reach if reach else 1.0)

    completions = []
    counted = [q for _, _, q in applicable if kind_of(q).scored]  # every question but free text
    for r in respondents:
        if counted:
            completions.append(sum(1 for q in counted if q.id in r.answers) / len(counted))
    completion = total(completions) / len(completions) if completions else None

    result = Result(bank, team, overall, completion, ptt, areas, sections, questions,
                    departments, profile, [], [rec for *_, rec in sorted(recommendations,
                                                                        key=lambda t: t[:3])],
                    warnings)
    result.diagnoses = diagnose(bank, result)
    return result


def value_of(result: Result, ref: str, what: str = "score") -> float | None:
    """The score (or divergence) of an area, a section or ``overall``; None if absent."""
    node = (result.overall if ref == "overall"
            else result.areas.get(ref) or result.sections.get(ref))
    if node is None:
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
