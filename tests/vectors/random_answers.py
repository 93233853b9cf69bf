"""Random but valid response files (docs/responses.md) for a bank, from a seeded generator.

Used for the generated test vectors and for the Python/JavaScript parity test: every
question type, N/A, "I don't know" (where the question allows it), empty and capped multi
answers, numbers on band edges and outside every band, unanswered questions, sparse
respondents who answer a few questions only (so that sections fall below the bank's
min_coverage), answers to questions that do not apply, profiles, departments, several
respondents in one file, and old bank versions.
"""

from __future__ import annotations

import random
from typing import Any

from audit.model import Bank, Question, kind_of

OTHER_DEPARTMENTS = ["north", "south", "east"]


def _number(q: Question, rng: random.Random) -> float | int:
    lo, hi = (q.range if q.range else (-50.0, 250.0))
    edges = [b.max for b in q.bands or [] if b.max is not None] + [b.min for b in q.bands or [] if b.min is not None]
    edges = [e for e in edges if lo <= e <= hi]
    pick = rng.random()
    if edges and pick < 0.3:
        return rng.choice(edges)
    if pick < 0.45:
        return rng.choice([lo, hi])
    if pick < 0.6:
        return int(rng.uniform(lo, hi))
    value = round(rng.uniform(lo, hi), rng.choice([1, 2, 3, 6]))
    return min(max(value, lo), hi)


def takes_dont_know(q: Question) -> bool:
    """Whether ``dont_know`` is "I don't know" to ``q`` (and not refused, nor an option)."""
    return kind_of(q).na and q.dont_know and "dont_know" not in [o.key for o in q.options or []]


def random_answer(q: Question, rng: random.Random, unanswered: float = 0.15) -> Any:
    """One answer to ``q`` as a file would hold it, or None for unanswered (with the chance
    ``unanswered``)."""
    if rng.random() < unanswered:
        return None
    roll = rng.random()
    if q.na and roll < 0.12:
        return "na"
    if takes_dont_know(q) and 0.12 <= roll < 0.24:
        return "dont_know"
    keys = [o.key for o in q.options or []]
    shape = kind_of(q).answer
    if shape == "single":
        key = rng.choice(keys)
        return int(key) if key.isdigit() and rng.random() < 0.5 else key
    if shape == "multiple":
        chosen = rng.sample(keys, rng.randint(0, len(keys)))
        return chosen
    if shape == "numeric":
        return _number(q, rng)
    return rng.choice(["", "Some notes.", "Más notas, con acentos.", "x" * 30])


def random_entry(bank: Bank, rng: random.Random, index: int) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    name = rng.choice([None, f"Person {index}", "Ana", "Luis"])
    if bank.departments:
        dept = rng.choice([None, *[d.key for d in bank.departments][:4]])
    else:
        dept = rng.choice([None, *OTHER_DEPARTMENTS])
    entry["respondent"] = {k: v for k, v in (("name", name), ("department", dept)) if v is not None}
    profile = {pq.id: rng.choice([o.key for o in pq.options]) for pq in bank.profile if rng.random() < 0.75}
    if profile or rng.random() < 0.5:
        entry["profile"] = profile
    answers: dict[str, Any] = {}
    comments: dict[str, str] = {}
    skip_all = rng.random() < 0.05
    # now and then someone answers a few questions only, or "I don't know" to most
    unanswered = rng.choice([0.15, 0.15, 0.15, 0.5, 0.85, 0.95])
    doubtful = rng.random() < 0.1
    for _, _, q in bank.questions():
        if skip_all:
            break
        value = random_answer(q, rng, unanswered)
        if doubtful and value is not None and takes_dont_know(q) and rng.random() < 0.7:
            value = "dont_know"
        if value is not None and value != "":
            answers[q.id] = value
        if rng.random() < 0.05:
            comments[q.id] = f"Comment on {q.id}."
    items = list(answers.items())
    rng.shuffle(items)
    entry["answers"] = dict(items)
    if comments:
        entry["comments"] = comments
    return entry


def random_file(bank: Bank, rng: random.Random, index: int, organisation: str = "Acme S.L.") -> dict[str, Any]:
    """One response file: usually one respondent, sometimes a ``respondents`` list."""
    data: dict[str, Any] = {"bank": bank.id}
    roll = rng.random()
    data["bank_version"] = bank.version if roll < 0.85 else "0.9"
    data["organisation"] = organisation if rng.random() < 0.9 else "Other S.A."
    if rng.random() < 0.2:
        data["respondents"] = [random_entry(bank, rng, index * 10 + i) for i in range(rng.randint(1, 3))]
    else:
        data.update(random_entry(bank, rng, index))
        data["language"] = rng.choice(bank.languages)
    return data
