"""Tagging with the page references worked out once: the same PDF, byte for byte, and
WeasyPrint left as it was found."""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path
from typing import Any

import pydyf  # type: ignore[import-untyped]
import pytest
import weasyprint.pdf
from weasyprint import HTML

import audit.write.report.pdf as pdf_module
from audit.run.options import Options
from audit.run.report import build_report

from .reporting import duo_bank, duo_team

PAGES = "".join(f"<h2 style='break-before: page'>Part {n}</h2><p>Text {n}.</p><ul><li>a</li><li>b</li></ul>"
                "<table><tr><th>x</th><td>1</td></tr></table>" for n in range(12))


def tagged(html: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = HTML(string=f"<html lang=en><title>T</title>{html}</html>").write_pdf(pdf_tags=True)
    assert isinstance(pdf, bytes)
    return pdf


def test_tagging_gives_the_same_bytes_and_builds_page_references_once_per_call(monkeypatch:
                                                                                pytest.MonkeyPatch) -> None:
    built: list[int] = []
    plain = pydyf.PDF.page_references.fget

    def counted(pdf: Any) -> Any:
        built.append(1)
        return plain(pdf)

    monkeypatch.setattr(pydyf.PDF, "page_references", property(counted))
    before = tagged(PAGES)
    uncached = len(built)
    built.clear()
    original = weasyprint.pdf.add_tags
    with pdf_module._tagging_once_per_page():
        assert weasyprint.pdf.add_tags is not original
        after = tagged(PAGES)
    assert weasyprint.pdf.add_tags is original  # put back
    assert after == before
    # once for the tags (instead of once per tagged element), and the links' own reads
    assert uncached > 12 * 5 and len(built) < uncached / 5


def test_the_report_is_the_same_with_and_without_the_workaround(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    bank = duo_bank(tmp_path / "bank")
    team = duo_team(tmp_path / "team.yaml")
    build_report([team], Options(bank=bank), output=tmp_path / "with.pdf")
    monkeypatch.setattr(pdf_module, "_tagging_once_per_page", contextlib.nullcontext)
    build_report([team], Options(bank=bank), output=tmp_path / "without.pdf")
    assert (tmp_path / "with.pdf").read_bytes() == (tmp_path / "without.pdf").read_bytes()
