from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from click.testing import CliRunner

from audit.cli import main
from audit.engine.score import Result, score
from audit.model import Bank
from audit.read.answers import load_responses
from audit.read.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MINI = DATA / "mini"
DEMO = ROOT / "examples" / "demo"
BRAND = ROOT / "examples" / "brand" / "brand.yaml"
T = TypeVar("T")


# -- running the command line -----------------------------------------------------------

@dataclass
class Ran:
    """What a run of the command line gave: as :class:`subprocess.CompletedProcess` has it."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Ran:
    """``loyalty-audit ARGS`` run in this process, in ``cwd``, with ``env`` added to the environment.

    An exception that escapes the command ends it with status 1 and its traceback on stderr,
    as it would a real process.
    """
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = CliRunner().invoke(main, list(args), env=env)
    stderr = result.stderr
    if result.exc_info is not None and not issubclass(result.exc_info[0], SystemExit):  # (sys.exit(0): no exception)
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return Ran(list(args), result.exit_code, result.stdout, stderr)


def process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m audit ARGS`` in a process of its own (for what only a real process shows:
    the interpreter's start, exit statuses, worker processes, the hash seed)."""
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, check=False,
                          cwd=cwd, env={**os.environ, **(env or {})})


# -- WeasyPrint's log -------------------------------------------------------------------

class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def weasyprint_logs_nothing() -> Iterator[None]:
    """Fails when WeasyPrint logs a warning inside the block (as WeasyPrint's own assert_no_logs)."""
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


# -- files ------------------------------------------------------------------------------

def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def respondent(answers: dict[str, Any], *, department: str | None = None, name: str | None = None,
               profile: dict[str, str] | None = None, comments: dict[str, str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"respondent": {}, "answers": answers}
    if name:
        entry["respondent"]["name"] = name
    if department:
        entry["respondent"]["department"] = department
    if profile:
        entry["profile"] = profile
    if comments:
        entry["comments"] = comments
    return entry


def score_team(bank: Bank, tmp_path: Path, *entries: dict[str, Any], organisation: str = "Acme") -> Result:
    """Write ``entries`` as one response file and score it."""
    path = write_yaml(tmp_path / "answers.yaml", {"bank": bank.id, "bank_version": bank.version,
                                                  "organisation": organisation,
                                                  "respondents": list(entries)})
    return score(bank, load_responses([path], bank))


@pytest.fixture(scope="session")
def mini() -> Bank:
    return load_bank(MINI)


def make_bank(folder: Path, questions: list[dict[str, Any]], sections: list[dict[str, Any]] | None = None,
              areas: list[dict[str, Any]] | None = None, **header: Any) -> Bank:
    """A one-language bank; by default one area 'area' with one section 'sec' holding ``questions``."""
    bank = {"id": "test", "version": "1", "languages": ["en"], "title": "Test",
            "scales": {"two": [{"key": 0, "label": "No", "score": 0},
                               {"key": 1, "label": "Yes", "score": 1}]},
            "levels": [{"key": "low", "from": 0, "label": "Low"}],
            "departments": [{"key": "d1", "label": "D1"}, {"key": "d2", "label": "D2"}]}
    bank.update(header)
    if areas is None:
        sections = sections or [{"id": "sec", "title": "Sec", "questions": questions}]
        areas = [{"id": "area", "title": "Area", "sections": sections}]
    for q in (q for a in areas for s in a["sections"] for q in s["questions"]):
        q.setdefault("text", q["id"])
    bank["areas"] = []
    for area in areas:
        write_yaml(folder / f"{area['id']}.yaml", area)
        bank["areas"].append(f"{area['id']}.yaml")
    write_yaml(folder / "bank.yaml", bank)
    return load_bank(folder)


# -- the fillable questionnaire -----------------------------------------------------------

def filled_form(blank: Path, values: dict[str, str]) -> bytes:
    """The form ``blank`` filled as a PDF library fills it: radio groups and check boxes set to
    their states, text fields to their text."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(blank)
    fields = reader.get_fields() or {}
    states: dict[str, str] = {}
    for name, value in values.items():
        field = fields[name]
        if field.get("/FT") == "/Btn" and field.get("/Opt") is not None:  # a radio group: the chosen index
            states[name] = f"/{[str(o) for o in field['/Opt']].index(value)}"
        elif field.get("/FT") == "/Btn":
            states[name] = "/on"
        else:
            states[name] = value
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        writer.update_page_form_field_values(page, states, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- files several tests read, made once and while the tests run -------------------------
# Rendering reports and forms is the slow part of the suite. A report several tests read (or
# one that takes long and needs nothing of the test) is made by a job: a function that runs
# the command line in processes of its own. A job's result is a session fixture of the job's
# name; no test writes to what it returns.
# Run one after the other (plain ``pytest FILE``), the jobs run on a thread of their own, in
# the order the tests need them, so that they are rendered on another core while the tests
# go on (a test that needs a job the thread has not begun runs it itself); they start with
# the first test outside tests/site, so as not to slow the browser the site's tests drive.
# Run by pytest-xdist's workers (``make test``), the workers already fill the cores: a job
# runs when a test first asks for it, and every test that uses a job goes to the same worker
# as the other users of that job (one xdist group per set of jobs tests share), so that each
# job runs once. A report several tests read that is quicker made in the worker's own process
# (its caches warm, no interpreter to start) is a session or module fixture marked ``@shared``:
# its users are grouped on one worker the same way.

JOBS: dict[str, Callable[[Path], Any]] = {}
SHARED: set[str] = set()  # the jobs, and the fixtures made in this process that tests share (@shared)


def shared(fixture: Callable[..., T]) -> Callable[..., T]:
    """Marks a session or module fixture made in this process (not a job) that several tests read: under
    xdist they run on one worker, as the users of a job do."""
    SHARED.add(fixture.__name__)
    return fixture


def made_while_testing(job: Callable[[Path], T]) -> Any:
    """The session fixture of ``job``'s name: what ``job(folder)`` returns, ``folder`` being a
    new folder of its own. ``job`` runs on another thread: it may write files and run
    processes, never touch this process's state (no CliRunner, no chdir, no monkeypatch)."""
    name = job.__name__
    JOBS[name] = job
    SHARED.add(name)

    @pytest.fixture(scope="session", name=name)
    def fixture(lane: Lane) -> T:
        result: T = lane.get(name)
        return result

    return fixture


def checked(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """``python -m audit ARGS`` that must succeed, with nothing on stderr but the command's
    warnings about the answers: none from rendering (what WeasyPrint logs while it renders
    comes as ``warning: rendering: ...``); its stdout."""
    done = process(*args, cwd=cwd, env=env)
    assert done.returncode == 0, (args, done.stderr)
    noise = [line for line in done.stderr.splitlines()
             if not line.startswith("warning: ") or line.startswith("warning: rendering:")]
    assert not noise, (args, done.stderr)
    return done.stdout


class Lane:
    """The jobs' thread (see above)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started = False
        self.duo = _duo(folder / "duo")  # inputs jobs and tests share (see duo_inputs)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
        self._futures: dict[str, Future[Any]] = {}

    def start(self, name: str) -> None:
        if name not in self._futures:
            (self.folder / name).mkdir()
            self._futures[name] = self._pool.submit(JOBS[name], self.folder / name)

    def start_for(self, items: list[pytest.Item]) -> None:
        """Start the jobs ``items`` use, the first needed first."""
        self.started = True
        for item in items:
            for name in getattr(item, "fixturenames", ()):
                if name in JOBS:
                    self.start(name)

    def get(self, name: str) -> Any:
        """The job's result; a job the thread has not begun yet is run here and now instead."""
        self.start(name)
        future = self._futures[name]
        if future.cancel():
            future = self._futures[name] = Future()
            try:
                future.set_result(JOBS[name](self.folder / name))
            except BaseException as exc:
                future.set_exception(exc)
        return future.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


IN_WORKER = "PYTEST_XDIST_WORKER" in os.environ


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collecting made (modules, test items, the package) stays alive for the whole run:
    set aside from the garbage collector's passes, as the renderers do (audit.write.report.pdf)."""
    gc.freeze()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Iterator[None]:
    """Under xdist, one group for each set of jobs that tests share (see above)."""
    groups = _job_groups(items) if IN_WORKER else {}
    for item, group in groups.items():
        item.add_marker(pytest.mark.xdist_group(group))
    yield  # xdist's worker adds each test's group to its id, which is how --dist loadgroup sees it ...
    for item, group in groups.items():
        if not item.nodeid.endswith(f"@{group}"):  # ... but not on pytest 9, where the id is no longer _nodeid
            item._id = type(item._id).parse(f"{item.nodeid}@{group}")


def _job_groups(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """The group of each test that uses a job: one for each set of jobs that tests share."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    uses = {item: [n for n in getattr(item, "fixturenames", ()) if n in SHARED] for item in items}
    for names in uses.values():
        for other in names[1:]:
            parent[find(other)] = find(names[0])
    return {item: f"job-{find(names[0])}" for item, names in uses.items() if names}


@pytest.fixture(scope="session")
def lane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lane]:
    jobs = Lane(tmp_path_factory.mktemp("jobs"))
    try:
        yield jobs
    finally:
        jobs.close()


SITE_TESTS = ROOT / "tests" / "site"


@pytest.fixture(autouse=True)
def _start_jobs(request: pytest.FixtureRequest) -> None:
    if SITE_TESTS in Path(request.node.path).parents:
        return
    if IN_WORKER:
        return
    jobs: Lane = request.getfixturevalue("lane")
    if not jobs.started:
        jobs.start_for(request.session.items)


@dataclass(frozen=True)
class DuoFiles:
    """The duo bank and team of tests/reporting.py, in a folder of their own."""

    bank: Path
    team: Path


@pytest.fixture
def scored_duo(tmp_path: Path) -> tuple[Path, Path, Result]:
    """The duo bank and team of tests/reporting.py in the test's own folder, and the team's scores."""
    duo = _duo(tmp_path)
    bank = load_bank(duo.bank)
    return duo.bank, duo.team, score(bank, load_responses([duo.team], bank))


def _duo(folder: Path) -> DuoFiles:
    from .reporting import duo_bank, duo_team

    return DuoFiles(duo_bank(folder / "bank"), duo_team(folder / "team.yaml"))


def duo_inputs(job_folder: Path) -> DuoFiles:
    """The duo bank and team every job and ``duo_files`` share (written before any job starts)."""
    return DuoFiles(job_folder.parent / "duo" / "bank", job_folder.parent / "duo" / "team.yaml")


@pytest.fixture(scope="session")
def duo_files(lane: Lane) -> DuoFiles:
    return lane.duo


@pytest.fixture(scope="session")
@shared
def duo_reports(duo_files: DuoFiles, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The duo team's report in each of the bank's languages (no brand): language -> PDF; its
    data pack is ``LANG-appendix.pdf`` beside it. Made in this process, by ``build_report``."""
    from audit.run.options import Options
    from audit.run.report import build_report

    folder = tmp_path_factory.mktemp("duo-reports")
    for lang in ("es", "en"):
        with weasyprint_logs_nothing():
            build_report([duo_files.team], Options(bank=duo_files.bank, lang=lang), output=folder / f"{lang}.pdf",
                         appendix=folder / f"{lang}-appendix.pdf")
    return {lang: folder / f"{lang}.pdf" for lang in ("es", "en")}


@pytest.fixture(scope="session")
@shared
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's management report as ``make demo`` writes it (brand, baseline, plan), in each
    language: language -> PDF; the Spanish one's data pack is ``es-appendix.pdf`` beside it (the
    English data pack, 31 pages of the same layout, is left to the view's tests). Made in this
    process, by ``build_report``."""
    from audit.run.options import Options
    from audit.run.report import build_report

    folder = tmp_path_factory.mktemp("demo-reports")
    for lang in ("es", "en"):
        options = Options(bank=ROOT / "questions", brand=BRAND, baseline=(ROOT / "examples" / "demo-2025",),
                          plan=ROOT / "examples" / "demo-plan.yaml", lang=lang)
        with weasyprint_logs_nothing():
            written = build_report([DEMO], options, output=folder / f"{lang}.pdf",
                                   appendix=folder / f"{lang}-appendix.pdf" if lang == "es" else None)
        assert not [w for w in written.warnings if w.startswith("rendering:")], written.warnings
    return {lang: folder / f"{lang}.pdf" for lang in ("es", "en")}


@dataclass(frozen=True)
class Branded:
    """The duo team's report with the example brand, as PDF and HTML, and what it was made of."""

    pdf: Path
    html: Path
    written: Any
    files: DuoFiles


@pytest.fixture(scope="session")
@shared
def duo_branded(duo_files: DuoFiles, tmp_path_factory: pytest.TempPathFactory) -> Branded:
    """Made in this process, by ``build_report`` itself."""
    from audit.run.options import Options
    from audit.run.report import build_report

    folder = tmp_path_factory.mktemp("duo-branded")
    pdf, html = folder / "report.pdf", folder / "report.html"
    with weasyprint_logs_nothing():
        written = build_report([duo_files.team], Options(bank=duo_files.bank, brand=BRAND), output=pdf, html=html)
    return Branded(pdf, html, written, duo_files)


OTHER_HASH_SEED = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"


@made_while_testing
def duo_branded_elsewhere(folder: Path) -> Path:
    """The same report as ``duo_branded``, by the command line in a process with another hash seed."""
    duo, pdf = duo_inputs(folder), folder / "report.pdf"
    checked("report", "--bank", str(duo.bank), "--brand", str(BRAND), "-o", str(pdf), str(duo.team),
            env={"PYTHONHASHSEED": OTHER_HASH_SEED})
    return pdf
