"""``loyalty-audit report --batch``: every client's report, in parallel, one bad client never
stopping the others.

Each client is reported in a worker process (``spawn``: nothing is shared but the arguments),
so WeasyPrint's caches and memory stay per process and a crash in one client is that
client's failure, not the batch's. Workers are replaced after a few reports to keep their
memory from growing across a long batch. Each worker is a one-process executor replaced by
hand: ``ProcessPoolExecutor(max_tasks_per_child=...)`` deadlocks on Python 3.11 to 3.13
once a worker retires with tasks still queued (CPython issue gh-115634).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table
from rich.text import Text

from .errors import InputError
from .project import Project, report_path, report_project

TASKS_PER_WORKER = 8


@dataclass
class Outcome:
    """What happened to one client."""

    client: str
    pdf: str | None = None
    pages: int = 0
    respondents: int = 0
    score: float | None = None
    level: str | None = None
    problems: list[str] = field(default_factory=list)  # bad input, as path:line lines
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None  # a bug: the traceback
    peak_kib: int = 0  # the worker's peak memory so far
    worker: int = 0  # the process that wrote it

    @property
    def ok(self) -> bool:
        return not self.problems and self.failure is None


def report_one(project: Project, out_dir: Path | None, lang: str | None, date: dt.date | None) -> Outcome:
    """Report one client; never raises (a worker's whole job)."""
    outcome = Outcome(project.name)
    try:
        written = report_project(project, report_path(project, out_dir), lang=lang, date=date)
        outcome.pdf = str(written.pdf) if written.pdf else None
        outcome.pages, outcome.respondents = written.pages, written.respondents
        outcome.score, outcome.level, outcome.warnings = written.score, written.level, written.warnings
    except InputError as exc:
        outcome.problems = [str(p) for p in exc.problems]
    except Exception:  # a bug in one client's report is that client's failure, not the batch's
        outcome.failure = traceback.format_exc()
    outcome.peak_kib, outcome.worker = peak_kib(), os.getpid()
    return outcome


def peak_kib() -> int:
    """This process's peak resident memory in KiB (VmHWM: ru_maxrss would carry the parent's
    peak over through fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_batch(projects: list[Project], *, out_dir: Path | None = None, lang: str | None = None,
              date: dt.date | None = None, jobs: int | None = None,
              done: Callable[[Outcome], None] | None = None,
              tasks_per_worker: int = TASKS_PER_WORKER) -> list[Outcome]:
    """Report every project, ``jobs`` at a time (default: every core); outcomes in project order.

    ``done`` is called with each outcome as it comes; a worker process is replaced after
    ``tasks_per_worker`` reports.
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(projects)))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: dict[int, Outcome] = {}
    if jobs == 1:
        for i, project in enumerate(projects):
            outcomes[i] = report_one(project, out_dir, lang, date)
            if done:
                done(outcomes[i])
        return [outcomes[i] for i in range(len(projects))]
    context = multiprocessing.get_context("spawn")
    queue = list(enumerate(projects))[::-1]  # popped from the end: project order
    slots: list[tuple[ProcessPoolExecutor, int]] = []  # each worker and the reports it has written
    running: dict[Future[Outcome], tuple[int, int]] = {}  # -> (project index, slot)

    def submit(slot: int) -> None:
        executor, count = slots[slot]
        if count >= tasks_per_worker:
            executor.shutdown(wait=True)
            executor, count = ProcessPoolExecutor(max_workers=1, mp_context=context), 0
        i, project = queue.pop()
        slots[slot] = (executor, count + 1)
        running[executor.submit(report_one, project, out_dir, lang, date)] = (i, slot)

    try:
        for slot in range(jobs):
            slots.append((ProcessPoolExecutor(max_workers=1, mp_context=context), 0))
            submit(slot)
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                i, slot = running.pop(future)
                try:
                    outcomes[i] = future.result()
                except Exception:  # the worker itself died (killed, out of memory)
                    outcomes[i] = Outcome(projects[i].name, failure=traceback.format_exc())
                    slots[slot] = (slots[slot][0], tasks_per_worker)  # replace it
                if done:
                    done(outcomes[i])
                if queue:
                    submit(slot)
    finally:
        for executor, _ in slots:
            executor.shutdown(wait=True, cancel_futures=True)
    return [outcomes[i] for i in range(len(projects))]


def summary_table(outcomes: list[Outcome]) -> Table:
    """Client, respondents, score, level, pages, problems: one row per client."""
    table = Table(show_header=True, header_style="bold", title=f"{len(outcomes)} client(s)")
    for name, justify in (("client", "left"), ("respondents", "right"), ("score", "right"), ("level", "left"),
                          ("pages", "right"), ("problems", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for o in outcomes:
        if o.failure:
            state = Text("internal failure", style="bold red")
        elif o.problems:
            state = Text(f"{len(o.problems)} bad input: {o.problems[0]}", style="red")
        elif o.respondents == 0:
            state = Text("no answers yet", style="yellow")
        else:
            state = Text(f"{len(o.warnings)} warning(s)" if o.warnings else "—")
        table.add_row(o.client, str(o.respondents) if o.ok else "—",
                      "—" if o.score is None else f"{o.score:.1f}", o.level or "—",
                      str(o.pages) if o.pdf else "—", state)
    return table
