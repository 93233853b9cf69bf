"""The action plan: payback with operational costs, quarter totals, refusals, and the report's pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.engine.payback import plan_of
from audit.engine.score import Result, score
from audit.errors import InputError
from audit.read.answers import load_responses
from audit.read.plan import load_plan
from audit.run.options import Options
from audit.run.report import build_report

from .conftest import cli, write_yaml
from .reporting import duo_bank, duo_team, flat, pdftotext, weasyprint_silent  # noqa: F401


def action(id_: str, quarter: str, questions: list[str], one_off: float, cost: float, benefit: float,
           **extra: object) -> dict[str, object]:
    return {"id": id_, "title": {"es": f"Acción {id_}", "en": f"Action {id_}"}, "questions": questions,
            "quarter": quarter, "one_off_cost": one_off, "yearly_cost": cost, "yearly_benefit": benefit, **extra}


def test_payback_counts_operational_costs(scored_duo: tuple[Path, Path, Result], tmp_path: Path) -> None:
    _, _, result = scored_duo
    path = write_yaml(tmp_path / "plan.yaml", {"actions": [
        action("tracking", "2027-Q1", ["b1"], 12000, 3000, 20000),
        action("card", "2027-Q1", ["f1"], 8000, 26000, 22000),
        action("even", "2027-Q2", ["f2"], 500, 4000, 4000),
        action("free", "2027-Q2", ["f3"], 0, 100, 1300),
    ]})
    plan = plan_of(load_plan(path, result.bank), result)
    tracking, card, even, free = plan.actions
    # net = 20000 - 3000 = 17000 a year; payback = 12 * 12000 / 17000 = 8.470588... months
    assert tracking.net_yearly == 17000
    assert tracking.payback_months == pytest.approx(144000 / 17000)
    # running the card costs 26000 a year for 22000 of benefit: it never pays back
    assert card.net_yearly == -4000 and not card.pays_back and card.payback_months is None
    # a running cost equal to the benefit never pays back either
    assert not even.pays_back and even.payback_months is None
    # nothing to recover: paid back at once
    assert free.payback_months == 0
    assert [t.never for t, _ in plan.quarters] == [1, 1]
    assert plan.total.never == 2


def test_quarters_in_order_and_each_question_counted_once(scored_duo: tuple[Path, Path, Result],
                                                          tmp_path: Path) -> None:
    _, _, result = scored_duo
    gains = {r.question: r.gain for r in result.recommendations}
    assert {"f1", "b1", "f3"} <= set(gains)
    path = write_yaml(tmp_path / "plan.yaml", {"currency": "USD", "actions": [
        action("late", "2027-Q3", ["f3"], 100, 0, 1200),
        action("first", "2026-Q4", ["f1", "b1"], 1000, 200, 600),
        action("again", "2026-Q4", ["f1"], 50, 25, 75),
    ]})
    plan = plan_of(load_plan(path, result.bank), result)
    assert plan.currency == "USD"
    assert [(t.label, [a.id for a in actions]) for t, actions in plan.quarters] == [
        ("2026-Q4", ["first", "again"]), ("2027-Q3", ["late"])]
    q4, _ = plan.quarters[0]
    assert (q4.actions, q4.one_off_cost, q4.yearly_cost, q4.yearly_benefit, q4.net_yearly) == (2, 1050, 225, 675, 450)
    assert q4.gain == gains["f1"] + gains["b1"]  # f1 is addressed twice but won once
    assert plan.total.gain == gains["f1"] + gains["b1"] + gains["f3"]
    assert plan.total.one_off_cost == 1150
    assert plan.uncovered == [r.question for r in result.recommendations if r.question not in {"f1", "b1", "f3"}]


def test_an_action_on_questions_above_target_is_a_warning(scored_duo: tuple[Path, Path, Result],
                                                          tmp_path: Path) -> None:
    bank = scored_duo[2].bank
    team = write_yaml(tmp_path / "full.yaml", {"bank": "duo", "respondent": {"department": "sales"},
                                               "answers": {"f1": 4, "f2": 1}})
    result = score(bank, load_responses([team], bank))
    assert result.questions["f1"].score == 100
    path = write_yaml(tmp_path / "plan.yaml", {"actions": [action("done", "2027-Q1", ["f1"], 1, 0, 1),
                                                           action("open", "2027-Q1", ["f2"], 1, 0, 1)]})
    plan = plan_of(load_plan(path, bank), result)
    assert plan.warnings == [f"{path}:2: action 'done' addresses no recommendation: its questions are at or above "
                             "target, or unanswered"]
    assert plan.quarters[0][1][1].recommendations == ["f2"]


PLAN_CASES: dict[str, tuple[str, list[str]]] = {
    "typos": ("actions:\n  - id: a\n    title: A\n    questions: [f1, f9]\n    quarter: 2027-Q5\n"
              "    one_of_cost: 10\n    yearly_cost: -5\n    owner: marketing\n",
              ["plan.yaml:4: unknown question 'f9'; expected one of: b1, b2, b3, b4, f1, f2, f3",
               "plan.yaml:5: actions[0].quarter: '2027-Q5' is not a quarter; expected a year and a quarter such "
               "as \"2027-Q1\"",
               "plan.yaml:6: unknown key 'one_of_cost' in actions[0]; did you mean 'one_off_cost'? (allowed: id, "
               "title, questions, owner, quarter, one_off_cost, yearly_cost, yearly_benefit, internal_hours, "
               "yearly_internal_hours, benefit_basis, notes)",
               "plan.yaml:7: actions[0].yearly_cost: -5 is out of bounds; expected a number >= 0.0",
               "plan.yaml:8: unknown department 'marketing'; expected one of: sales, ops"]),
    "duplicates": ("actions:\n  - {id: a, title: A, questions: [f1, f1], quarter: 2027-Q1}\n"
                   "  - {id: a, title: {es: B, fr: B}, questions: [f2], quarter: 2027-Q2}\n",
                   ["plan.yaml:2: a question is listed twice; expected each once",
                    "plan.yaml:3: action 'a' appears twice; expected unique ids",
                    "plan.yaml:3: text in unknown language fr; expected only the bank's languages (es, en)"]),
    "empty": ("currency: euro\nactions: []\n",
              ["plan.yaml:1: currency: 'euro' is not a currency code; expected three capital letters such as EUR",
               "plan.yaml:2: actions: expected at least 1 item(s)"]),
}


@pytest.mark.parametrize("case", sorted(PLAN_CASES))
def test_bad_plans_are_reported_line_by_line(scored_duo: tuple[Path, Path, Result], tmp_path: Path, case: str) -> None:
    _, _, result = scored_duo
    text, expected = PLAN_CASES[case]
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        plan_of(load_plan(path, result.bank), result)
    lines = [str(p).replace(str(tmp_path) + "/", "") for p in exc.value.problems]
    assert lines == expected


def test_report_refuses_a_bad_plan_and_writes_nothing(scored_duo: tuple[Path, Path, Result], tmp_path: Path) -> None:
    bank_dir, team, _ = scored_duo
    plan = write_yaml(tmp_path / "plan.yaml", {"actions": [action("a", "Q1", ["f1"], 1, 1, 1)]})
    out = tmp_path / "report.pdf"
    out.write_bytes(b"the earlier report")
    run = cli("report", "--bank", str(bank_dir), "--plan", str(plan), "-o", str(out), str(team))
    assert run.returncode == 2
    assert run.stderr == (f"{plan}:8: actions[0].quarter: 'Q1' is not a quarter; expected a year and a quarter "
                          "such as \"2027-Q1\"\n")
    assert out.read_bytes() == b"the earlier report"


def test_report_shows_the_plan_with_payback(scored_duo: tuple[Path, Path, Result], tmp_path: Path) -> None:
    bank_dir, team, result = scored_duo
    plan = write_yaml(tmp_path / "plan.yaml", {"actions": [
        action("tracking", "2027-Q1", ["b1"], 12000, 3000, 20000, owner="ops"),
        action("card", "2027-Q2", ["f1"], 8000, 26000, 22000, notes={"es": "<b>Cara</b> & cara", "en": "Dear"}),
    ]})
    out = tmp_path / "report.pdf"
    written = build_report([team], Options(bank=bank_dir, plan=plan), output=out)
    assert not written.warnings
    text = flat(pdftotext(out))
    assert "Plan de acción y retorno" in text
    assert "Acción tracking Operaciones" in text
    assert "12.000 € 3.000 € 20.000 € 17.000 € 8,5 meses" in text  # 144000 / 17000 = 8.47 months
    assert "8.000 € 26.000 € 22.000 € −4.000 € No se amortiza" in text
    assert "<b>Cara</b> & cara" in text
    # the whole plan, the card included: 12 x 20000 / 13000 = 18.46 months
    assert "Total del plan (2 acciones) 20.000 € 29.000 € 42.000 € 13.000 € 18,5 meses" in text
    assert "1 sin retorno propio" in text
    gain = sum(r.gain for r in result.recommendations if r.question in ("b1", "f1"))
    assert f"+{gain:.2f}".replace(".", ",") in text
