"""Mangled banks and answers always end in a clean InputError (or load), never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.errors import InputError
from audit.read.answers import load_responses
from audit.read.bank import load_bank

from .conftest import MINI, ROOT

TOKENS = ["", "-", ":", "[", "]", "{", "}", "&a", "*a", "!!python/object:os.system", "yes", "null", "1e999",
          "-1", "2.5", "'x'", "\"\\xff\"", "[1, 2]", "{a: 1}", "na", "~", "\t", "<<: *a", "??", "%YAML 1.1",
          "weight", "score", "key", "id", "q1", "options", "bands", "scale"]


@st.composite
def mangled(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        action = draw(st.sampled_from(["drop", "token", "dup", "replace-value"]))
        if action == "drop" and lines:
            del lines[i]
        elif action == "dup" and lines:
            lines.insert(i, lines[i])
        elif action == "token":
            lines.insert(i, draw(st.sampled_from(TOKENS)))
        elif lines and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {draw(st.sampled_from(TOKENS))}"
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["bank.yaml", "a.yaml", "b.yaml"]), st.data())
def test_mangled_bank(name: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bank"
        shutil.copytree(MINI, folder)
        (folder / name).write_text(data.draw(mangled((MINI / name).read_text())))
        try:
            load_bank(folder)
        except InputError as exc:
            assert exc.problems and all(p.line >= 1 and p.message for p in exc.problems)


MINI_BANK = load_bank(MINI)
ANSWERS = sorted((ROOT / "tests" / "data" / "mini-answers").iterdir())


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ANSWERS), st.data())
def test_mangled_answers(path: Path, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / path.name
        target.write_text(data.draw(mangled(path.read_text())))
        try:
            load_responses([target], MINI_BANK)
        except InputError as exc:
            assert exc.problems and all(p.line >= 1 and p.message for p in exc.problems)
