"""``report --batch``: many clients at once, one bad client never stopping the others.

One test runs the real thing: ``python -m audit report --batch`` with worker processes writing
real PDFs. The orchestration (outcomes in order, bad input and crashes kept to their client,
workers retiring, the exit status) is tested with :func:`stand_in`, a reporter that writes a
few bytes instead of a PDF: the workers import it from this module.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit.errors import InputError, Problem
from audit.read.project import Project, find_project, find_projects
from audit.run import batch
from audit.run.batch import Outcome, report_path, run_batch
from audit.run.options import Options
from audit.run.report import Written

from .conftest import DEMO, checked, cli, made_while_testing, process, shared, weasyprint_logs_nothing, write_yaml
from .reporting import duo_bank, duo_team


def client(root: Path, name: str) -> Path:
    """A client folder as ``init`` makes it, with the duo bank of its own (a small bank: a report
    and its data pack in a second; the default bank's own batch run is test_workflow's)."""
    checked("init", str(root / name), "--client", name.title())
    duo_bank(root / name / "bank")
    return root / name


# -- the real thing ---------------------------------------------------------------------

@dataclass
class RealBatch:
    clients: Path
    out: Path
    run: subprocess.CompletedProcess[str]


@made_while_testing
def real_batch(folder: Path) -> RealBatch:
    """Three client folders and one other folder, reported by ``python -m audit report --batch``
    on two worker processes."""
    clients = folder / "clients"
    duo_team(client(clients, "alba") / "answers" / "team.yaml")
    bad = client(clients, "broken")
    duo_team(bad / "answers" / "01-team.yaml")
    (bad / "answers" / "02-bad.yaml").write_text("bank: duo\nanswers:\n  f1: 9\n", encoding="utf-8")
    client(clients, "new")  # nobody has answered yet: it still gets its report
    (clients / "notes").mkdir()  # not a client folder: ignored
    out = folder / "out"
    # (--lang en: the summary speaks the bank's first language, Spanish, without it)
    run = process("report", "--batch", str(clients), "-o", str(out), "--jobs", "2", "--lang", "en")
    return RealBatch(clients, out, run)


def test_one_bad_client_never_stops_the_others(real_batch: RealBatch) -> None:
    run, out, bad = real_batch.run, real_batch.out, real_batch.clients / "broken"
    assert run.returncode == 2, run.stderr
    # each client's management report and its data pack
    assert sorted(p.name for p in out.iterdir()) == ["alba-appendix.pdf", "alba.pdf", "new-appendix.pdf", "new.pdf"]
    for name in ("alba", "new"):
        report, pack = (PdfReader(out / f"{name}{end}.pdf") for end in ("", "-appendix"))
        assert "Data pack" in pack.pages[0].extract_text() and "Data pack" not in report.pages[0].extract_text()
        assert "Executive summary" in report.pages[2].extract_text()
    assert f"broken: {bad}/answers/02-bad.yaml:3: '9' is not an option of question 'f1'" in run.stderr
    rows = {line.split("│")[1].strip(): line for line in run.stdout.splitlines() if line.startswith("│ ")
            and line.split("│")[1].strip()}
    assert "1 bad input" in rows["broken"]
    assert "no answers yet" in rows["new"]
    assert "2 │" in rows["alba"]  # two respondents
    assert "[3/3]" in run.stderr  # progress, one line per client when stderr is not a terminal


def batch_of_one(folder: Path) -> Outcome:
    """``run_batch([find_project(folder)], Options())``: a batch of one reports in this process."""
    project = find_project(folder)
    assert project is not None
    with weasyprint_logs_nothing():
        [outcome] = run_batch([project], Options())
    return outcome


def named_client(folder: Path) -> Path:
    """A client folder whose site names the client, with another plugin's tags in mkdocs.yml, and
    the duo bank of its own."""
    made = cli("init", str(folder), "--client", "Acme <Norte> S.A.")
    assert made.returncode == 0, made.stderr
    with (folder / "mkdocs.yml").open("a", encoding="utf-8") as config:  # other plugins' tags do not get in the way
        config.write("markdown_extensions:\n  - pymdownx.emoji:\n"
                     "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    duo_bank(folder / "bank")
    return folder


@pytest.fixture(scope="session")
@shared
def unanswered_client(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Outcome]:
    """A client nobody has answered yet, reported."""
    acme = named_client(tmp_path_factory.mktemp("unanswered") / "acme")
    return acme, batch_of_one(acme)


@pytest.fixture(scope="session")
@shared
def answered_client(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Outcome]:
    """The same, with one answer file (which names the organisation), a plan and a baseline, reported."""
    alba = named_client(tmp_path_factory.mktemp("answered") / "alba")
    duo_team(alba / "answers" / "team.yaml", "Muebles Alba S.L.")
    write_yaml(alba / "plan.yaml", {"actions": [{"id": "window", "title": "Renew the window", "questions": ["f1"],
                                                 "quarter": "2027-Q1", "one_off_cost": 1000, "yearly_cost": 0,
                                                 "yearly_benefit": 800}]})
    duo_team(alba / "baseline" / "team.yaml", "Muebles Alba S.L.", submitted=False)
    return alba, batch_of_one(alba)


def test_a_client_folder_is_a_batch_of_one(answered_client: tuple[Path, Outcome]) -> None:
    alba, outcome = answered_client
    project = find_project(alba)
    assert project is not None and project.plan == alba / "plan.yaml" and project.baseline == alba / "baseline"
    assert project.bank == alba / "bank" and project.brand == alba / "brand.yaml"
    assert find_projects(alba) == [project]
    assert outcome.ok and outcome.respondents == 2
    assert outcome.pdf == str(alba / "report.pdf")
    text = subprocess.run(["pdftotext", str(alba / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Plan de acción y retorno" in text and "Evolución desde la auditoría anterior" in text


def test_the_client_is_named_from_the_site_until_the_answers_name_it(
        unanswered_client: tuple[Path, Outcome], answered_client: tuple[Path, Outcome]) -> None:
    acme, outcome = unanswered_client
    project = find_project(acme)
    assert project is not None and project.client == "Acme <Norte> S.A."
    assert outcome.ok and outcome.respondents == 0
    cover = PdfReader(acme / "report.pdf").pages[0].extract_text()
    assert "Acme <Norte> S.A." in cover and "Organización sin nombre" not in cover

    alba, outcome = answered_client  # the same site, and an answer file that names its organisation
    project = find_project(alba)
    assert project is not None and project.client == "Acme <Norte> S.A." and outcome.respondents == 2
    cover = PdfReader(alba / "report.pdf").pages[0].extract_text()
    assert "Muebles Alba S.L." in cover and "Acme <Norte> S.A." not in cover  # (the subtitle is spaced capitals)


# -- the orchestration, with a stand-in for the report ------------------------------------

def stand_in(project: Project, output: Path, options: Options) -> Written:
    """A report in a few bytes, written by whichever process runs it.

    A client whose folder name ends in ``-bad`` has bad input, ``-crash`` hits a bug and
    ``-die`` kills the worker process it runs in.
    """
    if project.name.endswith("-bad"):
        raise InputError([Problem(str(project.answers / "x.yaml"), 3, f"{project.name} is bad input")])
    if project.name.endswith("-crash"):
        raise RuntimeError(f"{project.name} crashed")
    if project.name.endswith("-die"):
        os._exit(7)
    answers = sorted(p.name for p in project.answers.iterdir())
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(f"{project.name} {os.getpid()} {options.lang} {options.date}\n", encoding="utf-8")
    return Written(output, None, 1, [], respondents=len(answers), score=50.0 if answers else None,
                   level="mid" if answers else None)


def clients(root: Path, *names: str) -> list[Project]:
    for name in names:
        (root / name / "answers").mkdir(parents=True)
    (root / "notes").mkdir(exist_ok=True)  # not a client folder
    return find_projects(root)


@dataclass
class StandInBatch:
    projects: list[Project]
    outcomes: list[Outcome]
    seen: list[str]
    out: Path


@made_while_testing
def stand_in_batch(root: Path) -> StandInBatch:
    """Eight clients on two worker processes that retire after two reports each: good ones,
    one with bad input, one that crashes and one that kills its worker."""
    projects = clients(root / "clients", "a-ok", "b-bad", "c-crash", "d-ok", "e-die", "f-ok", "g-ok", "h-ok")
    (root / "clients" / "d-ok" / "answers" / "1.yaml").write_text("{}", encoding="utf-8")
    seen: list[str] = []
    outcomes = run_batch(projects, Options(lang="en"), out_dir=root / "out", jobs=2, tasks_per_worker=2,
                         done=lambda o: seen.append(o.client), reporter=stand_in)
    return StandInBatch(projects, outcomes, seen, root / "out")


def test_outcomes_come_in_order_and_a_bad_client_never_stops_the_others(stand_in_batch: StandInBatch) -> None:
    outcomes, out = stand_in_batch.outcomes, stand_in_batch.out
    assert [o.client for o in outcomes] == ["a-ok", "b-bad", "c-crash", "d-ok", "e-die", "f-ok", "g-ok", "h-ok"]
    by_name = {o.client: o for o in outcomes}
    assert [o.client for o in outcomes if o.ok] == ["a-ok", "d-ok", "f-ok", "g-ok", "h-ok"]
    assert by_name["b-bad"].problems == [f"{out.parent}/clients/b-bad/answers/x.yaml:3: b-bad is bad input"]
    assert by_name["b-bad"].failure is None and by_name["b-bad"].pdf is None
    failure = by_name["c-crash"].failure
    assert failure is not None and "RuntimeError: c-crash crashed" in failure and not by_name["c-crash"].problems
    assert by_name["d-ok"].respondents == 1 and by_name["d-ok"].score == 50.0 and by_name["a-ok"].respondents == 0
    assert sorted(p.name for p in out.iterdir()) == ["a-ok.pdf", "d-ok.pdf", "f-ok.pdf", "g-ok.pdf", "h-ok.pdf"]
    for o in outcomes:
        if o.ok:  # written by the worker process that reported it, with the batch's options
            assert o.pdf == str(out / f"{o.client}.pdf")
            assert Path(o.pdf).read_text(encoding="utf-8") == f"{o.client} {o.worker} en None\n"
            assert o.worker != os.getpid() and o.peak_kib > 0


def test_workers_are_replaced_and_every_client_is_reported(stand_in_batch: StandInBatch) -> None:
    # two workers that retire after two reports each: every client is reported (none left
    # waiting for a worker that never comes), by at least four worker processes
    outcomes = stand_in_batch.outcomes
    assert sorted(stand_in_batch.seen) == sorted(p.name for p in stand_in_batch.projects)
    workers = [o.worker for o in outcomes if o.worker]  # (a worker that died reports nothing)
    assert len(workers) == 7 and len(set(workers)) >= 4
    assert max(workers.count(w) for w in workers) <= 2
    assert all(o.pages > 0 for o in outcomes if o.ok)


def test_a_worker_that_dies_fails_its_client_only(stand_in_batch: StandInBatch) -> None:
    died = next(o for o in stand_in_batch.outcomes if o.client == "e-die")
    assert died.failure is not None and "BrokenProcessPool" in died.failure and not died.problems
    assert not (stand_in_batch.out / "e-die.pdf").exists()
    assert all(o.ok for o in stand_in_batch.outcomes if o.client > "e-die")  # the clients after it: reported


def test_one_job_reports_in_this_process(tmp_path: Path) -> None:
    projects = clients(tmp_path / "clients", "a-ok", "b-bad", "c-crash", "d-ok")
    outcomes = run_batch(projects, Options(), jobs=1, reporter=stand_in)
    assert [(o.client, o.ok, o.worker) for o in outcomes] == [
        ("a-ok", True, os.getpid()), ("b-bad", False, os.getpid()), ("c-crash", False, os.getpid()),
        ("d-ok", True, os.getpid())]
    # without -o, each report goes into its client's folder
    assert outcomes[0].pdf == str(report_path(projects[0], None)) == str(tmp_path / "clients" / "a-ok" / "report.pdf")


@pytest.fixture
def stand_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """``report --batch`` reports with :func:`stand_in`."""
    monkeypatch.setattr(batch, "run_batch", functools.partial(run_batch, reporter=stand_in))


@pytest.mark.parametrize(("names", "status"), [
    (["a-ok", "b-ok"], 0),
    (["a-ok", "b-bad", "c-ok"], 2),
    (["a-ok", "b-bad", "c-crash", "d-ok"], 1),  # a bug outranks bad input
    (["c-crash"], 1),
])
def test_exit_status_of_a_batch(stand_in_batches: None, tmp_path: Path, names: list[str], status: int) -> None:
    clients(tmp_path / "clients", *names)
    out = tmp_path / "out"
    run = cli("report", "--batch", str(tmp_path / "clients"), "-o", str(out), "--jobs", "1", "--lang", "en",
              "--date", "2026-11-30")
    assert run.returncode == status, run.stderr
    written = [n for n in names if n.endswith("-ok")]
    assert sorted(p.name for p in out.iterdir()) == [f"{n}.pdf" for n in written]
    assert all((out / f"{n}.pdf").read_text(encoding="utf-8").endswith(" en 2026-11-30\n") for n in written)
    if "b-bad" in names:
        assert f"b-bad: {tmp_path}/clients/b-bad/answers/x.yaml:3: b-bad is bad input\n" in run.stderr
    if "c-crash" in names:
        assert "c-crash: " in run.stderr and "RuntimeError: c-crash crashed" in run.stderr
    assert f"[{len(names)}/{len(names)}]" in run.stderr
    assert all(f"│ {n} " in run.stdout for n in names)  # the summary has a row per client


def test_batch_usage_errors(tmp_path: Path) -> None:
    run = cli("report", "--batch", str(tmp_path), str(DEMO))
    assert run.returncode == 2 and "--batch takes each client's inputs from its folder; drop RESPONSES" in run.stderr
    run = cli("report", "--batch", str(tmp_path))
    assert run.returncode == 2
    assert run.stderr == f"{tmp_path}:1: no client folders here; expected folders with an answers/ folder, as " \
                         "'loyalty-audit init' makes them\n"
    run = cli("report", "-o", str(tmp_path / "x.pdf"))
    assert run.returncode == 2 and "expected RESPONSES" in run.stderr
    (tmp_path / "old.pdf").write_bytes(b"%PDF- keep me")
    run = cli("report", "--batch", str(tmp_path), "-o", str(tmp_path / "old.pdf"))
    assert run.returncode == 2 and "old.pdf is a file; with --batch, -o is the folder" in run.stderr
    assert (tmp_path / "old.pdf").read_bytes() == b"%PDF- keep me"


def test_outcome_of_a_client_that_failed_is_not_ok() -> None:
    assert Outcome("x").ok and not Outcome("x", problems=["p"]).ok and not Outcome("x", failure="tb").ok
