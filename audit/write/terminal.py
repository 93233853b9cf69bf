"""The result for the terminal: the score table, the follow-up table, the batch summary.

Their words come from the terminal's catalogue (``templates/terminal/messages.yaml``) through
:class:`~audit.write.messages.Words`; numbers are written as ``score --format csv`` writes them,
rounded to one decimal. Whatever comes from the user's files (names, titles, keys, warnings)
is shown as text: control characters escaped (:func:`~audit.errors.printable`), never read
as Rich markup, so it cannot add a line, colour the terminal or move its cursor."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.followup import Change, Followup
from ..engine.score import Node, Result
from ..errors import printable
from ..model import Bank, text_of
from .data import titles_of
from .formats import figure
from .messages import Words


class ClientOutcome(Protocol):
    """What the batch summary needs to know of one client's report."""

    client: str
    pdf: str | None
    pages: int
    respondents: int
    score: float | None
    level: str | None
    problems: list[str]
    warnings: list[str]
    failure: str | None

    @property
    def ok(self) -> bool: ...


def shown(text: object, style: str = "") -> Text:
    """``text`` as it is (no markup), control characters escaped."""
    return Text(printable(str(text)), style=style)


def fmt(value: float | None, digits: int = 1) -> str:
    """A number rounded as every output rounds it, before any separator is placed."""
    return "—" if value is None else f"{value:.{digits}f}"


def _level(node: Node, levels: dict[str, str], words: Words) -> Text:
    """The level's name, or "provisional" (and how much evidence) when the score is not a verdict."""
    if node.provisional and node.score is not None:
        return Text(words("provisional", coverage=words.num(100 * (node.coverage or 0.0), 0)), style="yellow")
    return shown(levels.get(node.level or "", ""))


def print_table(result: Result, console: Console, words: Words, top: int = 10) -> None:
    """The readable summary: scores with levels and divergence, diagnoses, recommendations."""
    bank = result.bank
    lang = words.lang
    titles = titles_of(bank, lang)
    levels = {lv.key: text_of(lv.label, lang) for lv in bank.levels}
    head = f"{text_of(bank.title, lang)} — {result.team.organisation or ''}".rstrip(" —")
    console.print(shown(head, style="bold"))
    num = words.num
    console.print(Text(words(
        "team_line", respondents=len(result.team.respondents),
        completion=num(None if result.completion is None else 100 * result.completion),
        to_target=num(None if result.percent_to_target is None else 100 * result.percent_to_target))))
    if result.overall.provisional:
        console.print(Text(words("provisional_line", min_coverage=num(100 * bank.min_coverage, 0)), style="yellow"))

    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    table.add_column(words("score"), justify="right")
    table.add_column(words("level"))
    table.add_column(words("divergence"), justify="right")
    o = result.overall
    table.add_row(Text(words("overall"), style="bold"), num(o.score), _level(o, levels, words), num(o.divergence))
    for area in bank.areas:
        a = result.areas.get(area.id)
        if a is None:
            continue
        table.add_row(shown(titles[area.id], style="bold"), num(a.score), _level(a, levels, words), _div(a, words))
        for section in area.sections:
            s = result.sections.get(section.id)
            if s is not None:
                table.add_row(shown("  " + titles[section.id]), num(s.score), _level(s, levels, words),
                              _div(s, words))
    console.print(table)

    rules = {r.id: r for r in bank.rules}
    if result.diagnoses:
        console.print(Text(words("diagnoses"), style="bold"))
        for rid in result.diagnoses:
            console.print(shown(f"  • {text_of(rules[rid].title, lang)}"))
    if result.recommendations:
        recs = Table(show_header=True, header_style="bold", title=None)
        recs.add_column(words("rank"), justify="right")
        recs.add_column(words("question"))
        recs.add_column(words("gain"), justify="right")
        recs.add_column(words("effort"))
        for i, rec in enumerate(result.recommendations[:top], 1):
            recs.add_row(str(i), shown(f"{rec.question}: {titles[rec.question]}"), num(rec.gain, 2),
                         words(f"effort_{rec.effort}"))
        console.print(Text(words("top_recommendations", shown=min(top, len(result.recommendations)),
                                 total=len(result.recommendations)), style="bold"))
        console.print(recs)
    for warning in result.warnings:
        console.print(shown(words("warning", text=warning), style="yellow"))


def print_followup(followup: Followup, bank: Bank, console: Console, words: Words) -> None:
    """Scores against the baseline: before, now, change, and progress to target (OWASP SAMM)."""
    titles = titles_of(bank, words.lang)
    console.print(shown(words("since_baseline", respondents=followup.respondents,
                              version=followup.bank_version or "?"), style="bold"))
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    for name in ("baseline", "now", "change", "target", "progress"):
        table.add_column(words(name), justify="right")

    def add(label: Text, c: Change) -> None:
        change = "—" if c.change is None else ("+" if c.change >= 0 else "−") + words.num(abs(c.change))
        progress = "—" if c.progress is None else f"{words.num(100 * c.progress, 0)} %"
        table.add_row(label, words.num(c.baseline), words.num(c.current), change, figure(c.target, words.lang),
                      progress)

    add(Text(words("overall"), style="bold"), followup.overall)
    for area in bank.areas:
        if area.id in followup.areas:
            add(shown(titles[area.id], style="bold"), followup.areas[area.id])
        for section in area.sections:
            if section.id in followup.sections:
                add(shown("  " + titles[section.id]), followup.sections[section.id])
    console.print(table)
    if followup.not_compared:
        console.print(shown(words("not_in_baseline", questions=", ".join(followup.not_compared))))
    for dropped in followup.dropped:
        console.print(shown(words("set_aside", answer=dropped), style="yellow"))


def _div(node: Node, words: Words) -> Text:
    text = Text(words.num(node.divergence))
    if node.flagged:
        text.append(" ⚑", style="bold red")
    return text


def summary_table(outcomes: Sequence[ClientOutcome], words: Words) -> Table:
    """Client, respondents, score, level, pages, problems: one row per client."""
    table = Table(show_header=True, header_style="bold", title=words("clients", count=len(outcomes)))
    for name, justify in (("client", "left"), ("respondents", "right"), ("score", "right"), ("level", "left"),
                          ("pages", "right"), ("problems", "left")):
        table.add_column(words(name), justify=justify)  # type: ignore[arg-type]
    for o in outcomes:
        if o.failure:
            state = Text(words("internal_failure"), style="bold red")
        elif o.problems:
            state = shown(words("bad_input", count=len(o.problems), first=o.problems[0]), style="red")
        elif o.respondents == 0:
            state = Text(words("no_answers_yet"), style="yellow")
        else:
            state = Text(words("warnings", count=len(o.warnings)) if o.warnings else "—")
        table.add_row(shown(o.client), str(o.respondents) if o.ok else "—",
                      "—" if o.score is None else f"{o.score:.1f}", shown(o.level or "—"),
                      str(o.pages) if o.pdf else "—", state)
    return table


@contextmanager
def progress(total: int, words: Words) -> Iterator[Callable[[Any], None]]:
    """A callback to call with each client's outcome: a progress bar on a terminal (stderr),
    else one line per client."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True, highlight=False)
    if err.is_terminal:
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=err)
        task = bar.add_task(words("reports"), total=total)
        bar.start()
        try:
            # the bar's description is Rich markup: the client's name is escaped for it
            yield lambda outcome: bar.update(task, advance=1, description=escape(printable(outcome.client)))
        finally:
            bar.stop()
        return
    count = [0]

    def line(outcome: ClientOutcome) -> None:
        count[0] += 1
        state = words("state_ok" if outcome.ok else ("state_bad_input" if outcome.problems else "state_failed"))
        err.print(shown(words("progress_line", done=count[0], total=total, client=outcome.client, state=state)))

    yield line
