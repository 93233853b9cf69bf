"""The shared test vectors: the Python engine gives them, they are not stale, and the
site's script (run by ``node --test``) gives them too, refusing the same answers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from make_vectors import HERE, ROOT, SPECIAL, banks, expected, outputs, refusal

from audit.model.kinds import KINDS, SHAPES
from audit.site.pages import kinds_json

CASES = sorted(p.parent.name for p in (HERE / "cases").glob("*/case.json"))


@pytest.mark.parametrize("case", CASES)
def test_python_engine_gives_the_vector(case: str) -> None:
    folder = HERE / "cases" / case
    spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    bank = banks()[spec["bank"]]
    assert json.loads(expected(folder, bank)) == json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def test_vectors_are_not_stale() -> None:
    stale = [str(path.relative_to(ROOT)) for path, text in outputs().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, "run .venv/bin/python tests/vectors/make_vectors.py; stale: " + ", ".join(stale)


def test_vectors_cover_the_hard_cases() -> None:
    results = [json.loads((HERE / "cases" / c / "expected.json").read_text(encoding="utf-8"))["result"] for c in CASES]
    assert any(r["overall"]["score"] is None for r in results)
    assert any(r["respondents"] > 1 and len(r["departments"]) > 2 for r in results)
    assert any(a["flagged"] for r in results for a in r["areas"].values())
    assert any(r["diagnoses"] for r in results)
    assert any(q["score"] is None and q["answered"] == 0 for r in results for q in r["questions"].values())
    assert any("do not apply were ignored" in w for r in results for w in r["warnings"])
    # contract version 2
    nodes = [n for r in results for n in (r["overall"], *r["areas"].values(), *r["sections"].values())]
    assert any(n["provisional"] and n["score"] is not None and n["level"] is None for n in nodes)
    assert any(not n["provisional"] and n["coverage"] == 0.6 for n in nodes)  # exactly min_coverage
    assert any(q["dont_know"] for r in results for q in r["questions"].values())
    assert any(r["min_group"] > 1 and "other" in r["departments"] for r in results)
    assert any(r["min_group"] > 1 and "other" not in r["departments"]
               and sum(d["respondents"] for d in r["departments"].values()) < r["respondents"] for r in results)
    assert any(rec["focus"] for r in results for rec in r["recommendations"])


def test_the_second_worked_example_prints_what_the_docs_show() -> None:
    """docs/score-json.md#example is the example2-docs vector, member for member and in order."""
    text = (ROOT / "docs" / "score-json.md").read_text(encoding="utf-8")
    found = re.search(r"^## Example\n.*?^```json\n(.*?)^```", text, re.S | re.M)
    assert found
    shown = json.loads(found.group(1))
    vector = json.loads((HERE / "cases" / "example2-docs" / "expected.json").read_text(encoding="utf-8"))["result"]
    assert shown == vector
    assert json.dumps(shown) == json.dumps(vector)  # the same order of members


def test_refusal_vectors_say_what_python_says() -> None:
    loaded = banks()
    data = json.loads((HERE / "refusals.json").read_text(encoding="utf-8"))
    for case in data["cases"]:
        q = next(q for _, _, q in loaded[case["bank"]].questions() if q.id == case["question"])
        value = {"special": case["special"]} if "special" in case else case["answer"]
        assert {"bank": case["bank"], **refusal(q, value)} == case
    assert set(SPECIAL) == {c["special"] for c in data["cases"] if "special" in c}
    assert set(data["shapes"]) == set(SHAPES) == {kind.answer for kind in KINDS.values()}


def test_the_script_gets_the_kinds_table_the_site_sends() -> None:
    table = json.loads((HERE / "kinds.json").read_text(encoding="utf-8"))
    assert table == kinds_json()
    assert list(table) == list(KINDS)
    assert all(entry == {"answer": KINDS[name].answer, "scored": KINDS[name].scored, "na": KINDS[name].na}
               for name, entry in table.items())


def test_node_runs_the_same_vectors() -> None:
    node = shutil.which("node")
    assert node, "node (v18 or later) is needed to test the site's script"
    run = subprocess.run([node, "--test", str(Path("tests") / "js")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout
