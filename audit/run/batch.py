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

import multiprocessing
import os
import resource
import traceback
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

import click
from rich.console import Console

from ..errors import InputError, Problem
from ..read.bank import load_bank
from ..read.project import Project, find_projects
from ..write.files import check_outputs
from ..write.terminal import progress, summary_table
from .audit import outputs_first
from .commands import terminal_words
from .options import Options
from .report import Written, build_report

TASKS_PER_WORKER = 8
REPORT_NAME = "report.pdf"
APPENDIX_NAME = "appendix.pdf"
FINDINGS_NAME = "findings.yaml"
# A report's peak memory grows with its bank: about 260 MiB for the default bank's 75
# questions, about 2.5 GiB for 1,000 questions (bench/README.md). A worker is reckoned at
# WORKER_KIB plus QUESTION_KIB for every question of its bank, a little over both.
WORKER_KIB = 80 * 1024
QUESTION_KIB = int(2.5 * 1024)


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


def report_path(project: Project, out_dir: Path | None) -> Path:
    """Where one project's report goes alone: ``OUT_DIR/<client>.pdf``, else ``CLIENT/report.pdf``
    (in a batch, :func:`report_paths` keeps two clients of one name apart)."""
    return out_dir / f"{project.name}.pdf" if out_dir is not None else project.root / REPORT_NAME


def _name_key(name: str) -> str:
    """Names that one file system or another takes for the same file (case, Unicode forms) share a key."""
    return unicodedata.normalize("NFC", name).casefold()


def report_paths(projects: list[Project], out_dir: Path | None) -> list[Path | str]:
    """Where each project's report goes (:func:`report_path`), never two at the same file: a
    path, or why the project is refused.

    A client folder reached twice (a link to another) is refused the second time. Two client
    folders of the same name (folders linked from elsewhere, names differing only in case)
    report to ``OUT_DIR/<client>.pdf`` and ``OUT_DIR/<client>-2.pdf``.
    """
    plans: list[Path | str] = []
    roots: dict[str, Project] = {}
    for project in projects:
        root = os.path.normcase(os.path.realpath(project.root))
        first = roots.setdefault(root, project)
        plans.append(report_path(project, None) if first is project else
                     str(Problem(str(project.root), 1, f"the same client folder as {first.root}; expected each "
                                                       "client once, so that no report overwrites another")))
    if out_dir is None:
        return plans
    taken = {_name_key(f"{p.name}.pdf") for p, plan in zip(projects, plans, strict=True) if isinstance(plan, Path)}
    used: set[str] = set()
    for i, project in enumerate(projects):
        if not isinstance(plans[i], Path):
            continue
        name, number = f"{project.name}.pdf", 1
        # the data pack goes beside the report (:func:`appendix_path`): neither may be another's
        while ({_name_key(name), _name_key(appendix_path(Path(name)).name)} & used
               or (number > 1 and _name_key(name) in taken)):
            number += 1
            name = f"{project.name}-{number}.pdf"
        used.update((_name_key(name), _name_key(appendix_path(Path(name)).name)))
        plans[i] = out_dir / name
    return plans


def appendix_path(output: Path) -> Path:
    """Where the data pack goes beside a report: ``report.pdf`` → ``appendix.pdf``, ``CLIENT.pdf`` →
    ``CLIENT-appendix.pdf``."""
    name = APPENDIX_NAME if output.name == REPORT_NAME else f"{output.stem}-appendix{output.suffix}"
    return output.with_name(name)


def report_project(project: Project, output: Path, options: Options) -> Written:
    """Write the project's report and its data pack with everything its folder holds (``options``:
    language, date, and the bank of the folders without one)."""
    findings = project.root / FINDINGS_NAME
    return build_report([project.answers], replace(options, bank=project.bank or options.bank, brand=project.brand,
                                                   plan=project.plan, allow_empty=True,
                                                   organisation=project.client,
                                                   baseline=(project.baseline,) if project.baseline else ()),
                        output=output, appendix=appendix_path(output),
                        findings=findings if findings.is_file() else None)


Reporter = Callable[[Project, Path, Options], Written]


def report_one(project: Project, output: Path | str, options: Options,
               reporter: Reporter = report_project) -> Outcome:
    """Report one client to ``output`` (or refuse it, when ``output`` is why) with ``reporter``;
    never raises (a worker's whole job)."""
    outcome = Outcome(project.name)
    if isinstance(output, str):
        outcome.problems = [output]
        return outcome
    try:
        written = reporter(project, output, options)
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


def report_kib(questions: int) -> int:
    """The memory (KiB) one report of a bank of ``questions`` questions may take at its peak."""
    return WORKER_KIB + QUESTION_KIB * questions


def available_kib(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """The memory the machine can give new processes without swapping (``MemAvailable``, KiB);
    None where the system does not say."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def size_jobs(requested: int | None, cores: int, available: int | None, per_report: int,
              clients: int) -> tuple[int, str | None]:
    """How many reports to write at once, and a warning when ``requested`` had to be lowered.

    By default one per core, as many as the ``available`` memory holds at ``per_report`` KiB
    each, no more than there are clients, and at least one. An explicit ``requested`` larger
    than memory allows is lowered, with a warning saying why.
    """
    fits = max(1, available // per_report) if available is not None and per_report > 0 else None
    wanted = requested if requested is not None else cores
    jobs = max(1, min(wanted, clients) if fits is None else min(wanted, clients, fits))
    warning = None
    if requested is not None and fits is not None and min(requested, clients) > fits:
        warning = (f"--jobs {requested}: lowered to {jobs}, as {_mib(available or 0)} of memory is available "
                   f"and one report of this bank may take up to {_mib(per_report)}")
    return jobs, warning


def _mib(kib: int) -> str:
    return f"{kib / 1024 / 1024:.1f} GiB" if kib >= 1024 * 1024 else f"{kib / 1024:.0f} MiB"


def _largest_bank(projects: list[Project], default: Path | None) -> int:
    """The questions of the largest bank the clients use (a bank that cannot be read counts as
    none: its client's report stops at its first line)."""
    largest = 0
    for folder in {p.bank or default for p in projects}:
        try:
            largest = max(largest, len(load_bank(folder).questions()))
        except InputError:
            continue
    return largest


def run_batch(projects: list[Project], options: Options, *, out_dir: Path | None = None,
              jobs: int | None = None, done: Callable[[Outcome], None] | None = None,
              tasks_per_worker: int = TASKS_PER_WORKER, reporter: Reporter = report_project) -> list[Outcome]:
    """Report every project, ``jobs`` at a time (default: every core); outcomes in project order.

    ``done`` is called with each outcome as it comes; a worker process is replaced after
    ``tasks_per_worker`` reports. ``reporter`` writes one report (a module-level function,
    so that worker processes can import it).
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(projects)))
    if out_dir is not None:
        check_outputs([], folders=[(out_dir, "-o")])
        out_dir.mkdir(parents=True, exist_ok=True)
    outputs = report_paths(projects, out_dir)
    outcomes: dict[int, Outcome] = {}
    if jobs == 1:
        for i, project in enumerate(projects):
            outcomes[i] = report_one(project, outputs[i], options, reporter)
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
        running[executor.submit(report_one, project, outputs[i], options, reporter)] = (i, slot)

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


def report_clients(clients: Path, options: Options, *, out_dir: Path | None = None, jobs: int | None = None) -> int:
    """``report --batch``: every client's report, progress and a summary table; the exit status
    (0 done, 2 some client's input is bad, 1 some client failed).

    ``jobs`` reports are written at once (default: one per core); never more than the free
    memory holds (:func:`size_jobs`), an explicit ``jobs`` lowered with a warning.

    ``options.bank`` is the bank of every client folder without a ``bank/`` of its own (checked
    once, before any report). Progress and the summary speak ``options.lang``, else that bank's
    first language (each client's report speaks its own bank's).
    """
    def read() -> tuple[list[Project], str]:
        projects = find_projects(clients)
        bank = load_bank(options.bank)
        return projects, options.lang or bank.languages[0]

    projects, lang = outputs_first([], read, folders=[(out_dir, "-o")])
    jobs, lowered = size_jobs(jobs, os.cpu_count() or 1, available_kib(),
                              report_kib(_largest_bank(projects, options.bank)), len(projects))
    if lowered:
        click.echo(f"warning: {lowered}", err=True)
    words = terminal_words(lang)
    with progress(len(projects), words) as done:
        outcomes = run_batch(projects, options, out_dir=out_dir, jobs=jobs, done=done)
    Console(highlight=False, soft_wrap=False).print(summary_table(outcomes, words))
    for outcome in outcomes:
        for line in outcome.problems:
            click.echo(f"{outcome.client}: {line}", err=True)
        if outcome.failure:
            click.echo(f"{outcome.client}: internal failure\n{outcome.failure}", err=True)
        if outcome.pdf is not None and out_dir is not None and Path(outcome.pdf).name != f"{outcome.client}.pdf":
            click.echo(f"{outcome.client}: wrote {outcome.pdf}, as another client folder is also named "
                       f"'{outcome.client}'", err=True)
    if any(o.failure for o in outcomes):
        return 1
    return 2 if any(o.problems for o in outcomes) else 0
