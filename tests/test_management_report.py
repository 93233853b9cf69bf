"""The management report and its data pack: the decision first, respondents protected, thin
evidence said plainly, any bank treated alike, the consultant's findings, two PDFs per run."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from audit.engine.payback import plan_of
from audit.engine.score import score
from audit.errors import InputError
from audit.model.brand import Brand
from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.read.findings import load_findings
from audit.read.messages import load_messages
from audit.read.plan import load_plan
from audit.run.options import Options
from audit.run.report import build_report
from audit.write.formats import money, number
from audit.write.messages import Words
from audit.write.report.html import APPENDIX_TEMPLATE, default_templates_dir, render_html
from audit.write.report.view import report_context

from .conftest import (
    DEMO,
    ROOT,
    DuoFiles,
    checked,
    cli,
    make_bank,
    respondent,
    score_team,
    shared,
    weasyprint_logs_nothing,
    write_yaml,
)
from .reporting import duo_bank, duo_team, flat, pages, pdftotext, weasyprint_silent  # noqa: F401

BANK = ROOT / "questions"


def model_bank(folder: Path) -> Path:
    """A maturity model written by someone else: 5 areas of 3 sections of 6 questions (90), one
    scale, number questions with bands, two rules, no departments and no profile."""
    scale = [{"key": k, "label": label, "score": k / 3} for k, label in
             enumerate(["Ad hoc", "Repeatable", "Managed", "Optimised"])]
    areas = []
    for a in range(1, 6):
        sections = []
        for s in range(1, 4):
            questions: list[dict[str, Any]] = []
            for q in range(1, 7):
                ident = f"p{a}-s{s}-q{q}"
                if q == 6:
                    questions.append({"id": ident, "type": "number", "text": f"Days to close finding {a}.{s}",
                                      "unit": "days", "range": [0, 365],
                                      "bands": [{"max": 7, "score": 1}, {"max": 30, "score": 0.5}, {"score": 0}],
                                      "kpis": [f"Days to close ({a}.{s})"]})
                else:
                    questions.append({"id": ident, "scale": "cmm", "text": f"Practice {a}.{s}.{q} is in place?",
                                      "suggestion": f"Formalise practice {a}.{s}.{q}.",
                                      "effort": ["low", "medium", "high"][q % 3]})
            sections.append({"id": f"p{a}-s{s}", "title": f"Practice {a}.{s}", "questions": questions})
        areas.append({"id": f"pillar-{a}", "title": f"Pillar {a}", "sections": sections})
    bank = make_bank(folder, [], areas=areas, scales={"cmm": scale}, departments=[],
                     rules=[{"id": "pillar-5-weak", "when": [{"score": "pillar-5", "below": 60}],
                             "focus": ["pillar-5"], "title": "Pillar 5 holds everything back",
                             "text": "Pillar 5 is the weakest. Fix it first."},
                            {"id": "overall-low", "when": [{"score": "overall", "below": 70}],
                             "title": "Overall maturity is low"}])
    assert len(bank.questions()) == 90 and len(bank.sections()) == 15
    return folder


def model_team(path: Path) -> Path:
    answers: list[dict[str, Any]] = []
    for n in range(3):
        given: dict[str, Any] = {}
        for a in range(1, 6):
            for s in range(1, 4):
                for q in range(1, 7):
                    ident = f"p{a}-s{s}-q{q}"
                    given[ident] = [5, 20, 60][(a + n) % 3] if q == 6 else min(3, max(0, 4 - a + (q + n) % 2))
        answers.append(respondent(given, name=f"Person {n}", comments={"p5-s1-q1": f"Nobody owns it ({n})."}))
    return write_yaml(path, {"bank": "test", "bank_version": "1", "organisation": "Other Co",
                             "respondents": answers})


@pytest.fixture(scope="session")
@shared
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """That bank's report and data pack for that team, and the team's scores."""
    folder = tmp_path_factory.mktemp("model")
    bank, team = model_bank(folder / "bank"), model_team(folder / "team.yaml")
    report, pack = folder / "report.pdf", folder / "pack.pdf"
    with weasyprint_logs_nothing():
        build_report([team], Options(bank=bank), output=report, appendix=pack)
    done = cli("score", "--bank", str(bank), "--format", "json", str(team))
    assert done.returncode == 0, done.stderr
    return report, pack, json.loads(done.stdout)


def test_a_bank_we_did_not_write_gets_only_what_it_declares(model: tuple[Path, Path, dict[str, Any]]) -> None:
    report, pack, scores = model
    text, data = flat(pdftotext(report)), flat(pdftotext(pack))
    # no departments declared: no departmental part, no divergence, no legend about departments
    for words in ("department", "Department", "divergence", "Divergence", "No department"):
        assert words not in text and words not in data, words
    # no profile: no profile text; the method explains only the types and the scale in use
    assert "profile" not in text and "profile" not in data
    assert "Scale: each option has its own value" in data and "Number: the value depends on the band" in data
    assert "Ad hoc = 0 · Repeatable = 33.3 · Managed = 66.7 · Optimised = 100" in data
    for absent in ("Multiple choice", "Free text", "Single choice", "Does not exist", "shop"):
        assert absent not in data, absent
    # no area is drawn against target because of its name; the headline compares no areas
    assert "dimensions against target" not in text
    assert scores["diagnoses"][0] == "pillar-5-weak"
    summary = flat(pages(report)[2])
    assert "HEADLINE DIAGNOSIS Pillar 5 holds everything back" in summary
    pillar5 = scores["areas"]["pillar-5"]["score"]
    assert f"Pillar 5 {pillar5:.1f} out of 100" in summary
    assert "Days to close (5.1) 5–60 days · according to 3 respondents · good: ≤ 7 days" in summary
    assert "Nobody owns it (0)." in summary
    # initiatives come from the focus: pillar 5's sections, with the CLI's gains
    second = flat(pages(report)[3])
    recs = scores["recommendations"]
    for found, shown in zip(re.findall(r"\(#([\d, ]+) in the data pack\)", second),
                            re.findall(r"\+(\d+\.\d)\b", second), strict=True):
        group = [int(n) for n in found.split(", ")]
        assert all(recs[n - 1]["question"].startswith("p5-") for n in group)
        assert shown == f"{sum(recs[n - 1]['gain'] for n in group):.1f}"
    # every question's answers in the data pack, as one bar with no zero rows
    assert "Practice 1.1.1 is in place?" in data and "Ad hoc 0" not in data
    assert len(PdfReader(report).pages) <= 15


def test_no_name_reaches_the_client_unless_asked(tmp_path: Path, model: tuple[Path, Path, dict[str, Any]],
                                                  duo_reports: dict[str, Path], duo_files: DuoFiles) -> None:
    report, pack, _ = model
    for pdf in (report, pack, duo_reports["es"], duo_reports["es"].with_name("es-appendix.pdf")):
        text = flat(pdftotext(pdf))
        assert "Person " not in text and "Ana" not in text and " Bo " not in text
        reader = PdfReader(pdf)
        attached = b"".join(data for files in reader.attachments.values() for data in files)
        assert b"Person " not in attached and b"Ana" not in attached
    # asked: the data pack names each respondent and the file that holds their answers
    named = tmp_path / "pack.pdf"
    done = cli("report", "--bank", str(duo_files.bank), "-o", str(tmp_path / "r.pdf"), "--appendix", str(named),
               "--name-respondents", str(duo_files.team))
    assert done.returncode == 0, done.stderr
    text = flat(pdftotext(named))
    assert "Ana" in text and " Bo " in text and "team.yaml" in text


def _words(lang: str) -> Words:
    return Words(lang, load_messages([default_templates_dir()]))


def test_quotes_carry_a_department_only_when_it_is_big_enough(tmp_path: Path) -> None:
    areas = [{"id": "a", "title": "A", "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "q", "scale": "two", "suggestion": "Do it."}]}]}]
    rules = [{"id": "low", "when": [{"score": "a", "below": 60}], "focus": ["a"], "title": "A is low"}]
    bank = make_bank(tmp_path / "bank", [], areas=areas, rules=rules, min_group=2)
    result = score_team(bank, tmp_path,
                        respondent({"q": 0}, department="d1", name="Ann", comments={"q": "From d1, first."}),
                        respondent({"q": 1}, department="d1", name="Bob", comments={"q": "From d1, second."}),
                        respondent({"q": 0}, department="d2", name="Cy", comments={"q": "Alone in d2."}))
    view = report_context(result, _words("en"))
    quotes = {q.text: q.who for q in view.summary.diagnoses[0].evidence.quotes}
    # d1 has two respondents (min_group 2): attributed; d2's one respondent is pooled into a group
    # still too small, so the quote stands alone
    assert quotes == {"From d1, first.": "D1", "From d1, second.": "D1", "Alone in d2.": ""}
    named = report_context(result, _words("en"), named=True)
    assert [q.who for q in named.summary.diagnoses[0].evidence.quotes] == ["Ann", "Bob", "Cy"]


def test_thin_evidence_is_said_plainly(tmp_path: Path) -> None:
    bank = make_bank(tmp_path / "bank", [{"id": f"q{i}", "scale": "two"} for i in range(10)], departments=[])
    result = score_team(bank, tmp_path, respondent({"q0": 1}))
    view = report_context(result, _words("es"))
    limits = view.summary.limitations
    assert limits.insufficient and limits.coverage == pytest.approx(0.1)
    assert limits.provisional and limits.by_department == []
    # the data pack lists no empty distribution: the unanswered questions in one line
    assert [qv.bar is None for qv in view.areas[0].sections[0].questions] == [False] + [True] * 9


def test_client_notes_are_in_the_report_language_without_paths(tmp_path: Path) -> None:
    profile = [{"id": "market", "text": {"es": "Mercado", "en": "Market"},
                "options": [{"key": "b2b", "label": {"es": "Empresas", "en": "Businesses"}},
                            {"key": "b2c", "label": {"es": "Particulares", "en": "Consumers"}}]}]
    two = {"es": "Dos", "en": "Two"}
    areas = [{"id": "a", "title": two, "sections": [{"id": "s", "title": two, "questions": [
        {"id": "q", "scale": "two", "text": {"es": "P", "en": "Q"}}]}]}]
    bank = make_bank(tmp_path / "bank", [], areas=areas, languages=["es", "en"], title=two, profile=profile,
                     departments=[],
                     scales={"two": [{"key": 0, "label": {"es": "No", "en": "No"}, "score": 0},
                                     {"key": 1, "label": {"es": "Sí", "en": "Yes"}, "score": 1}]},
                     levels=[{"key": "low", "from": 0, "label": {"es": "Bajo", "en": "Low"}}])
    result = score_team(bank, tmp_path, respondent({"q": 1}, profile={"market": "b2c"}),
                        respondent({"q": 1}, profile={"market": "b2c"}),
                        respondent({"q": 0}, profile={"market": "b2b"}))
    assert any("market" in w for w in result.warnings)
    view = report_context(result, _words("es"))
    assert view.warnings == ["Los participantes no coinciden en «Mercado»; el informe usa la respuesta más "
                             "frecuente: Particulares."]
    assert view.machine_warnings == []


def test_consultant_findings_are_checked_and_printed_first(tmp_path: Path) -> None:
    duo = duo_bank(tmp_path / "bank")
    team = duo_team(tmp_path / "team.yaml")
    findings = write_yaml(tmp_path / "findings.yaml", {
        "key_message": {"es": "La trastienda decide si el cliente vuelve.", "en": "The back room decides."},
        "observations": [{"title": {"es": "Plazos sin medir", "en": "Unmeasured lead times"},
                          "issue": {"es": "Nadie mide el plazo real.", "en": "Nobody measures lead times."},
                          "impact": {"es": "Clientes que no vuelven.", "en": "Customers who do not return."},
                          "evidence": {"es": "Tres pedidos revisados.", "en": "Three orders checked."},
                          "about": ["delivery"]}]})
    out = tmp_path / "r.pdf"
    checked("report", "--bank", str(duo), "--findings", str(findings), "-o", str(out), str(team))
    summary, findings_page = flat(pages(out)[2]), flat(pdftotext(out))
    assert summary.index("La trastienda decide si el cliente vuelve.") < summary.index("DIAGNÓSTICO PRINCIPAL")
    assert findings_page.index("Plazos sin medir") < findings_page.index("Atrae más de lo que retiene La trastienda")
    assert "Impacto: Clientes que no vuelven." in findings_page
    # validated like every input: unknown keys and ids refused at their line, exit 2, nothing written
    bad = tmp_path / "bad.yaml"
    bad.write_text("key_message: Hola\nobservations:\n  - title: T\n    issue: I\n    impactt: X\n"
                   "    about: [delivry]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_findings(bad, load_bank(duo))
    lines = [str(p) for p in caught.value.problems]
    assert any(line.startswith(f"{bad}:5:") and "impactt" in line for line in lines), lines
    assert any(line.startswith(f"{bad}:6:") and "did you mean 'delivery'" in line for line in lines), lines
    done = cli("report", "--bank", str(duo), "--findings", str(bad), "-o", str(tmp_path / "no.pdf"), str(team))
    assert done.returncode == 2 and not (tmp_path / "no.pdf").exists()
    assert done.stderr.startswith(f"{bad}:")


def test_two_pdfs_archival_and_identical_from_run_to_run(tmp_path: Path, duo_files: DuoFiles,
                                                         duo_reports: dict[str, Path]) -> None:
    out, pack = tmp_path / "r.pdf", tmp_path / "a.pdf"
    done = cli("report", "--bank", str(duo_files.bank), "-o", str(out), "--appendix", str(pack), str(duo_files.team))
    assert done.returncode == 0, done.stderr
    assert re.search(r"wrote .*a\.pdf \(\d+ pages\)", done.stdout)
    # the same inputs reported by another run (the duo_reports the other tests read): the same bytes
    again = duo_reports["es"], duo_reports["es"].with_name("es-appendix.pdf")
    assert (out.read_bytes(), pack.read_bytes()) == (again[0].read_bytes(), again[1].read_bytes())
    for pdf in (out, pack):
        reader = PdfReader(pdf)
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
        assert {"responses.json", "report/scores.json"} <= set(reader.attachments)
    pack_text, report_text = flat(pdftotext(pack)), flat(pdftotext(out))
    # the machinery is in the data pack's technical annex, never in the management report
    assert "SHA-256" in pack_text and "loyalty-audit extract" in pack_text and "f1" in pack_text
    assert "SHA-256" not in report_text and "loyalty-audit" not in report_text and str(tmp_path) not in report_text


def test_batch_writes_both_documents(tmp_path: Path) -> None:
    client = tmp_path / "clients" / "acme"
    duo_bank(client / "bank")
    duo_team(client / "answers" / "team.yaml")
    write_yaml(client / "findings.yaml", {"key_message": {"es": "Medir antes de prometer.", "en": "Measure first."}})
    done = cli("report", "--batch", str(tmp_path / "clients"), "--jobs", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (client / "report.pdf").is_file() and (client / "appendix.pdf").is_file()
    assert "Anexo de datos" in pdftotext(client / "appendix.pdf")
    # the client folder's findings.yaml is the consultant's voice in its report
    assert "Medir antes de prometer." in flat(pages(client / "report.pdf")[2])
    refused = cli("report", "--batch", str(tmp_path / "clients"), "--appendix", str(tmp_path / "a.pdf"))
    assert refused.returncode == 2 and "drop --appendix" in refused.stderr


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_demo_report_fits_15_pages_with_its_business_case_and_no_machinery(demo_reports: dict[str, Path],
                                                                              lang: str) -> None:
    """The demo as `make demo` writes it (brand, baseline, plan): at most 15 pages, the summary
    quoting the plan's own payback, the detail in the data pack, nothing internal."""
    out = demo_reports[lang]
    texts = pages(out)
    text = flat("\n".join(texts))
    assert len(PdfReader(out).pages) <= 15
    # no near-empty page: every page after the cover carries text (the last one, the limitations, included)
    assert all(len(flat(page)) > 600 for page in texts[1:]), [len(flat(page)) for page in texts]
    bank = load_bank(BANK)
    result = score(bank, load_responses([DEMO], bank))
    names = [r.name for r in result.team.respondents if r.name]
    assert names
    for machine in ["examples/", ".yaml", "SHA-256", "loyalty-audit", "respondents disagree", "OWASP",
                    "bo-delivery-days", "using b2c", str(ROOT), *names]:
        assert machine not in text, machine
    assert not re.search(r"\b[0-9a-f]{40,64}\b", text)  # no hash
    # the figures are the CLI's
    scores = json.loads(checked("score", "--bank", str(BANK), "--format", "json", str(DEMO)))
    summary = flat(texts[2] + " " + texts[3])
    assert f"{number(scores['overall']['score'], lang)} {'de 100' if lang == 'es' else 'out of 100'}" in summary
    # the whole plan's payback in the summary is the plan result's, formatted: no second computation
    plan = plan_of(load_plan(ROOT / "examples" / "demo-plan.yaml", bank), result)
    assert plan.payback_months is not None and plan.cut is not None and plan.cut.payback_months is not None
    months, cut = number(plan.payback_months, lang), number(plan.cut.payback_months, lang)
    investment = flat(money(plan.total.investment, plan.currency, lang))  # as pdftotext reads it, spaces plain
    if lang == "es":
        assert (f"El plan completo. Sus {plan.total.actions} acciones suman una inversión de {investment} y se "
                f"amortizan en {months} meses; con un beneficio un 30 % menor, en {cut} meses.") in summary
        assert f"El plan completo se amortiza en {months} meses" in text  # the business case says the same
        assert "Los participantes no coinciden en" in text
        for english in ("months", "according to", "Own staff", "Recommendations without", "good:"):
            assert english not in text, english
    else:
        assert (f"The whole plan. Its {plan.total.actions} actions add up to an investment of {investment} and pay "
                f"back in {months} months; with a benefit 30% lower, in {cut} months.") in summary
        assert f"The whole plan pays back in {months} months" in text
    # each initiative's cost and payback are those of the plan's actions for it, as the plan counts them
    view = report_context(result, _words(lang), plan=plan)
    assert view.summary is not None
    for item in view.summary.initiatives:
        questions = {result.recommendations[n - 1].question for n in item.ranks}
        actions = [a for a in plan.actions if set(a.recommendations) & questions]
        if item.cost is None:
            assert not actions
            continue
        assert item.cost == pytest.approx(sum(a.investment for a in actions))
        if len(actions) == 1:
            assert item.payback == actions[0].payback_months
    # the detail is in the data pack: each action's staff hours, the recommendations without an action
    # (the Spanish data pack as printed; the English one as its page, from the same view)
    uncovered = len(plan.uncovered)
    if lang == "es":
        data = flat(pdftotext(out.with_name("es-appendix.pdf")))
    else:
        page = render_html(view, [default_templates_dir()], _words(lang), Brand(), template=APPENDIX_TEMPLATE)
        data = flat(html.unescape(re.sub(r"<[^>]*>", " ", page)))
    if lang == "es":
        assert f"{uncovered} recomendaciones no tienen todavía una acción en el plan: la lista está en el anexo" in text
        assert "Recomendaciones sin acción" in data and "Tiempo del personal propio, por acción" in data
        assert "Personal propio:" not in text and "1 horas" not in text and "1 horas" not in data
    else:
        assert f"{uncovered} recommendations have no action in the plan yet: they are listed in the data pack" in text
        assert "Recommendations without an action" in data and "The client's own staff time, by action" in data
