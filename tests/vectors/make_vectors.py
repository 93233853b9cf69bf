"""Shared test vectors of the scoring engine: banks as JSON, answers, the docs/score-json.md
result, the kinds table and the answers the validator refuses.

The Python engine (tests/vectors/test_vectors.py) and the site's script
(tests/js/*.test.js, ``node --test``) must both give ``expected.json`` for every case, and
refuse or accept the answers of ``refusals.json`` alike.

    .venv/bin/python tests/vectors/make_vectors.py     # rewrite every generated file

Hand-written cases are folders under cases/ with a case.json (the bank's name, the
response files in order, and optionally ``min_group``, which replaces the bank's as
``--min-group`` does); cases named ``default-*`` are generated here from a seed. The
banks are listed in BANKS; banks/NAME.json is the resolved bank the browser receives and
kinds.json the kinds table it receives with it (audit.model.kinds.KINDS).
"""

from __future__ import annotations

import contextlib
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from random_answers import random_file  # noqa: E402

from audit.engine.score import score  # noqa: E402
from audit.model import DONT_KNOW, NA, Bank, Question, kind_of, normalise  # noqa: E402
from audit.model.answers import as_written  # noqa: E402
from audit.read.answers import load_responses  # noqa: E402
from audit.read.bank import load_bank  # noqa: E402
from audit.read.documents import load_document  # noqa: E402
from audit.site.pages import kinds_json  # noqa: E402

BANKS = {"mini": "tests/data/mini", "edge": "tests/vectors/edge-bank", "v2": "tests/vectors/v2-bank",
         "example2": "tests/vectors/example2-bank", "default": "questions"}
GENERATED = {"default-one": (1, 11), "default-team": (5, 12), "default-split": (3, 13)}
# small, and between them every type, N/A on and off, dont_know on and off, options keyed na and dont_know
REFUSAL_BANKS = ("mini", "edge", "v2")
SPECIAL = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}  # numbers JSON cannot write


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def banks() -> dict[str, Bank]:
    return {name: load_bank(ROOT / folder) for name, folder in BANKS.items()}


def bank_json(bank: Bank) -> str:
    return dumps(bank.model_dump(mode="json", by_alias=True))


def generated_cases(default: Bank) -> dict[str, dict[str, str]]:
    """The cases made here: {case: {file name: text}}.

    ``default-one``, ``-team`` and ``-split`` come from a seed; ``default-demo`` is the demo
    answers of examples/demo/ turned into JSON (the browser reads JSON only).
    """
    out: dict[str, dict[str, str]] = {}
    for name, (count, seed) in GENERATED.items():
        rng = random.Random(seed)
        files = {f"{i + 1:02d}.json": dumps(random_file(default, rng, i)) for i in range(count)}
        out[name] = files
    demo = sorted((ROOT / "examples" / "demo").glob("*.yaml"))
    if demo:
        out["default-demo"] = {p.with_suffix(".json").name: dumps(load_document(p).data) for p in demo}
    for files in out.values():
        files["case.json"] = dumps({"bank": "default", "responses": sorted(files)})
    return out


def expected(case: Path, bank: Bank) -> str:
    """The docs/score-json.md result of one case, scoring the files on disk; paths relative to the repository."""
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    with contextlib.chdir(ROOT):
        paths: list[Path | str] = [case.relative_to(ROOT) / name for name in spec["responses"]]
        result = score(bank, load_responses(paths, bank), spec.get("min_group")).to_json()
    return dumps({"result": result})


def _plain(value: Any) -> Any:
    """A whole number as an int: JSON.parse cannot tell 3.0 from 3, so the vectors never hold 3.0."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def bad_answers(q: Question) -> list[Any]:
    """Answers to try on ``q``: every wrong shape, plus near misses of its own options and range."""
    keys = [o.key for o in q.options or []]
    tries: list[Any] = [True, False, None, {}, {"key": keys[0] if keys else "x"}, [], [[]], "", "na", "NA",
                        "dont_know", "DONT_KNOW", "dont know", ["dont_know"], {"dont_know": True},
                        "zz", 0, 1, 2, -1, 2.5, 0.001, 1e-05, 1e16, 1e300, -1e300, "3", "inf",
                        "x" * 60, "it's", "say \"hi\"", "tab\there", "ñandú",
                        {"special": "inf"}, {"special": "-inf"}, {"special": "nan"}]
    if keys:
        tries += [keys[0], keys[-1], keys[0].upper() + "_", [keys[0]], list(reversed(keys)), [keys[0], keys[0]],
                  [keys[0], "zz"], [keys[0], True], [keys[0], None], [keys[0], 1.5], [keys[0], ""], [[keys[0]]],
                  ["na"], [keys[0], "na"], [keys[0], "dont_know"], {keys[0]: True}]
        tries += [int(k) for k in keys if k.isdigit()] + [[int(k)] for k in keys if k.isdigit()]
        tries += [float(k) + 0.5 for k in keys if k.isdigit()][:1]
    if q.range is not None:
        lo, hi = q.range
        tries += [lo, hi, lo - 0.5, hi + 0.5, (lo + hi) / 2 + 0.25, -hi - 1, hi * 1e6 + 1, [lo], str(lo)]
    for band in q.bands or []:
        tries += [v for v in (band.min, band.max) if v is not None]
    out: list[Any] = []
    for value in (_plain(v) for v in tries):  # once each, booleans apart from 0 and 1
        if not any(type(v) is type(value) and v == value for v in out):
            out.append(value)
    return out


def refusal(q: Question, value: Any) -> dict[str, Any]:
    special = value.get("special") if isinstance(value, dict) and set(value) == {"special"} else None
    normal, problem = normalise(q, SPECIAL[special] if special else value)
    case: dict[str, Any] = {"question": q.id, **({"special": special} if special else {"answer": value})}
    if problem:
        return {**case, "refused": True, "problem": problem}
    if normal is NA or normal is DONT_KNOW:  # not an option keyed na or dont_know
        return {**case, "refused": False, "value": as_written(normal), "sentinel": True}
    return {**case, "refused": False, "value": _plain(normal)}


def refusals(loaded: dict[str, Bank]) -> str:
    """What audit.model.normalise says of many answers, good and bad, to every question of
    the small banks: refused with its problem, or accepted with the value the engine keeps
    (N/A and "I don't know" as ``"na"`` and ``"dont_know"`` with ``"sentinel": true``, which
    an option keyed so does not have).
    A number JSON cannot write is ``{"special": "inf"}`` (also ``-inf``, ``nan``)."""
    cases = []
    seen = set()
    for name in REFUSAL_BANKS:
        for _, _, q in loaded[name].questions():
            alike = (q.type, q.na, q.dont_know, tuple(o.key for o in q.options or []), tuple(q.range or ()),
                     bool(q.bands))
            if alike not in seen:  # one question of each sort is enough
                seen.add(alike)
                cases += [{"bank": name, **refusal(q, value)} for value in bad_answers(q)]
    shapes = sorted({kind_of(q).answer for name in REFUSAL_BANKS for _, _, q in loaded[name].questions()})
    return dumps({"shapes": shapes, "cases": cases})


def outputs(write_answers: bool = False) -> dict[Path, str]:
    """Every generated file and its text. Expected results score the answer files on disk,
    so ``write_answers`` first brings the generated ones up to date."""
    loaded = banks()
    files: dict[Path, str] = {HERE / "banks" / f"{name}.json": bank_json(bank) for name, bank in loaded.items()}
    files[HERE / "kinds.json"] = dumps(kinds_json())
    files[HERE / "refusals.json"] = refusals(loaded)
    made = generated_cases(loaded["default"])
    for made_case, texts in made.items():
        for name, text in texts.items():
            files[HERE / "cases" / made_case / name] = text
    if write_answers:
        for path, text in list(files.items()):
            if path.parent.parent.name == "cases":
                _write(path, text)
    cases = sorted({p.parent for p in (HERE / "cases").glob("*/case.json")} | {HERE / "cases" / c for c in made})
    for case in cases:
        if not (case / "case.json").is_file():
            continue
        spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
        files[case / "expected.json"] = expected(case, loaded[spec["bank"]])
    return files


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def main() -> None:
    for path, text in outputs(write_answers=True).items():
        if _write(path, text):
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
