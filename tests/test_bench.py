"""The benchmark scripts in bench/ still drive the package as it is (their figures are in the
READMEs, so they must run); what they measure is not tested here."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from .conftest import ROOT

SCRIPTS = sorted(p.stem for p in (ROOT / "bench").glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_benchmark_imports(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(module.main)


def test_the_batch_benchmark_runs_a_batch(tmp_path: Path) -> None:
    """Its child, on a client whose one answer file is refused: ``run_batch`` called as the
    command line calls it, the outcome counted, nothing rendered."""
    from bench.batch import child

    answers = tmp_path / "clients" / "client-00" / "answers"
    answers.mkdir(parents=True)
    (answers / "01.yaml").write_text("answers: 3\n", encoding="utf-8")
    result = child(tmp_path / "clients", tmp_path / "out", 1)
    assert (result["ok"], result["pages"]) == (0, 0)
    assert result["wall"] > 0 and result["self_peak_kib"] > 0
