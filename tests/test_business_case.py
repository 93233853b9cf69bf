"""The action plan's business case: staff time as a cost, whole-plan payback, cash flow by
year, break-even on the quarters, the benefit cut by 30 %; the plan's new keys checked like
every input; and the report's pages that show it."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.engine.payback import BENEFIT_CUT, break_even, business_case, plan_of
from audit.engine.score import Result
from audit.errors import InputError
from audit.model.plan import Action
from audit.read.bank import load_bank
from audit.read.plan import load_plan
from audit.run.options import Options
from audit.run.report import build_report
from audit.write.formats import number

from .conftest import ROOT, cli, write_yaml
from .reporting import duo_bank, duo_team, flat, pages, pdftotext, weasyprint_silent  # noqa: F401


def act(quarter: str, one_off: float = 0, cost: float = 0, benefit: float = 0, hours: float = 0,
        yearly_hours: float = 0, rate: float = 0, id_: str = "a") -> Action:
    return Action(id_, id_, ["q"], None, quarter, one_off, cost, benefit, None, 1, hours, yearly_hours, rate)


def test_staff_time_is_part_of_each_action_s_costs() -> None:
    a = act("2027-Q1", one_off=12000, cost=3000, benefit=20000, hours=100, yearly_hours=50, rate=40)
    # investment 12000 + 100 h x 40 = 16000; running 3000 + 50 h x 40 = 5000; net 20000 - 5000 = 15000
    assert (a.internal_cost, a.yearly_internal_cost) == (4000, 2000)
    assert (a.investment, a.running_cost, a.net_yearly) == (16000, 5000, 15000)
    assert a.payback_months == pytest.approx(12 * 16000 / 15000)  # 12.8 months


def test_whole_plan_counts_the_actions_that_never_pay_back_and_the_cash_flow_by_year() -> None:
    good = act("2027-Q1", one_off=12000, cost=3000, benefit=20000, hours=100, yearly_hours=50, rate=40, id_="good")
    bad = act("2027-Q1", one_off=6000, cost=10000, benefit=8000, id_="bad")  # net -2000: never on its own
    assert bad.payback_months is None
    case = business_case([good, bad])
    # investment 16000 + 6000 = 22000; net 15000 - 2000 = 13000 a year; 12 x 22000 / 13000 = 20.31 months
    assert case.net_yearly == 13000
    assert case.payback_months == pytest.approx(12 * 22000 / 13000)
    # both start together on 1 January 2027: the cumulative cash flow turns positive at the same month
    assert case.break_even_months == pytest.approx(12 * 22000 / 13000)
    # 2027: costs 22000 + 5000 + 10000 = 37000, benefit 28000; then 15000 of costs and 28000 a year
    assert [(y.year, y.cost, y.benefit, y.net, y.cumulative) for y in case.years] == [
        (2027, 37000, 28000, -9000, -9000), (2028, 15000, 28000, 13000, 4000), (2029, 15000, 28000, 13000, 17000)]


def test_benefit_cut_by_thirty_percent() -> None:
    good = act("2027-Q1", one_off=12000, cost=3000, benefit=20000, hours=100, yearly_hours=50, rate=40, id_="good")
    bad = act("2027-Q1", one_off=6000, cost=10000, benefit=8000, id_="bad")
    assert BENEFIT_CUT == 0.3
    cut = business_case([good, bad], factor=1 - BENEFIT_CUT)
    # benefit 28000 x 0.7 = 19600; net 19600 - 15000 = 4600; 12 x 22000 / 4600 = 57.39 months
    assert cut.yearly_benefit == pytest.approx(19600)
    assert cut.net_yearly == pytest.approx(4600)
    assert cut.payback_months == pytest.approx(12 * 22000 / 4600)
    # 2027: 19600 - 37000 = -17400; then +4600 a year: -12800, -8200
    assert [y.cumulative for y in cut.years] == pytest.approx([-17400, -12800, -8200])


def test_break_even_follows_the_quarters() -> None:
    first = act("2027-Q1", one_off=1200, benefit=1200, id_="first")  # 100 a month from January
    later = act("2027-Q3", one_off=3000, benefit=2400, id_="later")  # 200 a month from July
    case = business_case([first, later])
    # every action running: 12 x 4200 / 3600 = 14 months
    assert case.payback_months == pytest.approx(14)
    # on the quarters: -1200 at month 0, +100 a month: -600 at month 6, then -3000, +300 a month:
    # -3600 + 300 x 12 = 0 at month 18
    assert case.break_even_months == pytest.approx(18)
    # 2027: costs 1200 + 3000, benefit 1200 + 2400 x 6/12 = 2400; 2028: 3600
    assert [(y.cost, y.benefit, y.cumulative) for y in case.years[:2]] == [(4200, 2400, -1800), (0, 3600, 1800)]


def test_break_even_is_when_the_cash_flow_stays_positive() -> None:
    early = act("2027-Q1", benefit=1200, id_="early")  # nothing to invest: positive at once
    big = act("2028-Q1", one_off=5000, benefit=1200, id_="big")  # then back below zero
    # 0 + 100 a month: 1200 at month 12, less 5000 = -3800, then +200 a month: zero at 12 + 19 = 31
    assert break_even([early, big], 12 * 2027) == pytest.approx(31)
    assert business_case([early, big]).break_even_months == pytest.approx(31)
    # a later launch that keeps it above zero does not move it: 6000 at month 6, less 1000
    steady = act("2027-Q1", benefit=12000, id_="steady")
    idle = act("2027-Q3", one_off=1000, id_="idle")
    assert business_case([steady, idle]).break_even_months == 0


def test_a_plan_that_loses_money_never_breaks_even() -> None:
    case = business_case([act("2027-Q2", one_off=100, cost=500, benefit=400)])
    assert case.payback_months is None and case.break_even_months is None
    assert [y.year for y in case.years] == [2027, 2028, 2029]
    # April to December: 9 months of -100 a year, after 100 of investment: -175
    assert case.years[0].cumulative == pytest.approx(-100 - 100 * 9 / 12)


def test_cash_flow_years_reach_the_last_launch() -> None:
    actions = [act("2027-Q4", benefit=1), act("2031-Q1", benefit=1, id_="b")]
    assert [y.year for y in business_case(actions).years] == [2027, 2028, 2029, 2030, 2031]
    assert [y.year for y in business_case(actions[:1], years=1).years] == [2027]
    assert [y.year for y in business_case(actions[:1], years=5).years] == [2027, 2028, 2029, 2030, 2031]


def plan_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_plan_result_carries_the_whole_plan_payback(scored_duo: tuple[Path, Path, Result], tmp_path: Path) -> None:
    _, _, result = scored_duo
    path = plan_file(tmp_path, "hourly_cost: 50\nyears: 2\nassumptions: {es: Margen 40 %, en: Margin 40%}\n"
                               "actions:\n"
                               "  - {id: a, title: A, questions: [b1], quarter: 2027-Q1, one_off_cost: 1000,\n"
                               "     internal_hours: 20, yearly_internal_hours: 10, yearly_benefit: 3000,\n"
                               "     benefit_basis: {es: Diez ventas más, en: Ten more sales}}\n")
    plan = plan_of(load_plan(path, result.bank), result)
    # investment 1000 + 20 x 50 = 2000; running 10 x 50 = 500; net 2500; 12 x 2000 / 2500 = 9.6
    assert plan.payback_months == pytest.approx(9.6)
    assert plan.total.investment == 2000 and plan.total.running_cost == 500
    assert (plan.total.internal_hours, plan.total.yearly_internal_hours) == (20, 10)
    assert plan.hourly_cost == 50 and plan.assumptions == {"es": "Margen 40 %", "en": "Margin 40%"}
    assert plan.case is not None and [y.year for y in plan.case.years] == [2027, 2028]
    assert plan.cut is not None and plan.cut.payback_months == pytest.approx(12 * 2000 / (2100 - 500))


def test_the_demo_plan_without_staff_time_pays_back_in_13_5_months() -> None:
    bank = load_bank(ROOT / "questions")
    spec = load_plan(ROOT / "examples" / "demo-plan.yaml", bank)
    for a in spec.actions:
        a.hourly_cost = 0
    # one-off 134000; benefit 183600 - running 64800 = 118800 a year; 12 x 134000 / 118800 = 13.54
    case = business_case(spec.actions)
    assert case.payback_months == pytest.approx(12 * 134000 / 118800)
    assert round(case.payback_months, 1) == 13.5


BAD_PLANS: dict[str, tuple[str, list[str]]] = {
    "hours without a rate": (
        "actions:\n  - id: a\n    title: A\n    questions: [f1]\n    quarter: 2027-Q1\n"
        "    internal_hours: 10\n    yearly_internal_hours: 4\n",
        ["plan.yaml:6: internal_hours without an hourly cost; expected hourly_cost at the top of the plan (what an "
         "hour of the client's staff costs), so that the hours count as a cost",
         "plan.yaml:7: yearly_internal_hours without an hourly cost; expected hourly_cost at the top of the plan "
         "(what an hour of the client's staff costs), so that the hours count as a cost"]),
    "typos and bad values": (
        "hourly_cost: -3\nyears: 0\nasumptions: x\nactions:\n  - id: a\n    title: A\n    questions: [f1]\n"
        "    quarter: 2027-Q1\n    internal_hour: 5\n    yearly_internal_hours: many\n"
        "    benefit_basis: {es: x, de: y}\n",
        ["plan.yaml:1: hourly_cost: -3 is out of bounds; expected a number >= 0.0",
         "plan.yaml:2: years: 0 is out of bounds; expected a number >= 1",
         "plan.yaml:3: unknown key 'asumptions'; did you mean 'assumptions'? (allowed: currency, hourly_cost, "
         "assumptions, years, actions)",
         "plan.yaml:9: unknown key 'internal_hour' in actions[0]; did you mean 'internal_hours'? (allowed: id, "
         "title, questions, owner, quarter, one_off_cost, yearly_cost, yearly_benefit, internal_hours, "
         "yearly_internal_hours, benefit_basis, notes)",
         "plan.yaml:10: actions[0].yearly_internal_hours: got 'many'; expected a number",
         "plan.yaml:11: text in unknown language de; expected only the bank's languages (es, en)"]),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_bad_business_case_inputs_are_reported_line_by_line(scored_duo: tuple[Path, Path, Result], tmp_path: Path,
                                                            case: str) -> None:
    _, _, result = scored_duo
    text, expected = BAD_PLANS[case]
    with pytest.raises(InputError) as exc:
        load_plan(plan_file(tmp_path, text), result.bank)
    assert [str(p).replace(str(tmp_path) + "/", "") for p in exc.value.problems] == expected


def test_cli_refuses_hours_without_a_rate_and_writes_nothing(scored_duo: tuple[Path, Path, Result],
                                                             tmp_path: Path) -> None:
    bank_dir, team, _ = scored_duo
    plan = plan_file(tmp_path, BAD_PLANS["hours without a rate"][0])
    out = tmp_path / "report.pdf"
    run = cli("report", "--bank", str(bank_dir), "--plan", str(plan), "-o", str(out), str(team))
    assert run.returncode == 2
    assert run.stderr.startswith(f"{plan}:6: internal_hours without an hourly cost")
    assert not out.exists()


def test_report_shows_the_business_case(scored_duo: tuple[Path, Path, Result], tmp_path: Path) -> None:
    bank_dir, team, _ = scored_duo
    plan = write_yaml(tmp_path / "plan.yaml", {
        "hourly_cost": 40, "assumptions": {"es": "Margen del <b>40 %</b>", "en": "A 40% margin"},
        "actions": [
            {"id": "good", "title": "Bueno", "questions": ["b1"], "quarter": "2027-Q1", "one_off_cost": 12000,
             "yearly_cost": 3000, "yearly_benefit": 20000, "internal_hours": 100, "yearly_internal_hours": 50,
             "benefit_basis": {"es": "Cien pedidos más", "en": "A hundred more orders"}},
            {"id": "bad", "title": "Malo", "questions": ["f1"], "quarter": "2027-Q1", "one_off_cost": 6000,
             "yearly_cost": 10000, "yearly_benefit": 8000}]})
    out = tmp_path / "report.pdf"
    result = scored_duo[2]
    computed = plan_of(load_plan(plan, result.bank), result)
    assert computed.payback_months is not None and computed.cut is not None and computed.cut.payback_months
    for lang in ("es", "en"):
        build_report([team], Options(bank=bank_dir, plan=plan, lang=lang), output=out)
        text = flat(pdftotext(out))
        # the executive summary quotes the plan result's whole-plan payback and its sensitivity, formatted
        summary = flat(" ".join(pages(out)[2:4]))
        months, cut = number(computed.payback_months, lang), number(computed.cut.payback_months, lang)
        assert (months, cut) == (("20,3", "57,4") if lang == "es" else ("20.3", "57.4"))
        if lang == "es":
            assert f"se amortizan en {months} meses; con un beneficio un 30 % menor, en {cut} meses." in summary
        else:
            assert f"pay back in {months} months; with a benefit 30% lower, in {cut} months." in summary
        if lang == "es":
            # the totals row: 22000 invested, 15000 running, 28000 benefit, 13000 net, 20.3 months
            assert "Total del plan (2 acciones) 22.000 € 15.000 € 28.000 € 13.000 € 20,3 meses" in text
            assert "1 sin retorno propio" in text
            assert "El plan completo se amortiza en 20,3 meses" in text
            assert "Si el beneficio fuera un 30 % menor, el plan se amortizaría en 57,4 meses (4.600 € netos" in text
            assert "100 h para lanzar las acciones (4.000 €) y 50 h al año para mantenerlas (2.000 €)" in text
            assert "2027 37.000 € 28.000 € −9.000 € −9.000 € −17.400 €" in text
            assert "2028 15.000 € 28.000 € 13.000 € 4.000 € −12.800 €" in text
            assert "Margen del <b>40 %</b>" in text  # the plan's text is text, not markup
            assert "Bueno 20.000 € Cien pedidos más" in text and "Malo 8.000 € El plan no lo indica." in text
        else:
            assert "Plan total (2 actions) €22,000 €15,000 €28,000 €13,000 20.3 months" in text
            assert "Were the benefit 30% lower, the plan would pay back in 57.4 months" in text
            assert "2027 €37,000 €28,000 −€9,000 −€9,000 −€17,400" in text


def test_an_old_plan_says_staff_time_is_not_counted(scored_duo: tuple[Path, Path, Result], tmp_path: Path) -> None:
    bank_dir, team, _ = scored_duo
    plan = write_yaml(tmp_path / "plan.yaml", {"actions": [
        {"id": "a", "title": "A", "questions": ["b1"], "quarter": "2027-Q1", "one_off_cost": 1200,
         "yearly_benefit": 1200}]})
    out = tmp_path / "report.pdf"
    written = build_report([team], Options(bank=bank_dir, plan=plan), output=out)
    assert not written.warnings
    text = flat(pdftotext(out))
    assert "El plan completo se amortiza en 12,0 meses" in text
    assert "El plan no indica horas del personal propio: su tiempo no está contado como coste." in text
