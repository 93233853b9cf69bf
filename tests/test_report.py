"""The PDF report end to end: built for real, read back with pypdf and pdftotext."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit.engine.score import Result, score
from audit.read.answers import load_responses
from audit.read.bank import load_bank
from audit.run.options import Options
from audit.run.report import build_report
from audit.write.terminal import fmt

from .conftest import DEMO, OTHER_HASH_SEED, ROOT, Branded, cli
from .reporting import duo_bank, duo_team, flat, pages, pdftotext, weasyprint_silent  # noqa: F401

BANK = ROOT / "questions"


def es(value: float | None, digits: int = 1) -> str:
    """The CLI's rounding, written the Spanish way."""
    return fmt(value, digits).replace(".", ",")


@pytest.fixture(scope="module")
def demo(demo_reports: dict[str, Path]) -> tuple[Path, Result]:
    bank = load_bank(BANK)
    return demo_reports["es"], score(bank, load_responses([DEMO], bank))


@pytest.fixture(scope="module")
def demo_scores() -> dict[str, object]:
    done = cli("score", "--bank", str(BANK), "--format", "json", str(DEMO))
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def test_cover(demo: tuple[Path, Result]) -> None:
    pdf, result = demo
    cover = flat(pages(pdf)[0])
    assert "Auditoría de fidelización de clientes" in cover
    assert "Muebles Alba S.L." in cover
    assert "Laura Pérez" in cover and "Norte Consultores" in cover
    latest = max(r.submitted or "" for r in result.team.respondents)
    assert latest.startswith("2026-11-19")
    assert "19 de noviembre de 2026" in cover
    reader = PdfReader(pdf)
    images = list(reader.pages[0].images) + [x for x in reader.pages[0].get("/Resources", {}).get("/XObject", {})]
    assert images, "the logo is drawn on the cover"


def test_contents_page_numbers_point_at_the_parts(demo: tuple[Path, Result]) -> None:
    pdf, result = demo
    texts = pages(pdf)
    contents = texts[1]
    for area in result.bank.areas:
        title = next(iter(area.title.values())) if isinstance(area.title, dict) else area.title
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.M)
        assert match, title
        page = int(match.group(1))
        assert title in flat(texts[page - 1]), (title, page)


def test_summary_leads_with_the_decision_and_the_cli_numbers(demo: tuple[Path, Result],
                                                             demo_scores: dict[str, object]) -> None:
    pdf, result = demo
    texts = pages(pdf)
    summary = flat(texts[2])
    overall = demo_scores["overall"]
    assert isinstance(overall, dict)
    assert summary.startswith("Muebles Alba S.L. Resumen ejecutivo Resumen ejecutivo")
    # the headline: the first rule that holds, the back-office gap, with both areas' scores and the gap
    areas = demo_scores["areas"]
    assert isinstance(areas, dict)
    assert demo_scores["diagnoses"][0] == "back-office-gap"
    assert "DIAGNÓSTICO PRINCIPAL La empresa vende, pero no fideliza: el problema está después de la venta" in summary
    front, back = areas["front_office"]["score"], areas["back_office"]["score"]
    assert f"{es(front)} de 100" in summary and f"{es(back)} de 100" in summary
    assert f"diferencia de {es(front - back)} puntos" in summary
    # backed by the client's own figures: the delivery days they gave, against the band that scores best
    days = [r.answers["bo-delivery-days"] for r in result.team.respondents
            if isinstance(r.answers.get("bo-delivery-days"), (int, float))]
    assert f"{min(days):g}–{max(days):g} días · según {len(days)} participantes · bueno: ≤ 2 días" in summary
    assert summary.index("LO QUE MUESTRAN SUS CIFRAS") < summary.index("PUNTUACIÓN GLOBAL")
    # one scale, with what the other figures mean next to them
    assert f"{es(overall['score'])} de 100" in summary and "Nivel: Definido" in summary
    assert es(100 * overall["percent_to_target"]) + " %" in summary  # a no-break space in the PDF
    assert "no es la puntuación dividida por 75" in summary
    assert es(100 * overall["completion"]) + " %" in summary and "No es una puntuación" in summary
    # the second page: initiatives grouped from the recommendations in focus, and the decisions
    second = flat(texts[3])
    assert second.startswith("Muebles Alba S.L. Resumen ejecutivo Iniciativas prioritarias")
    recs = demo_scores["recommendations"]
    assert isinstance(recs, list)
    points = re.findall(r"\+(\d+,\d)\b", second)
    ranks = [[int(n) for n in found.split(", ")] for found in re.findall(r"n\.º ([\d, ]+) del anexo", second)]
    assert 3 <= len(ranks) <= 5 and len(points) == len(ranks)
    for group, shown in zip(ranks, points, strict=True):
        assert shown == es(sum(recs[n - 1]["gain"] for n in group))
        assert all("back-office-gap" in recs[n - 1]["focus"] for n in group)
    assert "Decisiones para la dirección" in second
    # and the next page is the next part: the summary fitted on two pages
    assert flat(texts[4]).split(" ", 3)[-1].startswith("Hallazgos")


def test_every_score_printed_equals_the_cli(demo: tuple[Path, Result], demo_scores: dict[str, object]) -> None:
    pdf, result = demo
    # with departments, the scores are in the department-by-section table (team and divergence columns)
    heading = "Cada departamento, sección por sección"
    table = [line for page in pages(pdf, layout=True) if heading in page
             for line in page.split(heading, 1)[1].splitlines()]
    assert table
    titles = {s.id: s.title["es"] for _, s in result.bank.sections()} | {
        a.id: a.title["es"] for a in result.bank.areas}  # type: ignore[index]
    sections = demo_scores["sections"]
    areas = demo_scores["areas"]
    assert isinstance(sections, dict) and isinstance(areas, dict)
    departments = demo_scores["departments"]
    assert isinstance(departments, dict)
    for ident, node in [*sections.items(), *areas.items()]:
        row = next((line for line in table if line.strip().startswith(titles[ident][:20])), None)
        assert row is not None, ident
        cells = row.split()
        assert es(node["score"]) in cells, (ident, row)
        assert es(node["divergence"]) in cells, (ident, row)
        assert ("▲" in cells) == node["flagged"], (ident, row)
        kind = "sections" if ident in sections else "areas"
        for dept in departments.values():
            assert es(dept[kind][ident]) in cells, (ident, row)


def test_every_section_and_question_is_in_its_part(demo: tuple[Path, Result]) -> None:
    pdf, result = demo
    text = flat(pdftotext(pdf.with_name("es-appendix.pdf")))  # the data pack
    for number_a, area in enumerate(result.bank.areas, 1):
        for number_s, section in enumerate((s for s in area.sections if s.id in result.sections), 1):
            heading = f"{number_a}.{number_s} {section.title['es']}"  # type: ignore[index]
            assert heading in text
            node = result.sections[section.id]
            assert f"{es(node.score)} puntos" in text
            for q in section.questions:
                if q.id in result.questions:
                    assert q.id in text  # the technical annex lists every question's id


def test_recommendations_in_order_in_the_roadmap(demo: tuple[Path, Result]) -> None:
    pdf, result = demo
    texts = pages(pdf.with_name("es-appendix.pdf"))  # each recommendation once, in the data pack
    start = next(i for i, t in enumerate(texts) if "Hoja de ruta de mejora Todas las preguntas" in flat(t))
    end = next(i for i, t in enumerate(texts) if i > start and "Hoja de ruta de mejora" not in t)  # the next part
    roadmap = flat(" ".join(texts[start:end]))
    groups = re.split(r"Victorias rápidas \(esfuerzo bajo\)|Proyectos \(esfuerzo medio\)|"
                      r"Largo plazo \(esfuerzo alto\)", roadmap)
    assert len(groups) == 4
    for effort, text in zip(("low", "medium", "high"), groups[1:], strict=True):
        expected = [es(r.gain, 2) for r in result.recommendations if r.effort == effort]
        assert re.findall(r"\+(\d+,\d\d)\b", text) == expected, effort


def test_attachments_give_back_the_same_scores(demo: tuple[Path, Result], tmp_path: Path) -> None:
    pdf, result = demo
    reader = PdfReader(pdf)
    names = set(reader.attachments)
    assert {"responses.json", "report/scores.json", "report/bank.json", "bank/bank.yaml",
            "bank/front_office.yaml", "bank/back_office.yaml", "bank/implementation.yaml"} == names
    done = cli("extract", str(pdf), "-o", str(tmp_path / "answers"))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "answers"
    identity = json.loads((out / "report" / "bank.json").read_text())
    assert identity["digest"] == result.bank.digest == load_bank(out / "bank").digest
    again = cli("score", "--bank", str(out / "bank"), "--format", "json", str(out / "responses.json"))
    assert again.returncode == 0, again.stderr
    rescored = json.loads(again.stdout)
    original = json.loads(json.dumps(result.to_json()))
    rescored.pop("warnings")
    original.pop("warnings")
    assert rescored == original
    attached = json.loads((out / "report" / "scores.json").read_text())
    attached.pop("warnings")
    assert attached == original
    # the attached answers are a plain response file: the folder scores as well
    assert json.loads(cli("score", "--bank", str(out / "bank"), "--format", "json", str(out)).stdout)[
        "overall"] == original["overall"]


def test_metadata_language_and_archival_markers(demo: tuple[Path, Result]) -> None:
    pdf, result = demo
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Auditoría de fidelización de clientes — Muebles Alba S.L."
    assert meta.author == "Laura Pérez"
    assert meta.creator == "loyalty-audit 0.1.0"
    latest = max(dt.datetime.fromisoformat(r.submitted or "") for r in result.team.respondents)
    assert meta["/CreationDate"] == meta["/ModDate"] == latest.strftime("D:%Y%m%d%H%M%SZ")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/AF" in root and "/OutputIntents" in root


def test_fonts_are_embedded(demo: tuple[Path, Result]) -> None:
    pdf, _ = demo
    reader = PdfReader(pdf)
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values()), fonts
    # only the report's own fonts (templates/report/fonts), subset: no system font slipped in
    assert all(re.fullmatch(r"/[A-Z]{6}\+Report-(Sans|Serif|Mono)(-Bold|-Italic|-BoldItalic)?", name)
               for name in fonts), fonts


def test_same_inputs_same_bytes(duo_branded: Branded, duo_branded_elsewhere: Path) -> None:
    # made in this process, and by the command line in a fresh process with another hash seed
    assert os.environ.get("PYTHONHASHSEED") != OTHER_HASH_SEED
    assert not [w for w in duo_branded.written.warnings if w.startswith("rendering:")]
    outs = [duo_branded.pdf.read_bytes(), duo_branded_elsewhere.read_bytes()]
    assert outs[0] == outs[1]
    # the identifier is a hash of the content, not random
    ids = PdfReader(duo_branded_elsewhere).trailer["/ID"]
    assert ids[0] == ids[1]


def test_english_and_spanish_write_numbers_and_dates_their_way(duo_reports: dict[str, Path]) -> None:
    texts = {}
    for lang in ("es", "en"):
        out = duo_reports[lang]
        texts[lang] = flat(pdftotext(out))
        assert PdfReader(out).trailer["/Root"]["/Lang"] == lang
    # shop 56.25 is printed 56.2 by the CLI (half to even): the report agrees in both languages
    assert "56,2" in texts["es"] and "56.2" not in texts["es"]
    assert "56.2" in texts["en"] and "56,2" not in texts["en"]
    assert "45,3" in texts["es"] and "45.3" in texts["en"] and "45.3" not in texts["es"]
    assert "60,4 %" in texts["es"] and "60.4%" in texts["en"]
    assert "22 de noviembre de 2026" in texts["es"] and "22 November 2026" in texts["en"]
    assert "Resumen ejecutivo" in texts["es"] and "Executive summary" in texts["en"]
    assert "Atrae más de lo que retiene" in texts["es"] and "Attracts more than it retains" in texts["en"]
    # a number answer keeps the decimals it was given, with the language's separator and unit: in
    # the summary's evidence (the rule looks at both areas) and among every answer in the data pack
    assert "2,5–12 días" in texts["es"] and "2.5–12 days" in texts["en"]
    packs = {lang: flat(pdftotext(duo_reports[lang].with_name(f"{lang}-appendix.pdf"))) for lang in ("es", "en")}
    assert "2,5 días" in packs["es"] and "2.5 days" in packs["en"]


def test_html_is_the_same_report_standalone(duo_branded: Branded) -> None:
    html, pdf, written = duo_branded.html, duo_branded.pdf, duo_branded.written
    assert written.html == html and written.pdf == pdf
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "file://" not in page and "url(fonts/" not in page  # nothing outside the page itself
    assert 'src="data:image/svg+xml;base64,' in page  # the logo travels inside
    for words in ("Resumen ejecutivo", "Iniciativas prioritarias", "Alcance y limitaciones"):
        assert words in page
    assert page.count("<svg") >= 3


def test_undated_answers_make_an_undated_report(tmp_path: Path) -> None:
    # the duo team's answers without a submitted date, in English: as they are, and dated by --date
    bank = duo_bank(tmp_path / "bank")
    team = duo_team(tmp_path / "team.yaml", submitted=False)
    out, dated = tmp_path / "undated.pdf", tmp_path / "dated.pdf"
    build_report([team], Options(bank=bank, lang="en"), output=out)
    build_report([team], Options(bank=bank, lang="en", date=dt.date(2027, 1, 31)), output=dated)
    assert "Undated" in pages(out)[0]
    meta = PdfReader(out).metadata
    assert meta is not None and "/CreationDate" not in meta
    # --date sets it
    assert "31 January 2027" in pages(dated)[0]
    meta = PdfReader(dated).metadata
    assert meta is not None and meta["/CreationDate"] == "D:20270131"


def test_a_bare_bank_and_an_unscored_team_still_make_a_report(tmp_path: Path) -> None:
    from .conftest import make_bank, write_yaml

    bank = make_bank(tmp_path / "bank", [{"id": "q", "scale": "two", "na": True}], levels=[], departments=[])
    team = write_yaml(tmp_path / "team.yaml", {"bank": "test", "answers": {"q": "na"}})
    out = tmp_path / "r.pdf"
    written = build_report([team], Options(bank=tmp_path / "bank"), output=out)
    assert written.pages >= 5 and not written.warnings
    text = flat(pdftotext(out))
    assert "Unnamed organisation" in text and "— out of 100" in text
    assert "No diagnostic rule fired" in text and "No scored answers." in text
    assert bank.id == "test"
