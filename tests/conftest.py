from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from audit.read.bank import load_bank
from audit.read.answers import load_responses
from audit.model import Bank
from audit.engine.score import Result, score

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MINI = DATA / "mini"


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def respondent(answers: dict[str, Any], *, department: str | None = None, name: str | None = None,
               profile: dict[str, str] | None = None, comments: dict[str, str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"respondent": {}, "answers": answers}
    if name:
        entry["respondent"]["name"] = name
    if department:
        entry["respondent"]["department"] = department
    if profile:
        entry["profile"] = profile
    if comments:
        entry["comments"] = comments
    return entry


def score_team(bank: Bank, tmp_path: Path, *entries: dict[str, Any], organisation: str = "Acme") -> Result:
    """Write ``entries`` as one response file and score it."""
    path = write_yaml(tmp_path / "answers.yaml", {"bank": bank.id, "bank_version": bank.version,
                                                  "organisation": organisation,
                                                  "respondents": list(entries)})
    return score(bank, load_responses([path], bank))


@pytest.fixture(scope="session")
def mini() -> Bank:
    return load_bank(MINI)


def make_bank(folder: Path, questions: list[dict[str, Any]], sections: list[dict[str, Any]] | None = None,
              areas: list[dict[str, Any]] | None = None, **header: Any) -> Bank:
    """A one-language bank; by default one area 'area' with one section 'sec' holding ``questions``."""
    bank = {"id": "test", "version": "1", "languages": ["en"], "title": "Test",
            "scales": {"two": [{"key": 0, "label": "No", "score": 0},
                               {"key": 1, "label": "Yes", "score": 1}]},
            "levels": [{"key": "low", "from": 0, "label": "Low"}],
            "departments": [{"key": "d1", "label": "D1"}, {"key": "d2", "label": "D2"}]}
    bank.update(header)
    if areas is None:
        sections = sections or [{"id": "sec", "title": "Sec", "questions": questions}]
        areas = [{"id": "area", "title": "Area", "sections": sections}]
    for q in (q for a in areas for s in a["sections"] for q in s["questions"]):
        q.setdefault("text", q["id"])
    bank["areas"] = []
    for area in areas:
        write_yaml(folder / f"{area['id']}.yaml", area)
        bank["areas"].append(f"{area['id']}.yaml")
    write_yaml(folder / "bank.yaml", bank)
    return load_bank(folder)
