"""Randomised parity: the site's script and the Python engine score 240 generated answer sets
(over every bank of the vectors) to exactly the same docs/score-json.md document, warnings and
the order of members included; with "I don't know" answers, sparse teams whose sections fall
below min_coverage, and department pooling under the bank's min_group or another one."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

from make_vectors import ROOT, banks
from random_answers import random_file

from audit.engine.score import score
from audit.read.answers import load_responses
from audit.site.pages import kinds_json

RUNNER = ROOT / "tests" / "js" / "run_cases.js"
CASES = 240


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Every place where two JSON values differ; numbers must be bit-for-bit equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}: keys {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
        return out + [d for k in a if k in b for d in _differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items against {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{where}[{i}]")]
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        return [] if a == b and type(a) is type(b) else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if float(a).hex() == float(b).hex() else [f"{where}: {a!r} != {b!r}"]
    return [f"{where}: {a!r} != {b!r}"]


def _order(a: Any, b: Any, where: str = "") -> list[str]:
    """Every object whose members come in another order (the JSON documents print them in order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}: members {list(a)} in order {list(b)}"] if list(a) != list(b) else []
        return out + [d for k in a if k in b for d in _order(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=False)) for d in _order(x, y, f"{where}[{i}]")]
    return []


def test_differences_sees_the_last_bit() -> None:
    assert _differences({"x": 0.1 + 0.2}, {"x": 0.3}) == [".x: 0.30000000000000004 != 0.3"]
    assert _differences({"x": [1, None]}, {"x": [1.0, None]}) == []
    assert _order({"a": {"x": 1, "y": 2}}, {"a": {"y": 2, "x": 1}}) == [".a: members ['x', 'y'] in order ['y', 'x']"]


def test_script_and_python_agree_on_random_answers(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node (v18 or later) is needed to test the site's script"
    loaded = banks()
    rng = random.Random(20261122)
    names = list(loaded)
    bank_files = {}
    for name, bank in loaded.items():
        bank_files[name] = tmp_path / f"{name}.bank.json"
        bank_files[name].write_text(json.dumps(bank.model_dump(mode="json", by_alias=True)), encoding="utf-8")
    manifest: list[dict[str, Any]] = []
    python: list[dict[str, Any]] = []
    for i in range(CASES):
        name = names[i % len(names)]
        bank = loaded[name]
        folder = tmp_path / f"case{i:03d}"
        folder.mkdir()
        files = []
        for j in range(rng.choice([1, 1, 2, 3, 5])):
            path = folder / f"{j:02d}.json"
            path.write_text(json.dumps(random_file(bank, rng, j), ensure_ascii=False), encoding="utf-8")
            files.append(str(path))
        min_group = rng.choice([None, None, 1, 2, 3])  # None: the bank's
        python.append(score(bank, load_responses(list(files), bank), min_group).to_json())
        manifest.append({"bank": str(bank_files[name]), "files": files,
                         **({"min_group": min_group} if min_group is not None else {})})
    (tmp_path / "manifest.json").write_text(json.dumps({"kinds": kinds_json(), "cases": manifest}), encoding="utf-8")
    run = subprocess.run([node, str(RUNNER), str(tmp_path / "manifest.json"), str(tmp_path / "out.json")],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    script = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(script) == CASES
    failures = []
    for i, (py, js) in enumerate(zip(python, script, strict=True)):
        assert "problems" not in js, f"case {i}: {js.get('problems')}"
        diffs = _differences(py, js["result"]) or _order(py, js["result"])
        if diffs:
            failures.append(f"case {i} ({manifest[i]['files'][0]}): " + "; ".join(diffs[:5]))
    assert not failures, "\n".join(failures[:10])
    # the generated answers did reach the corners
    assert sum(1 for r in python if r["overall"]["score"] is None) >= 1
    assert sum(1 for r in python if len(r["departments"]) >= 3) >= 10
    assert sum(1 for r in python if r["recommendations"]) >= CASES // 2
    sections = [s for r in python for s in r["sections"].values()]
    assert sum(1 for s in sections if s["provisional"] and s["score"] is not None) >= 20
    assert sum(1 for s in sections if s["provisional"] and s["score"] is None) >= 20
    assert sum(1 for r in python if r["overall"]["provisional"]) >= 5
    assert sum(1 for r in python for q in r["questions"].values() if q["dont_know"]) >= 200
    assert sum(1 for r in python if "other" in r["departments"]) >= 10
    assert sum(1 for r in python if sum(d["respondents"] for d in r["departments"].values()) < r["respondents"]) >= 10
    assert sum(1 for r in python if any(rec["focus"] for rec in r["recommendations"])) >= 10
    assert sum(1 for r in python
               if [bool(rec["focus"]) for rec in r["recommendations"]] not in
               ([True] * len(r["recommendations"]), [False] * len(r["recommendations"]))) >= 5
