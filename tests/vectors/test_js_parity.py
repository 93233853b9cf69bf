"""Randomised parity: the site's script and the Python engine score 240 generated answer sets
(over the mini, edge and default banks) to exactly the same docs/score-json.md document, warnings
included."""

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


def test_differences_sees_the_last_bit() -> None:
    assert _differences({"x": 0.1 + 0.2}, {"x": 0.3}) == [".x: 0.30000000000000004 != 0.3"]
    assert _differences({"x": [1, None]}, {"x": [1.0, None]}) == []


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
        python.append(score(bank, load_responses(list(files), bank)).to_json())
        manifest.append({"bank": str(bank_files[name]), "files": files})
    (tmp_path / "manifest.json").write_text(json.dumps({"kinds": kinds_json(), "cases": manifest}), encoding="utf-8")
    run = subprocess.run([node, str(RUNNER), str(tmp_path / "manifest.json"), str(tmp_path / "out.json")],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    script = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(script) == CASES
    failures = []
    for i, (py, js) in enumerate(zip(python, script, strict=True)):
        assert "problems" not in js, f"case {i}: {js.get('problems')}"
        diffs = _differences(py, js["result"])
        if diffs:
            failures.append(f"case {i} ({manifest[i]['files'][0]}): " + "; ".join(diffs[:5]))
    assert not failures, "\n".join(failures[:10])
    # the generated answers did reach the corners
    assert sum(1 for r in python if r["overall"]["score"] is None) >= 1
    assert sum(1 for r in python if len(r["departments"]) >= 3) >= 10
    assert sum(1 for r in python if r["recommendations"]) >= CASES // 2
