"""The report as the templates see it: a :class:`~audit.engine.score.Result` in one language.

:func:`report_context` turns the result into plain objects (areas, sections, questions with
their answer distributions, recommendations, charts as SVG, the headline diagnosis and what
to do first). Templates only print what is here; they compute nothing. Numbers stay
unrounded until a template formats them with :mod:`audit.write.formats`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ... import __version__
from ...engine.findings import dimensions_area, headline_pair, headline_rule
from ...engine.followup import Change, Followup
from ...engine.payback import Plan, Totals
from ...engine.score import Result, target_of
from ...model import DONT_KNOW, NA, Area, Bank, Question, Section, answer_score, kind_of
from ...model.answers import POOLED, UNSPECIFIED
from ...model.brand import Brand
from ...model.findings import ConsultantFindings
from ...model.plan import Action
from ..formats import figure, percent
from ..messages import Words
from .business import BusinessView, business_view
from .charts import Bar, Pair, Palette, Segment, bars, luminance, mix, paired_bars, radar, stacked
from .summary import Summary, build_summary, sentences

DEFAULT_COLOURS = {"primary": "#1d3557", "accent": "#b5532f", "text": "#1f2328",
                   "muted": "#66707a", "light": "#eef1f5"}
EFFORT_GROUPS = (("low", "quick_wins"), ("medium", "projects"), ("high", "long_term"))
TOP = 5
DISAGREEMENT = 50  # individual answers this many points apart (half the scale) mean people disagree


# -- the view the templates see ---------------------------------------------------------

@dataclass
class LevelView:
    key: str
    label: str
    summary: str


@dataclass
class Figure:
    """A score with what it is read against."""

    value: float | None
    level: LevelView | None
    target: float
    divergence: float | None = None
    flagged: bool = False
    coverage: float | None = None
    provisional: bool = False  # on thin evidence: no level, shown as provisional

    @property
    def gap(self) -> float | None:
        return None if self.value is None else self.target - self.value

    @property
    def below(self) -> bool:
        return self.value is not None and self.value < self.target


@dataclass
class Person:
    number: int
    name: str
    department: str
    language: str
    submitted: dt.date | None
    source: str


@dataclass
class DepartmentView:
    key: str
    label: str
    respondents: int
    overall: float | None


@dataclass
class Quote:
    who: str
    text: str


@dataclass
class Count:
    label: str
    count: int
    share: float  # of the respondents who answered
    who: list[str] = field(default_factory=list)


@dataclass
class QuestionView:
    id: str
    number: str
    text: str
    help: str
    type: str
    scored: bool
    score: float | None
    share: float
    answered: int
    respondents: int
    distribution: list[Count]
    values: list[Quote]
    na: int
    dont_know: int
    unanswered: int
    spread: float | None
    disagree: bool
    comments: list[Quote]
    advice: str
    kpis: list[str]
    effort: str
    gain: float | None
    rank: int | None
    target: float
    bar: Markup | None = None  # the answers as one compact bar (options chosen, none at zero)

    @property
    def below(self) -> bool:
        return self.score is not None and self.score < self.target


@dataclass
class SectionView:
    id: str
    number: str
    title: str
    description: str
    figure: Figure
    questions: list[QuestionView]
    below: int
    scored: int
    gain: float


@dataclass
class AreaView:
    id: str
    number: int
    title: str
    description: str
    figure: Figure
    sections: list[SectionView]
    recommendations: int
    gain: float


@dataclass
class RecView:
    rank: int
    id: str
    area: str
    section: str
    where: str  # section number and title
    question: str
    advice: str
    gain: float
    effort: str
    kpis: list[str]


@dataclass
class Finding:
    id: str
    title: str
    text: str


@dataclass
class Headline:
    title: str
    text: str
    short: str  # the text cut at a sentence, for the one-page summary
    fired: bool
    pair: tuple[str, float | None, str, float | None] | None
    gap: float | None


@dataclass
class HeatRow:
    title: str
    is_area: bool
    team: float | None
    cells: list[tuple[float | None, str]]  # value, inline style
    divergence: float | None
    flagged: bool
    emphasised: bool = False


@dataclass
class PlanRow:
    """One action of the plan, in the report's language."""

    action: Action
    title: str
    owner: str
    notes: str
    ranks: list[int]  # ranks of the recommendations it addresses


@dataclass
class PlanView:
    currency: str
    quarters: list[tuple[Totals, list[PlanRow]]]
    total: Totals
    uncovered: list[RecView]
    warnings: list[str]
    business: BusinessView | None = None  # the whole plan's payback, cash flow and sensitivity


@dataclass
class ChangeRow:
    number: str
    title: str
    is_area: bool
    change: Change


@dataclass
class DroppedRow:
    """Earlier answers to one question set aside for one reason, with where they were."""

    question: str
    reason: str
    places: list[str]  # file:line


@dataclass
class FollowupView:
    """This audit against the previous one."""

    date: dt.date | None
    respondents: int
    bank_version: str | None
    overall: Change
    percent_to_target: tuple[float | None, float | None]
    rows: list[ChangeRow]
    charts: list[tuple[str, Markup]]  # (title, before/after chart): the areas, then each area's sections
    dropped: list[DroppedRow]
    not_compared: list[str]


@dataclass
class Report:
    """Everything the templates print."""

    lang: str
    mode: str
    title: str
    subtitle: str
    organisation: str
    date: dt.date | None
    stamp: str | None
    consultant: str
    consultancy: str
    footer: str
    logo: str
    bank: Bank
    digest: str
    overall: Figure
    completion: float | None
    percent_to_target: float | None
    target: float
    threshold: float
    people: list[Person]
    departments: list[DepartmentView]
    headline: Headline
    findings: list[Finding]
    top: list[RecView]
    recommendations: list[RecView]
    roadmap: list[tuple[str, str, list[RecView], float]]
    areas: list[AreaView]
    charts: dict[str, Markup | None]
    dimensions: AreaView | None
    heat: list[HeatRow]
    heat_departments: list[DepartmentView]
    unknowns: list[QuestionView]  # questions most respondents could not answer
    evidence: list[tuple[str, str, str]]  # number, question, what the auditor asks to see
    warnings: list[str]
    levels: list[LevelView]
    plan: PlanView | None = None
    followup: FollowupView | None = None
    version: str = __version__
    named: bool = False
    summary: Summary | None = None
    emphasised: list[tuple[str, float]] = field(default_factory=list)  # (section, divergence), widest first
    kinds: list[str] = field(default_factory=list)  # the question types the applicable questions use
    scales: list[tuple[str, list[tuple[str, float]]]] = field(default_factory=list)  # scale in use: options
    uses_profile: bool = False
    uses_departments: bool = False
    machine_warnings: list[str] = field(default_factory=list)  # the CLI's lines, for the technical annex
    question_ids: list[tuple[str, str]] = field(default_factory=list)  # number, id


# -- building the view ------------------------------------------------------------------

def _answer_text(q: Question, value: Any, words: Words) -> str:
    if value is None:
        return "—"
    if value is NA:
        return words("na")
    if value is DONT_KNOW:
        return words("dont_know")
    kind = kind_of(q)
    if kind.answer == "multiple":
        return ", ".join(words.bank(o.label) for o in kind.chosen(q, value)) if value else words("none_chosen")
    if kind.answer == "single":
        return ", ".join(words.bank(o.label) for o in kind.chosen(q, value)) or str(value)
    if kind.answer == "numeric":
        unit = words.bank(q.unit) if q.unit else ""
        return f"{figure(value, words.lang)} {unit}".strip()
    return str(value)


def _level(bank: Bank, key: str | None, words: Words) -> LevelView | None:
    for level in bank.levels:
        if level.key == key:
            return LevelView(level.key, words.bank(level.label), words.bank(level.summary))
    return None


def _who(person: Person) -> str:
    return f"{person.name} ({person.department})" if person.department else person.name


def _question_view(q: Question, number_: str, result: Result, people: list[Person], target: float,
                   words: Words, ranks: dict[str, tuple[int, float]]) -> QuestionView:
    respondents = result.team.respondents
    qr = result.questions.get(q.id)
    values = [r.answers.get(q.id) for r in respondents]
    na = sum(1 for v in values if v is NA)
    unknown = sum(1 for v in values if v is DONT_KNOW)
    given = [(p, v) for p, v in zip(people, values, strict=True) if v is not None and v is not NA
             and v is not DONT_KNOW]
    distribution: list[Count] = []
    quotes: list[Quote] = []
    kind = kind_of(q)
    if kind.answer in ("single", "multiple"):
        for option in q.options or []:
            chosen = [p for p, v in given if kind.chooses(v, option.key)]
            distribution.append(Count(words.bank(option.label), len(chosen),
                                      len(chosen) / len(given) if given else 0.0,
                                      [p.department or p.name for p in chosen]))
    else:
        quotes = [Quote(_who(p), _answer_text(q, v, words)) for p, v in given]
    # the engine's own s(q), so a spread is measured exactly as the scores are
    individual = [s for _, v in given if (s := answer_score(q, v)) is not None]
    spread = 100 * (max(individual) - min(individual)) if len(individual) >= 2 else None
    comments = [Quote(_who(p), r.comments[q.id]) for p, r in zip(people, respondents, strict=True)
                if q.id in r.comments]
    score_ = None if qr is None else qr.score
    rank, gain = ranks.get(q.id, (None, None))
    advice = words.bank(q.suggestion) if score_ is not None and score_ < target else ""
    return QuestionView(
        id=q.id, number=number_, text=words.bank(q.text), help=words.bank(q.help), type=q.type or "",
        scored=q.scored, score=score_, share=qr.share if qr else 0.0, answered=qr.answered if qr else 0,
        respondents=len(respondents), distribution=distribution, values=quotes, na=na, dont_know=unknown,
        unanswered=len(respondents) - len(given) - na - unknown, spread=spread,
        disagree=spread is not None and spread >= DISAGREEMENT,
        comments=comments, advice=advice, kpis=[words.bank(k) for k in q.kpis] if advice else [],
        effort=q.effort, gain=gain, rank=rank, target=target)


def _headline(bank: Bank, result: Result, words: Words, titles: dict[str, str]) -> Headline:
    rules = {r.id: r for r in bank.rules}
    chosen = headline_rule(bank, result)
    pair = headline_pair(bank, result)
    pair_view = None
    gap = None
    if pair is not None:
        a, b = (result.areas[x].score for x in pair)
        pair_view = (titles[pair[0]], a, titles[pair[1]], b)
        thin = any(result.areas[x].provisional for x in pair)  # no verdict on thin evidence
        gap = a - b if a is not None and b is not None and not thin else None
    if chosen is not None:
        rule = rules[chosen]
        text = words.bank(rule.text)
        return Headline(words.bank(rule.title), text, sentences(text, 430), True, pair_view, gap)
    if result.overall.provisional:
        text = words("headline_thin_text", coverage=percent(result.overall.coverage, words.lang, 0))
        return Headline(words("headline_thin_title"), text, sentences(text, 430), False, pair_view, gap)
    text = words("headline_none_text")
    return Headline(words("headline_none_title"), text, sentences(text, 430), False, pair_view, gap)


def palette_of(brand: Brand) -> Palette:
    colours = {**DEFAULT_COLOURS, **brand.colours}
    return Palette(colours["primary"], colours["accent"], colours["text"], colours["muted"],
                   colours["light"], "Report Sans, Liberation Sans, Arial, sans-serif")


def report_context(result: Result, words: Words, *, brand: Brand | None = None,
                   date: dt.date | None = None, stamp: str | None = None, mode: str = "pdf",
                   logo: str = "", plan: Plan | None = None, followup: Followup | None = None,
                   baseline_date: dt.date | None = None, named: bool = False,
                   consultant: ConsultantFindings | None = None, machine_warnings: list[str] | None = None) -> Report:
    """The view of ``result`` that the templates print, in ``lang`` (with the action plan, if any).

    ``named``: respondents appear by name (and their files are listed); otherwise each is
    "respondent n" of the department they are counted in after pooling, or of none.
    ``consultant``: the consultant's own findings, printed first. ``machine_warnings``: the
    lines the command prints, kept for the data pack's technical annex.
    """
    brand = brand or Brand()
    bank = result.bank
    lang = words.lang
    titles = {a.id: words.bank(a.title) for a in bank.areas}
    dept_labels = {d.key: words.bank(d.label) for d in bank.departments}
    dept_labels[UNSPECIFIED] = words("unspecified")
    dept_labels[POOLED] = words("pooled")
    people = _people(result, words, dept_labels, named)
    palette = palette_of(brand)
    areas, located = _areas(result, words, people, palette)
    recs = _recommendations(result, words, areas, located)
    rules = {r.id: r for r in bank.rules}
    # departments only when the bank declares them: a bank without any has no departmental parts
    departments = [DepartmentView(k, dept_labels.get(k, k), d.respondents, d.overall)
                   for k, d in result.departments.items()] if bank.departments else []
    dim_area = dimensions_area(bank, result, brand.dimensions)
    dimensions = next((a for a in areas if dim_area and a.id == dim_area.id), None)
    heat_departments = [d for d in departments if d.respondents > 0]
    emphasised = _emphasised(areas)
    summary = build_summary(result, words, labels=dept_labels, ranks={r.id: r.rank for r in recs}, named=named,
                            plan=plan, followup=followup, baseline_date=baseline_date, consultant=consultant,
                            emphasised=emphasised)
    applicable = [located[qv.id][2] for av in areas for sv in av.sections for qv in sv.questions]
    scales_used = list(dict.fromkeys(q.scale for q in applicable if q.scale))
    return Report(
        lang=lang, mode=mode,
        title=words.bank(brand.title) or words.bank(bank.title),
        subtitle=words.bank(brand.subtitle) or words("subtitle"),
        organisation=result.team.organisation or words("no_organisation"),
        date=date, stamp=stamp, consultant=brand.consultant or "", consultancy=brand.consultancy or "",
        footer=words.bank(brand.footer), logo=logo, bank=bank, digest=bank.digest,
        overall=Figure(result.overall.score, _level(bank, result.overall.level, words), bank.target,
                       result.overall.divergence, result.overall.flagged, result.overall.coverage,
                       result.overall.provisional),
        completion=result.completion, percent_to_target=result.percent_to_target,
        target=bank.target, threshold=bank.divergence_threshold, people=people, departments=departments,
        headline=_headline(bank, result, words, titles),
        findings=[Finding(rid, words.bank(rules[rid].title), words.bank(rules[rid].text))
                  for rid in result.diagnoses],
        top=recs[:TOP], recommendations=recs,
        roadmap=[(effort, words(key), [r for r in recs if r.effort == effort],
                  sum(r.gain for r in recs if r.effort == effort)) for effort, key in EFFORT_GROUPS],
        areas=areas, charts=_charts(bank, areas, dimensions, palette, words, {t for t, _ in emphasised}),
        dimensions=dimensions,
        heat=_heat(result, areas, heat_departments, {**DEFAULT_COLOURS, **brand.colours},
                   {title for title, _ in emphasised}) if len(heat_departments) >= 2 else [],
        heat_departments=heat_departments,
        unknowns=sorted((qv for av in areas for sv in av.sections for qv in sv.questions
                         if qv.dont_know * 2 > qv.respondents), key=lambda qv: -qv.dont_know),
        evidence=[(qv.number, qv.text, words.bank(located[qv.id][2].evidence))
                  for av in areas for sv in av.sections for qv in sv.questions if located[qv.id][2].evidence],
        warnings=summary.notes,
        levels=[LevelView(lv.key, words.bank(lv.label), words.bank(lv.summary)) for lv in bank.levels],
        plan=_plan_view(plan, recs, words, dept_labels) if plan is not None else None,
        followup=_followup_view(followup, baseline_date, areas, bank, palette, words)
        if followup is not None else None, named=named, summary=summary, emphasised=emphasised,
        kinds=list(dict.fromkeys(kind_of(q).name for q in applicable)),
        scales=[(name, [(words.bank(o.label), o.score) for o in bank.scales[name]]) for name in scales_used],
        uses_profile=bool(bank.profile and result.profile), uses_departments=bool(bank.departments),
        machine_warnings=list(machine_warnings or []),
        question_ids=[(qv.number, qv.id) for av in areas for sv in av.sections for qv in sv.questions])


def _emphasised(areas: list[AreaView]) -> list[tuple[str, float]]:
    """The flagged sections whose divergence stands out from the others': at least the mean
    plus one standard deviation of every section's divergence (SPEC's flag, at the bank's
    threshold, stays as it is; this only picks which flags to stress)."""
    values = [sv.figure.divergence for av in areas for sv in av.sections if sv.figure.divergence is not None]
    if not values:
        return []
    mean = sum(values) / len(values)
    spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    picked = [(sv.title, sv.figure.divergence) for av in areas for sv in av.sections
              if sv.figure.flagged and sv.figure.divergence is not None and sv.figure.divergence >= mean + spread]
    return sorted(picked, key=lambda t: -t[1])


def _followup_view(f: Followup, date: dt.date | None, areas: list[AreaView], bank: Bank, palette: Palette,
                   words: Words) -> FollowupView:
    fmt: Callable[[float | None], str] = words.num
    rows: list[ChangeRow] = []
    area_pairs = [Pair(words("overall_score"), f.overall.baseline, f.overall.current, f.overall.target)]
    charts: list[tuple[str, Markup]] = []
    section_charts = []
    for av in areas:
        change = f.areas.get(av.id)
        if change is None:
            continue
        rows.append(ChangeRow(str(av.number), av.title, True, change))
        area_pairs.append(Pair(av.title, change.baseline, change.current, change.target))
        pairs = []
        for sv in av.sections:
            if sv.id in f.sections:
                rows.append(ChangeRow(sv.number, sv.title, False, f.sections[sv.id]))
                c = f.sections[sv.id]
                pairs.append(Pair(sv.title, c.baseline, c.current, c.target))
        if pairs:
            section_charts.append((f"{av.number}. {av.title}", paired_bars(
                pairs, palette, fmt, words("chart_followup"), words("baseline"), words("current"), words("target"),
                key=av.id)))
    charts.append((words("followup_areas"), paired_bars(area_pairs, palette, fmt, words("chart_followup"),
                                                        words("baseline"), words("current"), words("target"),
                                                        key="areas")))
    texts = {q.id: words.bank(q.text) for _, _, q in bank.questions()}
    return FollowupView(date, f.respondents, f.bank_version, f.overall, f.percent_to_target, rows,
                        charts + section_charts, _dropped_rows(f, words),
                        [texts.get(qid, qid) for qid in f.not_compared])


def _dropped_rows(f: Followup, words: Words) -> list[DroppedRow]:
    groups: dict[tuple[str, str], list[str]] = {}
    for d in f.dropped:
        groups.setdefault((d.question, d.kind), []).append(f"{d.where.path}:{d.where.line}")
    return [DroppedRow(question, words(f"dropped_{kind}"), places)
            for (question, kind), places in sorted(groups.items())]


def _plan_view(plan: Plan, recs: list[RecView], words: Words, dept_labels: dict[str, str]) -> PlanView:
    rank = {r.id: r.rank for r in recs}

    def row(a: Action) -> PlanRow:
        return PlanRow(a, words.bank(a.title), dept_labels.get(a.owner, a.owner) if a.owner else "",
                       words.bank(a.notes), [rank[q] for q in a.recommendations])

    by_id = {r.id: r for r in recs}
    return PlanView(plan.currency, [(totals, [row(a) for a in actions]) for totals, actions in plan.quarters],
                    plan.total, [by_id[q] for q in plan.uncovered], list(plan.warnings), business_view(plan, words))


def _people(result: Result, words: Words, dept_labels: dict[str, str], named: bool) -> list[Person]:
    """Every respondent as the report shows them: named only when the consultant asks."""
    counted = result.department_of()
    people = []
    for i, r in enumerate(result.team.respondents, 1):
        when = r.submitted_at
        if named:
            name = r.name or words("respondent_n", n=i)
            department = dept_labels.get(r.department, r.department) if r.department else ""
        else:
            name = words("respondent_n", n=i)
            group = counted.get(i - 1)
            department = dept_labels.get(group, group) if group and group != UNSPECIFIED else ""
        people.append(Person(i, name, department, r.language or "", when.date() if when else None,
                             Path(r.source).name if named else ""))
    return people


Located = dict[str, tuple[Area, Section, Question]]


def _areas(result: Result, words: Words, people: list[Person],
           palette: Palette | None = None) -> tuple[list[AreaView], Located]:
    """Every applicable area, section and question, numbered as the report prints them."""
    bank = result.bank
    ranks = {rec.question: (i, rec.gain) for i, rec in enumerate(result.recommendations, 1)}
    areas: list[AreaView] = []
    located: Located = {}
    for ai, area in enumerate((a for a in bank.areas if a.id in result.areas), 1):
        node = result.areas[area.id]
        sections: list[SectionView] = []
        for si, section in enumerate((s for s in area.sections if s.id in result.sections), 1):
            snode = result.sections[section.id]
            target = target_of(bank, area, section)
            qviews = []
            for qi, q in enumerate((q for q in section.questions if q.id in result.questions), 1):
                located[q.id] = (area, section, q)
                qv = _question_view(q, f"{ai}.{si}.{qi}", result, people, target, words, ranks)
                if palette is not None and qv.distribution:
                    qv.bar = stacked([Segment(c.label, c.count) for c in qv.distribution], palette,
                                     f"{words('answers_label')}: " + ", ".join(
                                         f"{c.label} {c.count}" for c in qv.distribution if c.count))
                qviews.append(qv)
            sections.append(SectionView(
                section.id, f"{ai}.{si}", words.bank(section.title), words.bank(section.description),
                Figure(snode.score, _level(bank, snode.level, words), target, snode.divergence, snode.flagged,
                       snode.coverage, snode.provisional),
                qviews, sum(1 for qv in qviews if qv.below), sum(1 for qv in qviews if qv.score is not None),
                sum(qv.gain or 0.0 for qv in qviews)))
        areas.append(AreaView(area.id, ai, words.bank(area.title), words.bank(area.description),
                              Figure(node.score, _level(bank, node.level, words), target_of(bank, area),
                                     node.divergence, node.flagged, node.coverage, node.provisional),
                              sections, sum(sv.below for sv in sections), sum(sv.gain for sv in sections)))
    return areas, located


def _recommendations(result: Result, words: Words, areas: list[AreaView], located: Located) -> list[RecView]:
    numbered = {sv.id: f"{sv.number} {sv.title}" for av in areas for sv in av.sections}
    recs: list[RecView] = []
    for i, rec in enumerate(result.recommendations, 1):
        area, section, q = located[rec.question]
        recs.append(RecView(i, q.id, words.bank(area.title), words.bank(section.title), numbered[section.id],
                            words.bank(q.text), words.bank(q.suggestion) or words.bank(q.text), rec.gain,
                            rec.effort, [words.bank(k) for k in q.kpis]))
    return recs


def _charts(bank: Bank, areas: list[AreaView], dimensions: AreaView | None, palette: Palette,
            words: Words, emphasised: set[str] | None = None) -> dict[str, Markup | None]:
    """The charts; ▲ on a chart marks only the divergences that stand out (:func:`_emphasised`),
    so that it still means something when most sections pass the bank's threshold."""
    fmt: Callable[[float | None], str] = words.num
    bands = [(lv.from_, words.bank(lv.label)) for lv in bank.levels]
    emphasised = emphasised or set()
    section_bars = [Bar(f"{sv.number} {sv.title}", sv.figure.value, sv.figure.target, sv.title in emphasised)
                    for av in areas for sv in av.sections]
    charts: dict[str, Markup | None] = {
        "radar": radar(section_bars, palette, fmt, words("chart_radar"), words("target"), words("team"),
                       groups=[(f"{av.number}. {av.title}", len(av.sections)) for av in areas if av.sections]
                       if len(areas) >= 2 else None),
        "areas": bars([Bar(av.title, av.figure.value, av.figure.target) for av in areas],
                      palette, fmt, words("score"), words("target"), bands),
        "dimensions": None,
    }
    if charts["radar"] is None:  # too few sections for a radar: bars read better
        charts["radar"] = bars(section_bars, palette, fmt, words("score"), words("target"), bands)
    if dimensions is not None:
        charts["dimensions"] = bars([Bar(sv.title, sv.figure.value, sv.figure.target, sv.title in emphasised)
                                     for sv in dimensions.sections], palette, fmt, words("score"),
                                    words("target"), bands)
    return charts


def _heat(result: Result, areas: list[AreaView], departments: list[DepartmentView],
          colours: dict[str, str], emphasised: set[str] | None = None) -> list[HeatRow]:
    """Department by section: a cell below its target shaded towards the accent colour, the
    deeper the further below; at or above target it stays light, so problems stand out."""
    emphasised = emphasised or set()

    def cell(value: float | None, target: float) -> tuple[float | None, str]:
        if value is None:
            return None, ""
        depth = max(0.0, target - value) / target if target > 0 else 0.0
        shade = mix("#ffffff", colours["accent"], 0.08 + 0.85 * depth) if depth > 0 else colours["light"]
        ink = "#ffffff" if luminance(shade) < 0.45 else colours["text"]
        return value, f"background-color: {shade}; color: {ink}"

    rows: list[HeatRow] = []
    for av in areas:
        rows.append(HeatRow(av.title, True, av.figure.value,
                            [cell(result.departments[d.key].areas.get(av.id), av.figure.target) for d in departments],
                            av.figure.divergence, av.figure.flagged))
        for sv in av.sections:
            rows.append(HeatRow(sv.title, False, sv.figure.value,
                                [cell(result.departments[d.key].sections.get(sv.id), sv.figure.target)
                                 for d in departments],
                                sv.figure.divergence, sv.figure.flagged, sv.title in emphasised))
    return rows
