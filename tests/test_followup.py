"""Follow-up audits: the change since a baseline, progress to target, questions matched by id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from audit.engine.followup import Change
from audit.run.options import Options
from audit.run.report import build_report

from .conftest import MINI, cli, respondent, write_yaml
from .reporting import flat, pdftotext, weasyprint_silent  # noqa: F401


def answers(path: Path, *entries: dict[str, Any], version: str = "1") -> Path:
    return write_yaml(path, {"bank": "mini", "bank_version": version, "organisation": "Acme",
                             "respondents": list(entries)})


@pytest.fixture
def audits(tmp_path: Path) -> tuple[Path, Path]:
    shop = {"channel": "shop"}  # section s2 does not apply to a shop
    before = answers(tmp_path / "2025.yaml",
                     respondent({"q1": 0, "q2": "x", "q5": 0, "q7": 1, "q-retired": 2}, profile=shop),
                     respondent({"q1": 1, "q2": "gone", "q5": 1}, profile={**shop, "size": "big"},
                                comments={"q-old": "a comment on a question that has no answer"}),
                     version="0")
    now = answers(tmp_path / "2026.yaml", respondent({"q1": 2, "q2": "y", "q5": 2, "q7": 1}, profile=shop))
    return before, now


def test_change_and_progress_worked_by_hand(audits: tuple[Path, Path]) -> None:
    before, now = audits
    run = cli("score", "--bank", str(MINI), "--format", "json", "--baseline", str(before), str(now))
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    plain = json.loads(cli("score", "--bank", str(MINI), "--format", "json", str(now)).stdout)
    assert {k: v for k, v in data.items() if k != "baseline"} == plain  # SPEC §5 untouched
    b = data["baseline"]
    assert b["respondents"] == 2 and b["bank_version"] == "0"
    # baseline s1: q1 = (0 + .5)/2 = .25 (weight 2); q2 = .2 (only the first answer fits the bank)
    # s1 = 100 (2 * .25 + .2) / 3 = 23.33; now s1 = 100 (2 * 1 + .8) / 3 = 93.33; target 75 (the bank's)
    s1 = b["sections"]["s1"]
    assert s1["baseline"] == pytest.approx(70 / 3) and s1["current"] == pytest.approx(280 / 3)
    assert s1["change"] == pytest.approx(70.0)
    assert s1["progress"] == pytest.approx(70 / (75 - 70 / 3))  # more than 1: the target was passed
    # baseline s3: q5 = (0 + .5)/2, q7 = .5 -> 37.5; now q5 = 1, q7 = .5 -> 75; area b's target is 60
    s3 = b["sections"]["s3"]
    assert (s3["baseline"], s3["current"], s3["target"]) == (37.5, 75.0, 60)
    assert s3["progress"] == pytest.approx(37.5 / 22.5)
    assert "s2" not in b["sections"]  # applies to neither team
    # overall: a has weight 2, b weight 1
    overall = b["overall"]
    assert overall["baseline"] == pytest.approx((2 * 70 / 3 + 37.5) / 3)
    assert overall["current"] == pytest.approx(data["overall"]["score"])
    assert overall["percent_to_target"]["current"] == data["overall"]["percent_to_target"]
    assert b["questions"]["q1"] == {"baseline": 25.0, "current": 100.0, "change": 75.0}
    # what no longer fits is listed, never silently dropped
    assert [(Path(d["file"]).name, d["line"], d["question"], d["reason"], d["problem"]) for d in b["dropped"]] == [
        ("2025.yaml", 11, "q-retired", "retired",
         "question 'q-retired' is not in this version of the bank; not compared"),
        ("2025.yaml", 17, "q2", "changed",
         "'gone' is not an option of question 'q2'; expected one of: x, y or na; not compared"),
        ("2025.yaml", 21, "size", "profile",
         "profile question 'size' is not in this version of the bank; not compared"),
        ("2025.yaml", 23, "q-old", "retired",
         "comment on question 'q-old', which is not in this version of the bank; not compared")]
    assert b["not_compared"] == []


def test_progress_edge_cases() -> None:
    assert Change(80.0, 90.0, 75.0).progress is None      # the target was already met: no gap to close
    assert Change(None, 50.0, 75.0).progress is None
    assert Change(50.0, 40.0, 75.0).progress == -0.4      # fell back: (40 - 50) / (75 - 50)
    assert Change(50.0, 75.0, 75.0).progress == 1.0
    assert Change(50.0, None, 75.0).change is None


def test_questions_new_since_the_baseline_are_listed(tmp_path: Path) -> None:
    before = answers(tmp_path / "before.yaml", respondent({"q1": 1}))
    now = answers(tmp_path / "now.yaml", respondent({"q1": 2, "q5": 1}))
    data = json.loads(cli("score", "--bank", str(MINI), "--format", "json", "--baseline", str(before),
                          str(now)).stdout)
    assert data["baseline"]["not_compared"] == ["q5"]
    assert data["baseline"]["areas"]["b"]["baseline"] is None and data["baseline"]["areas"]["b"]["change"] is None


def test_bad_baseline_is_an_error_and_nothing_is_written(audits: tuple[Path, Path], tmp_path: Path) -> None:
    _, now = audits
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank: mini\nrespondent: {department: nowhere}\nanswers: {q1: 2}\nextra: 1\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    run = cli("report", "--bank", str(MINI), "--baseline", str(bad), "-o", str(out), str(now))
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"{bad}:4: unknown key 'extra'; expected one of: bank, bank_version, organisation, respondent, language, "
        "submitted, profile, answers, comments, respondents"]
    assert not out.exists()
    other = answers(tmp_path / "other.yaml", respondent({"q1": 2}))
    other.write_text(other.read_text(encoding="utf-8").replace("bank: mini", "bank: duo"), encoding="utf-8")
    run = cli("score", "--bank", str(MINI), "--baseline", str(other), str(now))
    assert run.returncode == 2 and "these answers are for bank 'duo'; expected 'mini'" in run.stderr


def test_report_shows_the_progress_part(audits: tuple[Path, Path], tmp_path: Path) -> None:
    before, now = audits
    out, pack = tmp_path / "report.pdf", tmp_path / "appendix.pdf"
    build_report([now], Options(bank=MINI, baseline=tuple([before]), lang="en"), output=out, appendix=pack)
    data = json.loads(cli("score", "--bank", str(MINI), "--format", "json", "--baseline", str(before),
                          str(now)).stdout)["baseline"]
    text = flat(pdftotext(out))
    assert "Progress since the previous audit" in text
    o = data["overall"]
    assert f"{o['baseline']:.1f} → {o['current']:.1f}" in text
    # the change reaches the executive summary
    summary = flat(pdftotext(out, first=3, last=3))
    assert "SINCE THE LAST AUDIT" in summary and f"+{o['current'] - o['baseline']:.1f}" in summary
    assert f"points: from {o['baseline']:.1f} to {o['current']:.1f} out of 100 since the previous audit" in summary
    # section by section, and what was set aside, in the data pack
    text = flat(pdftotext(pack))
    table = [" ".join(line.split()) for line in pdftotext(pack, layout=True).splitlines()]
    s1 = data["sections"]["s1"]
    row = f"1.1 Section 1 {s1['baseline']:.1f} {s1['current']:.1f} +{s1['change']:.1f} 75 {100 * s1['progress']:.0f}%"
    assert row == "1.1 Section 1 23.3 93.3 +70.0 75 135%"
    assert row in table
    # what was set aside, one row per question and reason, in the report's language, with where
    # it was in the technical annex (the first words of each reason: the rest may wrap in its column)
    for row in ("q-old The question is no", "q-retired The question is no", "q2 The answer is not",
                "size The profile question or"):
        assert any(line.startswith(row) for line in table), row
    for reason in ("The question is no longer in the bank", "The answer is not valid for the question as it is now",
                   "The profile question or option is no longer in the bank"):
        assert reason in text
    assert "4 answers of the previous audit no longer fit the current bank" in text
