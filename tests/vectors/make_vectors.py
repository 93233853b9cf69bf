"""Shared test vectors of the scoring engine: banks as JSON, answers, and the SPEC §5 result.

The Python engine (tests/vectors/test_vectors.py) and the site's script
(tests/js/vectors.test.js, ``node --test``) must both give ``expected.json`` for every case.

    .venv/bin/python tests/vectors/make_vectors.py     # rewrite every generated file

Hand-written cases are folders under cases/ with a case.json (the bank's name and the
response files in order); cases named ``default-*`` are generated here from a seed. The
banks are listed in BANKS; banks/NAME.json is the resolved bank the browser receives.
``expected.json`` records how this Python adds floats (``sum``): the script must follow it.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from random_answers import random_file  # noqa: E402

from audit.read.bank import load_bank
from audit.read.answers import load_responses  # noqa: E402
from audit.model import Bank  # noqa: E402
from audit.engine.score import score  # noqa: E402

from audit.read.documents import load_document  # noqa: E402

BANKS = {"mini": "tests/data/mini", "edge": "tests/vectors/edge-bank", "default": "questions"}
GENERATED = {"default-one": (1, 11), "default-team": (5, 12), "default-split": (3, 13)}


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
    """The SPEC §5 result of one case, scoring the files on disk; paths relative to the repository."""
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    with contextlib.chdir(ROOT):
        paths: list[Path | str] = [case.relative_to(ROOT) / name for name in spec["responses"]]
        result = score(bank, load_responses(paths, bank)).to_json()
    return dumps({"sum": "naive", "result": result})


def outputs(write_answers: bool = False) -> dict[Path, str]:
    """Every generated file and its text. Expected results score the answer files on disk,
    so ``write_answers`` first brings the generated ones up to date."""
    loaded = banks()
    files: dict[Path, str] = {HERE / "banks" / f"{name}.json": bank_json(bank) for name, bank in loaded.items()}
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
