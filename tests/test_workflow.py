"""From ``init`` to a costed follow-up report, as the README tells a consultant to go."""

from __future__ import annotations

import csv
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.read.bank import load_bank

from .conftest import DEMO, ROOT, cli, write_yaml
from .reporting import duo_bank, flat, pdftotext
from .test_form import fill

sys.path.insert(0, str(ROOT / "tests" / "vectors"))
from random_answers import random_entry, random_file


def ok(*args: str, cwd: Path | None = None) -> str:
    run = cli(*args, cwd=cwd)
    assert run.returncode == 0, run.stderr
    return run.stdout


@dataclass
class DemoClient:
    folder: Path
    scores: str  # what score --format json --baseline printed
    batch: str  # what report --batch printed


@pytest.fixture(scope="session")
def demo_client(tmp_path_factory: pytest.TempPathFactory) -> DemoClient:
    """The demo's client taken through the README's steps, one command after the other (in this
    process: WeasyPrint's caches stay warm; the commands in processes of their own are the
    batch tests' and test_cli's)."""
    alba = tmp_path_factory.mktemp("demo-client") / "alba"
    ok("init", str(alba), "--client", "Muebles Alba S.L.", "--consultancy", "Norte Consultores",
       "--baseline", str(ROOT / "examples" / "demo-2025"))
    for path in sorted(DEMO.glob("*.yaml"))[:4]:
        shutil.copy(path, alba / "answers")
    shutil.copy(ROOT / "examples" / "demo-plan.yaml", alba / "plan.yaml")
    # the fifth person will not use the website: a PDF form, filled and read back into answers/
    ok("form", "--profile", "channel=both", "--profile", "market=b2c", "-o", "questionnaire.pdf", cwd=alba)
    fill(alba / "questionnaire.pdf", alba / "filled.pdf", {"respondent.name": "Andrés Molina",
                                                          "respondent.department": "operations",
                                                          "organisation": "Muebles Alba S.L.",
                                                          "answer.bo-delivery-days": "12",
                                                          "answer.bo-delivery-tracking": "1"})
    ok("import-form", "filled.pdf", "-o", "answers/05-operaciones.json", cwd=alba)
    scores = ok("score", "--format", "json", "--baseline", "baseline", "answers", cwd=alba)
    ok("export", "answers", "-o", "audit.xlsx", cwd=alba)
    return DemoClient(alba, scores, ok("report", "--batch", ".", cwd=alba))


def test_demo_client_from_init_to_costed_follow_up(demo_client: DemoClient) -> None:
    alba = demo_client.folder
    scores = json.loads(demo_client.scores)
    assert scores["respondents"] == 5 and scores["baseline"]["respondents"] == 5
    assert scores["baseline"]["overall"]["change"] == scores["overall"]["score"] - \
        scores["baseline"]["overall"]["baseline"]
    sheet = load_workbook(alba / "audit.xlsx").worksheets[0]  # the scores (named in the bank's first language)
    assert next(sheet.iter_rows(min_row=2, values_only=True))[3] == scores["overall"]["score"]
    out = demo_client.batch
    assert "alba" in out and f"{scores['overall']['score']:.1f}" in out
    text = flat(pdftotext(alba / "report.pdf"))
    assert "Plan de acción y retorno" in text and "No se amortiza" in text
    assert "Evolución desde la auditoría anterior" in text
    assert "Norte Consultores" in text
    # what the baseline held that no longer fits is in the data pack, with its id in the technical annex
    pack = flat(pdftotext(alba / "appendix.pdf"))
    assert "bo-catalogue-mailing La pregunta ya no está en el banco" in pack
    assert "bo-catalogue-mailing" not in text


@pytest.fixture(scope="session")
def generated_clients(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Two clients of three generated respondents each, reported in one batch (in English, dated):
    the clients' folder and what the batch printed. Each client has the duo bank of its own (the
    default bank's batch is the demo client's above)."""
    clients = tmp_path_factory.mktemp("generated") / "clients"
    rng = random.Random(7)
    for name in ("north", "south"):
        ok("init", str(clients / name), "--client", name.title())
        bank = load_bank(duo_bank(clients / name / "bank"))
        for i in range(3):
            data = random_file(bank, rng, i, organisation=name.title())
            data["bank_version"] = bank.version
            write_yaml(clients / name / "answers" / f"{i}.yaml", data)
    # (one report after the other, in this process: test_batch runs worker processes)
    done = cli("report", "--batch", str(clients), "--lang", "en", "--date", "2026-11-30", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    progress = done.stderr.splitlines()  # one line per client, and nothing else
    assert [line.split(":")[0] for line in progress] == ["[1/2] north", "[2/2] south"], done.stderr
    return clients, done.stdout


def test_generated_clients_in_one_batch(generated_clients: tuple[Path, str], tmp_path: Path) -> None:
    clients, out = generated_clients
    for name in ("north", "south"):
        bank, answers = str(clients / name / "bank"), str(clients / name / "answers")
        expected = json.loads(ok("score", "--bank", bank, "--format", "json", answers))
        row = next(line for line in out.splitlines() if line.startswith(f"│ {name} "))
        score = expected["overall"]["score"]
        assert ("—" if score is None else f"{score:.1f}") in row
        assert "30 November 2026" in pdftotext(clients / name / "report.pdf")
        ok("export", "--bank", bank, answers, "-o", str(tmp_path / f"{name}.csv"))
        overall = list(csv.reader((tmp_path / f"{name}.csv").read_text(encoding="utf-8").splitlines()))[2]
        # the first row under the header is the overall one: no area, no section
        assert overall[1:3] == ["", ""] and overall[3] == ("" if score is None else repr(score))


@pytest.fixture(scope="session")
def generated_form(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """The form for a generated profile (the first draws of random.Random(11)) and the profile."""
    bank = load_bank(ROOT / "questions")
    rng = random.Random(11)
    profile = {pq.id: rng.choice([o.key for o in pq.options]) for pq in bank.profile}
    blank = tmp_path_factory.mktemp("generated-form") / "form.pdf"
    ok("form", *[f"--profile={k}={v}" for k, v in profile.items()], "-o", str(blank))
    return profile, blank


def test_generated_respondent_through_the_pdf_form(generated_form: tuple[dict[str, str], Path],
                                                   tmp_path: Path) -> None:
    """A random respondent typed into the fillable form comes back with the same answers and scores."""
    bank = load_bank(ROOT / "questions")
    rng = random.Random(11)
    profile = {pq.id: rng.choice([o.key for o in pq.options]) for pq in bank.profile}
    form_profile, blank = generated_form
    assert form_profile == profile
    asked = {name.split(".", 1)[1].split(":")[0] for name in PdfReader(blank).get_fields() or {}
             if name.startswith(("answer.", "option.", "na."))}
    questions = {q.id: q for _, _, q in bank.questions()}
    # the first generated respondent who answers enough of the form (generated teams are sometimes sparse);
    # what a form can hold: the questions it asks, a multi answer with at least one option ticked
    for index in range(40):
        entry = random_entry(bank, rng, index)
        answers = {qid: v for qid, v in entry["answers"].items() if qid in asked and v != []}
        if len(answers) > 20 and "dont_know" in answers.values():
            break
    comments = {qid: c for qid, c in entry.get("comments", {}).items() if qid in asked}
    assert len(answers) > 20 and {questions[q].type for q in answers} >= {"scale", "choice", "multi", "number"}
    values = {"respondent.name": "Persona generada", "respondent.department": bank.departments[1].key,
              **{f"comment.{qid}": text for qid, text in comments.items()}}
    for qid, value in answers.items():
        if value in ("na", "dont_know"):
            values[f"{value}.{qid}"] = "on"
        elif questions[qid].type == "multi":
            values.update({f"option.{qid}:{key}": "on" for key in value})
        else:
            values[f"answer.{qid}"] = str(value)
    ok("import-form", str(fill(blank, tmp_path / "filled.pdf", values)), "-o", str(tmp_path / "imported.json"))
    imported = json.loads((tmp_path / "imported.json").read_text(encoding="utf-8"))

    def normal(qid: str, value: Any) -> Any:
        if value in ("na", "dont_know"):
            return value
        if questions[qid].type == "multi":
            return sorted(value)
        return value if questions[qid].type in ("number", "text") else str(value)

    assert {q: normal(q, v) for q, v in imported["answers"].items()} == {q: normal(q, v) for q, v in answers.items()}
    assert imported["comments"] == comments and imported["profile"] == profile
    typed = write_yaml(tmp_path / "typed.yaml", {
        "bank": bank.id, "bank_version": bank.version, "language": "es", "profile": profile,
        "respondent": {"name": "Persona generada", "department": bank.departments[1].key},
        "answers": answers, "comments": comments})
    assert json.loads(ok("score", "--format", "json", str(tmp_path / "imported.json"))) == \
        json.loads(ok("score", "--format", "json", str(typed)))
