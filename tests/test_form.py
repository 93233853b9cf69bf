"""Fillable PDF questionnaires: a form filled by a library comes back as exactly the answers put in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from audit.read.bank import load_bank

from .conftest import MINI, ROOT, checked, cli, filled_form, made_while_testing, process
from .reporting import pdftotext

EVIL = '<b>x</b> & "quotes"'


def fill(blank: Path, out: Path, values: dict[str, str]) -> Path:
    """Fill the form as a PDF library would (:func:`tests.conftest.filled_form`) into ``out``."""
    out.write_bytes(filled_form(blank, values))
    return out


@made_while_testing
def mini_form(folder: Path) -> Path:
    out = folder / "questionnaire.pdf"
    checked("form", "--bank", str(MINI), "--organisation", "Acme <S.L.>", "-o", str(out))
    return out


@made_while_testing
def online_form(folder: Path) -> Path:
    """The default bank's form for a company that sells online only, to consumers."""
    out = folder / "cuestionario.pdf"
    checked("form", "--profile", "channel=online", "--profile", "market=b2c", "-o", str(out))
    return out


def test_round_trip_gives_back_exactly_the_answers(mini_form: Path, tmp_path: Path) -> None:
    filled = fill(mini_form, tmp_path / "filled.pdf", {
        "respondent.name": "Ana", "respondent.department": "ops", "profile.channel": "both",
        "answer.q1": "2", "na.q2": "on", "option.q3:m1": "on", "option.q3:m3": "on", "answer.q4": "2,5",
        "answer.q5": "1", "answer.q6": EVIL, "comment.q1": EVIL, "answer.q7": "0"})
    out = tmp_path / "answers.json"
    run = cli("import-form", "--bank", str(MINI), str(filled), "-o", str(out))
    assert run.returncode == 0, run.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == {"bank": "mini", "bank_version": "1", "organisation": "Acme <S.L.>",
                    "respondent": {"name": "Ana", "department": "ops"}, "language": "en",
                    "profile": {"channel": "both"},
                    "answers": {"q1": "2", "q2": "na", "q3": ["m1", "m3"], "q4": 2.5, "q5": "1", "q6": EVIL,
                                "q7": "0"},
                    "comments": {"q1": EVIL}}
    scored = cli("score", "--bank", str(MINI), "--format", "json", str(out))
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["questions"]["q4"]["score"] == 50.0  # 2.5 days: the band up to 3


def test_default_bank_form_round_trip_in_spanish(online_form: Path, tmp_path: Path) -> None:
    blank = online_form
    text = pdftotext(blank)
    assert "Auditoría de fidelización" in text
    bank = load_bank(ROOT / "questions")
    shop_only = next(s for _, s in bank.sections() if s.applies_if and "online" not in s.applies_if.get("channel", []))
    assert str(shop_only.title["es"]) not in text  # a physical-shop section is left out for an online-only company
    put: dict[str, Any] = {"respondent.department": "marketing", "answer.fo-web-interface": "3",
                           "answer.bo-delivery-days": "4", "option.bo-payment-methods:card": "on",
                           "option.bo-payment-methods:bizum": "on", "na.fo-landing-pages": "on"}
    filled = fill(blank, tmp_path / "filled.pdf", put)
    out = tmp_path / "answers.json"
    assert cli("import-form", str(filled), "-o", str(out)).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["profile"] == {"channel": "online", "market": "b2c"}
    assert data["answers"] == {"fo-web-interface": "3", "fo-landing-pages": "na",
                               "bo-payment-methods": ["card", "bizum"], "bo-delivery-days": 4}
    assert data["respondent"] == {"department": "marketing"} and data["language"] == "es"


def test_bad_values_are_refused_with_their_page(mini_form: Path, tmp_path: Path) -> None:
    filled = fill(mini_form, tmp_path / "filled.pdf", {"answer.q4": "abc", "answer.q2": "x", "na.q2": "on",
                                                       "answer.q5": "1"})
    filled_range = fill(mini_form, tmp_path / "range.pdf", {"answer.q4": "45"})
    out = tmp_path / "answers.json"
    run = cli("import-form", "--bank", str(MINI), str(filled), "-o", str(out))
    assert run.returncode == 2
    page = next(i for i, p in enumerate(PdfReader(filled).pages, 1)
                if any(a.get_object().get("/T") == "answer.q4" for a in p.get("/Annots", [])))
    assert sorted(run.stderr.splitlines()) == sorted([
        f"{filled}:{page}: field 'answer.q4': 'abc' is not a number; expected a number such as 12 or 2,5",
        f"{filled}:{page}: field 'na.q2': N/A is ticked and the question is answered too; expected one or the other"])
    assert not out.exists()
    run = cli("import-form", "--bank", str(MINI), str(filled_range), "-o", str(out))
    assert run.returncode == 2
    assert "answer to 'q4' is 45, outside its range; expected a number from 0 to 30" in run.stderr
    run = cli("import-form", str(mini_form), "-o", str(out))  # the default bank: another bank's form
    assert run.returncode == 2 and "this questionnaire is for bank 'mini'; expected 'loyalty-audit'" in run.stderr
    not_ours = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    with not_ours.open("wb") as handle:
        writer.write(handle)
    run = cli("import-form", "--bank", str(MINI), str(not_ours), "-o", str(out))
    assert run.returncode == 2 and "is not a loyalty-audit questionnaire" in run.stderr
    assert not out.exists()
    run = cli("form", "--bank", str(MINI), "--profile", "channel=moon", "-o", str(out))
    assert run.returncode == 2
    assert "'moon' is not an option of 'channel'; expected one of: shop, web, both" in run.stderr
    run = cli("form", "--bank", str(MINI), "--profile", "channel", "-o", str(out))
    assert run.returncode == 2
    assert "Invalid value for --profile: 'channel' has no value; expected KEY=VALUE" in run.stderr

    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"not a PDF at all")
    run = process("import-form", "--bank", str(MINI), str(garbage), "-o", str(out))  # all a real process prints
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"{garbage}:1: cannot read this PDF: it is not a PDF (a PDF starts with %PDF-); "
                                       "expected a questionnaire made by 'loyalty-audit form'"]  # one line, no noise
    damaged = tmp_path / "damaged.pdf"
    writer = PdfWriter(clone_from=mini_form)
    writer.add_metadata({"/LoyaltyAudit": "{not json"})
    with damaged.open("wb") as handle:
        writer.write(handle)
    run = cli("import-form", "--bank", str(MINI), str(damaged), "-o", str(out))
    assert run.returncode == 2 and "/LoyaltyAudit metadata is damaged" in run.stderr
    assert not out.exists()
