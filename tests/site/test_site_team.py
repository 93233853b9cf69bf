"""The team page as the consultant's tool: files kept across reloads, notes in the page's
language, profile conflicts first, a heat map sortable by divergence with the questions
under each section, free text by department pooled as the CLI pools, "add my answers"
refusing an empty set, and a CSV of what is shown."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from test_site_browser import BANK, DEMO, cli_scores, page_lang, shown
from test_site_v2 import V2_BANK, cli_scores_for

from audit.read.bank import load_bank

FILES = sorted(DEMO.glob("0*.json"))


def load(tab: Any, paths: list[Path]) -> None:
    tab.set_input_files("[data-team-files]", [str(p) for p in paths])
    tab.wait_for_selector("[data-team-result]:not([hidden])")


def test_files_kept_across_reloads(page: Any, http_url: str) -> None:
    page.goto(http_url + "team.html")
    load(page, FILES)
    score = page.inner_text("[data-team-score=overall]")
    page.reload()
    page.wait_for_selector("[data-team-result]:not([hidden])")
    assert page.inner_text("[data-team-score=overall]") == score
    assert page.locator("[data-team-list] li.is-used").count() == len(FILES)
    page.click("[data-action=team-clear]")
    page.reload()
    assert page.locator("[data-team-list] li.is-used").count() == 0
    assert page.locator("[data-team-result]").is_hidden()


def test_conflicts_first_and_notes_in_the_page_language(page: Any, http_url: str, tmp_path: Path) -> None:
    data = json.loads(FILES[0].read_text(encoding="utf-8"))
    pq = BANK.profile[0]
    others = [o.key for o in pq.options if o.key != data.get("profile", {}).get(pq.id)]
    data["profile"] = {**data.get("profile", {}), pq.id: others[0]}
    data["bank_version"] = "0.9"
    data["organisation"] = "Otra empresa S.A."
    odd = tmp_path / "zz-otra.json"
    odd.write_text(json.dumps(data), encoding="utf-8")
    page.goto(http_url + "team.html")
    load(page, [*FILES, odd])
    box = page.locator("[data-team-result] > *").first
    assert box.get_attribute("data-team-conflicts") is not None
    conflict = page.inner_text("[data-team-conflicts]")
    assert "no coinciden" in conflict and "se puntúa como" in conflict
    notes = page.inner_text("[data-team-notes]")
    assert "zz-otra.json: respondido para la versión 0.9" in notes
    assert "la organización «Otra empresa S.A.» es distinta" in notes
    for raw in ("respondents disagree", "answers are for bank version", "differs from", pq.id + "'"):
        assert raw not in page.inner_text("[data-team-result]")


def test_heat_map_sorted_by_divergence_opens_onto_questions(page: Any, http_url: str) -> None:
    result = cli_scores(FILES)
    lang = "es"
    page.goto(http_url + "team.html")
    load(page, FILES)
    page.click("[data-action=team-sort][data-sort=divergence]")
    refs = page.locator("tr[data-team-row^='section:']").evaluate_all("es => es.map(e => e.dataset.teamRow)")
    values = [result["sections"][r.split(":", 1)[1]]["divergence"] for r in refs]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True) and len(present) > 3
    assert all(v is None for v in values[len(present):])
    top = refs[0].split(":", 1)[1]
    assert page.inner_text(f'[data-divergence="section:{top}"]').startswith(shown(values[0], lang))
    # drill down: the section's questions, with the team's score of each as the CLI gives it
    page.click(f"[data-action=team-drill][data-section={top}]")
    questions = [q for _, s, q in BANK.questions() if s.id == top and q.weight > 0 and q.type != "text"]
    for q in questions:
        row = page.locator(f'[data-team-question="{q.id}"]')
        assert row.is_visible()
        assert row.locator("td").first.inner_text() == shown(result["questions"][q.id]["score"], lang)
    page.click(f"[data-action=team-drill][data-section={top}]")
    assert page.locator(f'[data-team-question="{questions[0].id}"]').is_hidden()
    page.click("[data-action=team-sort][data-sort=bank]")
    assert page.locator("tr[data-team-row^='area:']").count() == len(BANK.areas)


def test_csv_is_what_the_table_shows(page: Any, http_url: str, tmp_path: Path) -> None:
    page.goto(http_url + "team.html")
    load(page, FILES)
    with page.expect_download() as info:
        page.click("[data-action=team-csv]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    header = page.locator(".la-team-table thead th").all_inner_texts()
    assert rows[0] == header
    # each cell's number (a team score's own span, else the cell's first text), the flag left out
    shown_rows = page.locator(".la-team-table tbody tr:not([hidden])").evaluate_all(
        "rs => rs.map(r => Array.from(r.children).map(c => (c.querySelector('[data-team-score]') || c)"
        ".firstChild.textContent))")
    assert [r[1:] for r in rows[1:]] == [[cell.strip() for cell in r[1:]] for r in shown_rows]
    assert rows[1][0] == "Global" and len(rows) == len(shown_rows) + 1


def test_add_my_answers_refuses_an_empty_set(page: Any, http_url: str) -> None:
    page.goto(http_url + "team.html")
    page.click("[data-action=team-add-own]")
    assert page.locator("[data-team-own-empty]").is_visible()
    assert page.locator("[data-team-list] li.is-used").count() == 0
    assert page.locator("[data-team-result]").is_hidden()
    page.goto(http_url + "index.html")
    page.goto(http_url + "about.html")
    page.select_option("[data-respondent=department]", "sales")
    page.goto(http_url + "back_office/payment.html")
    page.check('[data-question="bo-payment-friction"] input[value="4"]')
    page.goto(http_url + "team.html")
    page.click("[data-action=team-add-own]")
    assert page.locator("[data-team-list] li.is-used").count() == 1


def test_free_text_by_department_pooled_as_the_cli(page: Any, v2_url: str, tmp_path: Path) -> None:
    bank = load_bank(V2_BANK)
    assert bank.min_group == 2
    people = [("Ana", "sales", "Lento en caja"), ("Luis", "sales", "Mejor por la tarde"),
              ("Marta", "ops", "Solo yo en ops")]
    paths = []
    for name, dept, words in people:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"bank": bank.id, "bank_version": bank.version,
                                    "respondent": {"name": name, "department": dept},
                                    "answers": {"f-window": 2, "w-notes": words},
                                    "comments": {"f-window": f"{words} (comentario)"}}), encoding="utf-8")
        paths.append(path)
    result = cli_scores_for(V2_BANK, paths)
    assert list(result["departments"]) == ["sales"]  # ops alone: pooled, and the pool too small to show
    page.goto(v2_url + "team.html")
    load(page, paths)
    texts = page.inner_text("[data-team-texts]")
    departments = page.locator("[data-text-department]").evaluate_all("es => es.map(e => e.dataset.textDepartment)")
    assert departments == ["sales"]
    assert "Lento en caja" in texts and "Mejor por la tarde (comentario)" in texts
    assert "Solo yo en ops" not in texts
    for name, _, _ in people:
        assert name not in texts
    assert page_lang(page) == "en"
    assert "fewer than 2 respondents are pooled" in texts
