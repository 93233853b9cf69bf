"""``report --batch``: many clients at once, one bad client never stopping the others."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from audit.run.batch import run_batch
from audit.read.project import find_project, find_projects

from .conftest import ROOT

DEMO = ROOT / "examples" / "demo"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, check=False,
                          cwd=cwd)


def client(root: Path, name: str, *answers: Path) -> Path:
    run = cli("init", str(root / name), "--client", name.title())
    assert run.returncode == 0, run.stderr
    for path in answers:
        shutil.copy(path, root / name / "answers" / path.name)
    return root / name


def test_one_bad_client_never_stops_the_others(tmp_path: Path) -> None:
    clients = tmp_path / "clients"
    client(clients, "alba", *sorted(DEMO.glob("*.yaml"))[:2])
    bad = client(clients, "broken", DEMO / "01-direccion.yaml")
    (bad / "answers" / "02-bad.yaml").write_text("bank: loyalty-audit\nanswers:\n  fo-shop-window: 9\n",
                                                 encoding="utf-8")
    client(clients, "new")  # nobody has answered yet: it still gets its report
    (clients / "notes").mkdir()  # not a client folder: ignored
    out = tmp_path / "out"
    run = cli("report", "--batch", str(clients), "-o", str(out), "--jobs", "2")
    assert run.returncode == 2, run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["alba.pdf", "new.pdf"]
    assert len(PdfReader(out / "alba.pdf").pages) > 20
    assert f"broken: {bad}/answers/02-bad.yaml:3: '9' is not an option of question 'fo-shop-window'" in run.stderr
    rows = {line.split("│")[1].strip(): line for line in run.stdout.splitlines() if line.startswith("│ ")
            and line.split("│")[1].strip()}
    assert "1 bad input" in rows["broken"]
    assert "no answers yet" in rows["new"]
    assert "2 │" in rows["alba"]  # two respondents
    assert "[3/3]" in run.stderr  # progress, one line per client when stderr is not a terminal


def test_a_client_folder_is_a_batch_of_one(tmp_path: Path) -> None:
    alba = client(tmp_path, "alba", DEMO / "03-ventas.yaml")
    shutil.copy(ROOT / "examples" / "demo-plan.yaml", alba / "plan.yaml")
    (alba / "baseline").mkdir()
    shutil.copy(ROOT / "examples" / "demo-2025" / "03-ventas.yaml", alba / "baseline")
    project = find_project(alba)
    assert project is not None and project.plan == alba / "plan.yaml" and project.baseline == alba / "baseline"
    assert project.bank is None and project.brand == alba / "brand.yaml"
    assert find_projects(alba) == [project]
    [outcome] = run_batch([project])
    assert outcome.ok and outcome.respondents == 1
    text = subprocess.run(["pdftotext", str(alba / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Plan de acción y retorno" in text and "Evolución desde la auditoría anterior" in text


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


def test_the_client_is_named_from_the_site_until_the_answers_name_it(tmp_path: Path) -> None:
    acme = tmp_path / "acme"
    assert cli("init", str(acme), "--client", "Acme <Norte> S.A.").returncode == 0
    with (acme / "mkdocs.yml").open("a", encoding="utf-8") as config:  # other plugins' tags do not get in the way
        config.write("markdown_extensions:\n  - pymdownx.emoji:\n"
                     "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    project = find_project(acme)
    assert project is not None and project.client == "Acme <Norte> S.A."
    [outcome] = run_batch([project])
    assert outcome.ok and outcome.respondents == 0
    cover = PdfReader(acme / "report.pdf").pages[0].extract_text()
    assert "Acme <Norte> S.A." in cover and "Organización sin nombre" not in cover

    shutil.copy(DEMO / "01-direccion.yaml", acme / "answers")  # names its organisation
    [outcome] = run_batch([project])
    cover = PdfReader(acme / "report.pdf").pages[0].extract_text()
    assert "Muebles Alba S.L." in cover and "Acme <Norte> S.A." not in cover  # (the subtitle is spaced capitals)


def test_workers_are_replaced_and_every_client_is_reported(tmp_path: Path) -> None:
    # five clients on two workers that retire after two reports each: at least three worker
    # processes, and no client left waiting for a worker that never comes
    clients = tmp_path / "clients"
    for n in range(5):
        client(clients, f"c{n}")
    seen: list[str] = []
    outcomes = run_batch(find_projects(clients), out_dir=tmp_path / "out", jobs=2, tasks_per_worker=2,
                         done=lambda o: seen.append(o.client))
    assert [o.client for o in outcomes] == [f"c{n}" for n in range(5)]
    assert all(o.ok and o.pages > 0 for o in outcomes)
    assert sorted(seen) == [f"c{n}" for n in range(5)]
    assert len({o.worker for o in outcomes}) >= 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"c{n}.pdf" for n in range(5)]
