"""The spreadsheet as a data pack: words in the export's language, number formats, Excel
tables with filters, parent columns for pivots, follow-up and plan sheets, no names by
default; every value the CLI's own, unrounded. Each workbook is read back with openpyxl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from audit.engine.payback import plan_of
from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.read.plan import load_plan

from .conftest import DEMO, ROOT, cli

BANK = ROOT / "questions"
BASELINE = ROOT / "examples" / "demo-2025"
PLAN = ROOT / "examples" / "demo-plan.yaml"


def export(tmp_path: Path, *extra: str, name: str = "audit.xlsx") -> Workbook:
    out = tmp_path / name
    run = cli("export", "--bank", str(BANK), "--baseline", str(BASELINE), "--plan", str(PLAN), *extra, "-o",
              str(out), str(DEMO))
    assert run.returncode == 0, run.stderr
    return load_workbook(out)


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    run = cli("score", "--bank", str(BANK), "--format", "json", "--baseline", str(BASELINE), str(DEMO))
    data: dict[str, Any] = json.loads(run.stdout)
    return data


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return export(tmp_path_factory.mktemp("es"))


def rows_of(book: Workbook, sheet: str) -> list[dict[str, Any]]:
    """The rows of a sheet as mappings from its header."""
    values = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_sheets_headers_and_labels_are_in_the_report_s_language(spanish: Workbook) -> None:
    assert spanish.sheetnames == ["Puntuaciones", "Respuestas", "Recomendaciones", "Evolución", "Plan",
                                  "Flujo de caja", "Retorno"]
    header = next(spanish["Puntuaciones"].iter_rows(max_row=1, values_only=True))
    assert header[:5] == ("Tipo", "Área", "Sección", "Puntuación", "Nivel")
    assert not any("_" in str(h) for book_sheet in spanish.worksheets
                   for h in next(book_sheet.iter_rows(max_row=1, values_only=True)))
    bank = load_bank(BANK)
    levels = {lv.label["es"] for lv in bank.levels}  # type: ignore[index]
    keys = {lv.key for lv in bank.levels}
    given = {r["Nivel"] for r in rows_of(spanish, "Puntuaciones")} - {None}
    assert given and given <= levels and not given & keys
    assert {r["Esfuerzo"] for r in rows_of(spanish, "Recomendaciones")} <= {"Bajo", "Medio", "Alto"}
    assert {r["Tipo"] for r in rows_of(spanish, "Puntuaciones")} == {"Global", "Área", "Sección"}


def test_numbers_are_the_cli_s_unrounded_with_formats_to_show_them(spanish: Workbook, scores: dict[str, Any]) -> None:
    sheet = spanish["Puntuaciones"]
    rows = rows_of(spanish, "Puntuaciones")
    overall = rows[0]
    assert overall["Tipo"] == "Global"
    assert overall["Puntuación"] == scores["overall"]["score"]  # 54.60163580246914, not 54.6
    assert overall["Completado"] == scores["overall"]["completion"]
    assert overall["Cumplimiento del objetivo"] == scores["overall"]["percent_to_target"]
    header = [c.value for c in sheet[1]]
    formats = {header[c.column - 1]: c.number_format for c in sheet[2]}
    assert formats["Puntuación"] == "0.0" and formats["Objetivo"] == "0.0" and formats["Divergencia"] == "0.0"
    assert formats["Completado"] == "0.0%" and formats["Cumplimiento del objetivo"] == "0.0%"
    assert formats["Cobertura"] == "0.0%"
    for row in rows[1:]:
        node = scores["areas" if row["Tipo"] == "Área" else "sections"][row["Id."]]
        assert row["Puntuación"] == node["score"] and row["Divergencia"] == node["divergence"]
        assert row["Cobertura"] == node["coverage"]
    recs = spanish["Recomendaciones"]
    assert [r["Ganancia (puntos)"] for r in rows_of(spanish, "Recomendaciones")] == [
        r["gain"] for r in scores["recommendations"]]
    assert recs.cell(2, 7).number_format == "0.00"
    answers = spanish["Respuestas"]
    column = [c.value for c in answers[1]].index("Puntuación") + 1
    assert answers.cell(2, column).number_format == "0.0"


def test_every_sheet_is_an_excel_table_with_filters(spanish: Workbook) -> None:
    for sheet in spanish.worksheets:
        [table] = sheet.tables.values()
        assert table.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref  # the header's filter buttons
        assert [c.name for c in table.tableColumns] == [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2"
    assert [t for s in spanish.worksheets for t in s.tables] == ["Scores", "Answers", "Recommendations", "Followup",
                                                                 "Plan", "CashFlow", "Payback"]


def test_parent_columns_let_a_pivot_count_each_score_once(spanish: Workbook) -> None:
    bank = load_bank(BANK)
    parents = {s.id: a.title["es"] for a in bank.areas for s in a.sections}  # type: ignore[index]
    titles = {s.id: s.title["es"] for a in bank.areas for s in a.sections}  # type: ignore[index]
    rows = rows_of(spanish, "Puntuaciones")
    sections = [r for r in rows if r["Tipo"] == "Sección"]
    areas = [r for r in rows if r["Tipo"] == "Área"]
    assert len(sections) + len(areas) + 1 == len(rows)
    for r in sections:
        assert r["Área"] == parents[r["Id."]] and r["Sección"] == titles[r["Id."]]
    assert all(r["Sección"] is None for r in areas)
    answers = rows_of(spanish, "Respuestas")
    assert all(a["Área"] and a["Sección"] for a in answers)


def test_follow_up_and_plan_sheets(spanish: Workbook, scores: dict[str, Any]) -> None:
    followup = rows_of(spanish, "Evolución")
    assert followup[0]["Tipo"] == "Global"
    assert followup[0]["Antes"] == scores["baseline"]["overall"]["baseline"]
    assert followup[0]["Cambio"] == scores["baseline"]["overall"]["change"]  # +12.1 points, unrounded
    assert followup[0]["Progreso hacia el objetivo"] == scores["baseline"]["overall"]["progress"]
    questions = [r for r in followup if r["Tipo"] == "Pregunta"]
    assert {r["Id."]: r["Ahora"] for r in questions} == {
        k: v["current"] for k, v in scores["baseline"]["questions"].items()}
    bank = load_bank(BANK)
    team = load_responses([DEMO], bank)
    from audit.engine.score import score

    plan = plan_of(load_plan(PLAN, bank), score(bank, team))
    actions = rows_of(spanish, "Plan")
    assert [a["Acción"] for a in actions] == [a.title["es"] for a in plan.actions]  # type: ignore[index]
    assert [a["Retorno (meses)"] for a in actions] == [a.payback_months for a in plan.actions]
    assert [a["Inversión inicial con horas (EUR)"] for a in actions] == [a.investment for a in plan.actions]
    assert spanish["Plan"].cell(2, 5).number_format == "#,##0"
    assert plan.case is not None and plan.cut is not None
    flows = rows_of(spanish, "Flujo de caja")
    assert [f["Acumulado (EUR)"] for f in flows] == [y.cumulative for y in plan.case.years]
    assert [f["Acumulado (EUR) con beneficio −30\u00a0%"] for f in flows] == [y.cumulative for y in plan.cut.years]
    figures = {r["Cifra"]: r["Valor"] for r in rows_of(spanish, "Retorno")}
    assert figures["Retorno del plan completo (meses)"] == plan.payback_months
    assert figures["Retorno del plan completo (meses) con beneficio −30\u00a0%"] == plan.cut.payback_months
    cells = {row[0].value: row[1].number_format for row in spanish["Retorno"].iter_rows(min_row=2)}
    assert cells["Retorno del plan completo (meses)"] == "0.0"
    assert cells["Inversión inicial con horas (EUR)"] == "#,##0"


def test_no_respondent_names_unless_asked(spanish: Workbook, tmp_path: Path) -> None:
    team = load_responses([DEMO], load_bank(BANK))
    names = [r.name for r in team.respondents if r.name]
    assert names

    def texts(book: Workbook) -> str:
        return "\n".join(str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row)

    assert not any(name in texts(spanish) for name in names)
    assert "Nombre" not in [c.value for c in spanish["Respuestas"][1]]
    named = export(tmp_path, "--name-respondents")
    assert all(name in texts(named) for name in names)
    assert [c.value for c in named["Respuestas"][1]][:4] == ["Participante", "Nombre", "Departamento", "Archivo"]


def test_english_export_and_a_plain_one_without_baseline_or_plan(tmp_path: Path) -> None:
    english = export(tmp_path, "--lang", "en", name="en.xlsx")
    assert english.sheetnames == ["Scores", "Answers", "Recommendations", "Follow-up", "Plan", "Cash flow", "Payback"]
    assert {r["Effort"] for r in rows_of(english, "Recommendations")} <= {"Low", "Medium", "High"}
    plain = tmp_path / "plain.xlsx"
    assert cli("export", "--bank", str(BANK), "-o", str(plain), str(DEMO)).returncode == 0
    assert load_workbook(plain).sheetnames == ["Puntuaciones", "Respuestas", "Recomendaciones"]


def test_a_bad_plan_stops_the_export(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("actions:\n  - {id: a, title: A, questions: [fo-shop-window], quarter: 2027-Q1,\n"
                    "     internal_hours: 3}\n", encoding="utf-8")
    out = tmp_path / "audit.xlsx"
    run = cli("export", "--bank", str(BANK), "--plan", str(plan), "-o", str(out), str(DEMO))
    assert run.returncode == 2
    assert run.stderr.startswith(f"{plan}:3: internal_hours without an hourly cost")
    assert not out.exists()
