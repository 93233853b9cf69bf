"""The command line end to end, for the fixed forms of SPEC §7: in this process, and as the installed
command in processes of its own where the process itself is what is tested."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import yaml

from audit.engine.score import score
from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.write.schema import schemas

from .conftest import MINI, ROOT, cli, make_bank, process, respondent, write_yaml

DEMO = ROOT / "examples" / "demo"
INSTALLED = Path(sys.executable).with_name("loyalty-audit")  # the console script pip installed


def installed(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(INSTALLED), *args], capture_output=True, text=True, check=False)


def test_validate_default_bank() -> None:
    done = installed("validate")
    assert done.returncode == 0, done.stderr
    bank = load_bank()
    n = len(bank.questions())
    assert f"bank loyalty-audit {bank.version} is valid: 3 areas, {len(bank.sections())} sections, {n} questions" \
        in done.stdout
    assert "languages es, en" in done.stdout


def test_score_json_is_the_engine_result() -> None:
    done = cli("score", "--format", "json", str(DEMO))
    assert done.returncode == 0, done.stderr
    bank = load_bank()
    expected = score(bank, load_responses([DEMO], bank)).to_json()
    assert json.loads(done.stdout) == json.loads(json.dumps(expected))


def test_demo_tells_its_story() -> None:
    data = json.loads(cli("score", "--format", "json", str(DEMO)).stdout)
    assert data["organisation"] == "Muebles Alba S.L." and data["respondents"] == 5
    assert data["areas"]["front_office"]["score"] - data["areas"]["back_office"]["score"] >= 15
    assert data["sections"]["alignment"]["flagged"]
    assert {"back-office-gap", "departments-disagree", "planning-ignores-costs"} <= set(data["diagnoses"])
    assert list(data["departments"]) == ["management", "marketing", "sales", "customer_service", "operations"]


def test_score_table_and_csv() -> None:
    table = cli("score", "--bank", str(MINI), str(ROOT / "tests" / "data" / "mini-answers"))
    assert table.returncode == 0, table.stderr
    assert "Overall" in table.stdout and "Top recommendations" in table.stdout
    done = cli("score", "--bank", str(MINI), "--format", "csv", str(ROOT / "tests" / "data" / "mini-answers"))
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    data = json.loads(cli("score", "--bank", str(MINI), "--format", "json",
                          str(ROOT / "tests" / "data" / "mini-answers")).stdout)
    overall = next(r for r in rows if r["kind"] == "overall")
    assert float(overall["score"]) == data["overall"]["score"]
    sections = {r["id"]: r for r in rows if r["kind"] == "section"}
    assert set(sections) == set(data["sections"])
    assert all(float(sections[k]["score"]) == v["score"] for k, v in data["sections"].items())
    depts = {(r["department"], r["id"]) for r in rows if r["kind"].startswith("department")}
    assert ("ops", "s1") in depts and ("sales", "overall") in depts


def test_score_csv_never_hands_a_spreadsheet_a_formula(tmp_path: Path) -> None:
    questions = [{"id": "q1", "type": "scale", "text": "=HYPERLINK(\"x\")", "scale": "two"}]
    sections = [{"id": "sec", "title": "-Entrega\n=1+1", "questions": questions}]
    make_bank(tmp_path / "bank", questions, sections=sections, departments=[])
    team = write_yaml(tmp_path / "team.yaml", {"bank": "test", "respondents": [
        respondent({"q1": 1}, department="@ops"), respondent({"q1": 0}, department="@ops")]})
    done = cli("score", "--bank", str(tmp_path / "bank"), "--format", "csv", str(team))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    titles = {r["id"]: r["title"] for r in rows if not r["kind"].startswith("department")}
    assert titles["q1"] == "'=HYPERLINK(\"x\")" and titles["sec"] == "'-Entrega\n'=1+1"
    assert {r["department"] for r in rows if r["kind"].startswith("department")} == {"'@ops"}
    assert float(next(r for r in rows if r["kind"] == "overall")["score"]) == 50.0  # numbers untouched


def test_template_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "blank.yaml"
    done = cli("template", "--bank", str(MINI), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "# Question 4" in text and "number days (0..30)" in text
    blank = cli("score", "--bank", str(MINI), "--format", "json", str(out))
    assert blank.returncode == 0, blank.stderr
    assert json.loads(blank.stdout)["overall"]["completion"] == 0.0
    filled = text.replace("  q1:\n", "  q1: 2\n").replace("  q4:\n", "  q4: 0.5\n").replace(
        "  department:\n", "  department: ops\n")
    out.write_text(filled)
    data = json.loads(cli("score", "--bank", str(MINI), "--format", "json", str(out)).stdout)
    assert data["questions"]["q1"]["score"] == 100.0 and data["questions"]["q4"]["score"] == 100.0
    assert list(data["departments"]) == ["ops"]


def test_template_of_default_bank_in_english(tmp_path: Path) -> None:
    out = tmp_path / "blank.yaml"
    assert cli("template", "--lang", "en", "-o", str(out)).returncode == 0
    blank = out.read_text()
    data = yaml.safe_load(blank)
    assert data["bank"] == "loyalty-audit" and data["language"] == "en"
    assert set(data["answers"]) == {q.id for *_, q in load_bank().questions()}
    bad = process("template", "--lang", "fr", "-o", str(out))
    assert bad.returncode == 2
    assert bad.stderr == f"{ROOT / 'questions' / 'bank.yaml'}:7: --lang fr: the bank has no texts in 'fr'; " \
                         "expected one of its languages: es, en\n"
    assert out.read_text() == blank  # left as it was


def test_usage_errors_exit_2() -> None:
    assert process("score").returncode == 2
    assert process("score", "--format", "xml", str(DEMO)).returncode == 2
    assert cli("score", "--format", "xml", str(DEMO)).returncode == 2  # in this process as well


def test_version_of_the_installed_command_and_of_python_m_audit() -> None:
    from audit import __version__

    for done in (installed("--version"), process("--version")):
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"loyalty-audit, version {__version__}\n"


def test_schemas_are_current() -> None:
    for name, text in schemas().items():
        committed = ROOT / "schemas" / name
        assert committed.read_text() == text, f"{name} is stale: run python -m audit.schema"


def test_schemas_accept_the_default_bank_and_demo() -> None:
    import jsonschema

    docs = {name: json.loads(text) for name, text in schemas().items()}
    questions = ROOT / "questions"
    bank = yaml.safe_load((questions / "bank.yaml").read_text())
    jsonschema.validate(bank, docs["bank.schema.json"])
    for area in bank["areas"]:
        jsonschema.validate(yaml.safe_load((questions / area).read_text()), docs["area.schema.json"])
    for path in sorted(DEMO.glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), docs["response.schema.json"])


def test_readme_answers_example_scores(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Answers", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "answers.yaml").write_text(block)
    done = cli("score", "--format", "json", str(tmp_path / "answers.yaml"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["questions"]["bo-payment-methods"]["answered"] == 1
