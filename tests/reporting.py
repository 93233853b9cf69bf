"""Shared pieces of the report tests: a small bilingual bank, a team, PDF text, log capture."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import weasyprint_logs_nothing, write_yaml


def _scale() -> list[dict[str, Any]]:
    words = [("Nada", "None"), ("Poco", "Little"), ("A medias", "Halfway"), ("Bastante", "Mostly"),
             ("Del todo", "Fully")]
    return [{"key": i, "label": {"es": es, "en": en}, "score": i / 4} for i, (es, en) in enumerate(words)]


def duo_bank(folder: Path) -> Path:
    """A two-language bank with a front and a back office and one gap rule."""
    write_yaml(folder / "bank.yaml", {
        "id": "duo", "version": "2", "languages": ["es", "en"],
        "title": {"es": "Auditoría dúo", "en": "Duo audit"},
        "target": 75, "divergence_threshold": 25,
        "scales": {"five": _scale()},
        "levels": [{"key": "low", "from": 0, "label": {"es": "Bajo", "en": "Low"},
                    "summary": {"es": "Queda mucho por hacer.", "en": "Much remains to be done."}},
                   {"key": "mid", "from": 50, "label": {"es": "Medio", "en": "Middle"}}],
        "departments": [{"key": "sales", "label": {"es": "Ventas", "en": "Sales"}},
                        {"key": "ops", "label": {"es": "Operaciones", "en": "Operations"}}],
        "areas": ["front_office.yaml", "back_office.yaml"],
        "rules": [{"id": "attracts-more", "when": [{"gap": ["front_office", "back_office"], "at_least": 10}],
                   "title": {"es": "Atrae más de lo que retiene", "en": "Attracts more than it retains"},
                   "text": {"es": "La trastienda no acompaña.", "en": "The back room lags behind."}}],
    })
    write_yaml(folder / "front_office.yaml", {
        "id": "front_office", "title": {"es": "Frente", "en": "Front"},
        "sections": [
            {"id": "shop", "title": {"es": "Tienda", "en": "Shop"}, "questions": [
                {"id": "f1", "text": {"es": "¿Escaparate?", "en": "Shop window?"}, "scale": "five",
                 "effort": "low", "suggestion": {"es": "Renueve el escaparate.", "en": "Renew the window."},
                 "kpis": [{"es": "Visitas", "en": "Footfall"}]},
                {"id": "f2", "text": {"es": "¿Rótulo?", "en": "Sign?"}, "scale": "five"}]},
            {"id": "web", "title": {"es": "Web", "en": "Website"}, "questions": [
                {"id": "f3", "text": {"es": "¿Web rápida?", "en": "Fast website?"}, "scale": "five",
                 "effort": "high"}]}]})
    write_yaml(folder / "back_office.yaml", {
        "id": "back_office", "title": {"es": "Trastienda", "en": "Back room"},
        "sections": [
            {"id": "delivery", "title": {"es": "Entrega", "en": "Delivery"}, "questions": [
                {"id": "b1", "text": {"es": "¿Plazos?", "en": "Lead times?"}, "scale": "five", "weight": 2,
                 "suggestion": {"es": "Mida los plazos.", "en": "Measure lead times."}},
                {"id": "b2", "type": "number", "text": {"es": "¿Días de entrega?", "en": "Delivery days?"},
                 "unit": {"es": "días", "en": "days"}, "range": [0, 90],
                 "bands": [{"max": 3, "score": 1}, {"max": 10, "score": 0.5}, {"score": 0}]}]},
            {"id": "service", "title": {"es": "Servicio", "en": "Service"}, "questions": [
                {"id": "b3", "type": "multi", "text": {"es": "¿Canales?", "en": "Channels?"},
                 "options": [{"key": "phone", "label": {"es": "Teléfono", "en": "Phone"}, "score": 0.5},
                             {"key": "mail", "label": {"es": "Correo", "en": "Email"}, "score": 0.5}]},
                {"id": "b4", "type": "text", "text": {"es": "¿Algo más?", "en": "Anything else?"}}]}]})
    return folder


def duo_team(path: Path, organisation: str = "Muebles Ñandú S.L.", *, submitted: bool = True,
             comment: str = "Lo cambiamos cada temporada.", answer: str = "Todo bien") -> Path:
    """Two respondents of two departments.

    Shop = 100 (.625 + .5) / 2 = 56.25, printed 56.2 (Python rounds half to even, as the CLI
    does); web = 50 (answers 4 and 0: the team disagrees); front office 53.125; delivery =
    100 (2 * .125 + .5) / 3 = 25; service 50; back office 37.5; the gap of 15.6 fires the rule.
    """
    first: dict[str, Any] = {"respondent": {"name": "Ana", "department": "sales"}, "language": "es",
                             "answers": {"f1": 3, "f2": 2, "f3": 4, "b1": 0, "b2": 12, "b3": ["phone"],
                                         "b4": answer},
                             "comments": {"f1": comment}}
    second: dict[str, Any] = {"respondent": {"name": "Bo", "department": "ops"}, "language": "en",
                              "answers": {"f1": 2, "f2": 2, "f3": 0, "b1": 1, "b2": 2.5, "b3": ["phone"]}}
    if submitted:
        first["submitted"] = "2026-11-22T10:00:00Z"
        second["submitted"] = "2026-11-21"
    return write_yaml(path, {"bank": "duo", "bank_version": "2", "organisation": organisation,
                             "respondents": [first, second]})


def pdftotext(pdf: Path, *, layout: bool = False, first: int | None = None, last: int | None = None) -> str:
    """The text of a PDF as poppler reads it; pages are separated by form feeds."""
    stat = Path(pdf).stat()
    return _pdftotext(str(pdf), (stat.st_ino, stat.st_mtime_ns, stat.st_size), layout, first, last)


@functools.lru_cache(maxsize=64)
def _pdftotext(pdf: str, version: tuple[int, int, int], layout: bool, first: int | None, last: int | None) -> str:
    """(Read once per version of the file: several tests read the same shared report.)"""
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    done = subprocess.run([*args, pdf, "-"], capture_output=True, text=True, check=True)
    return done.stdout


def pages(pdf: Path, *, layout: bool = False) -> list[str]:
    return pdftotext(pdf, layout=layout).split("\f")[:-1]


def flat(text: str) -> str:
    """Whitespace collapsed, so words split over lines still match."""
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def weasyprint_silent() -> Iterator[None]:
    """A warning WeasyPrint logs during a test fails it (as WeasyPrint's own assert_no_logs)."""
    with weasyprint_logs_nothing():
        yield
