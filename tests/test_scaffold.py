"""``loyalty-audit init``: the scaffolded project, and refusals that leave everything as it was."""

from __future__ import annotations

from pathlib import Path

import yaml

from audit.read.bank import load_bank

from .conftest import DEMO, ROOT, cli


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_writes_a_project_that_names_the_client(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    run = cli("init", str(target), "--client", 'Acme "Norte" S.L.', "--consultancy", "Norte Consultores")
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == [".gitignore", "README.md", "answers/README.md", "brand.yaml", "mkdocs.yml", "pages/.gitkeep"]
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == 'Acme "Norte" S.L.'
    options = config["plugins"][0]["loyalty-audit"]
    assert options == {"language": "es", "organisation": 'Acme "Norte" S.L.'}
    brand = yaml.safe_load((target / "brand.yaml").read_text(encoding="utf-8"))
    assert brand["consultancy"] == "Norte Consultores"
    assert brand["subtitle"]["en"] == 'Loyalty audit report for Acme "Norte" S.L.'
    assert "loyalty-audit score answers/" in (target / "README.md").read_text(encoding="utf-8")


def test_copy_bank_gives_a_bank_that_validates_and_is_used(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert cli("init", str(target), "--client", "Acme", "--copy-bank", "--lang", "en").returncode == 0
    bank = load_bank(target / "bank")
    assert bank.id == load_bank(ROOT / "questions").id
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"][0]["loyalty-audit"]["bank"] == "bank"
    assert config["theme"]["language"] == "en"
    run = cli("validate", "bank", cwd=target)
    assert run.returncode == 0 and "is valid" in run.stdout
    assert "--bank bank" in (target / "README.md").read_text(encoding="utf-8")


def test_baseline_answers_are_copied_in_order(tmp_path: Path) -> None:
    target = tmp_path / "acme-2027"
    assert cli("init", str(target), "--client", "Muebles Alba S.L.", "--baseline", str(DEMO)).returncode == 0
    copied = sorted(p.name for p in (target / "baseline").iterdir())
    assert copied == [f"{i:02d}-{p.name}" for i, p in enumerate(sorted(DEMO.glob("*.yaml")), 1)]
    for name in copied:
        original = DEMO / name.split("-", 1)[1]
        assert (target / "baseline" / name).read_bytes() == original.read_bytes()


def test_refusals_exit_2_and_touch_nothing(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(busy)
    run = cli("init", str(busy), "--client", "Acme")
    assert run.returncode == 2
    assert run.stderr == f"{busy}:1: this folder is not empty; expected a new or empty folder, so that nothing " \
                         "in it is overwritten\n"
    assert snapshot(busy) == before

    bad = tmp_path / "bad.yaml"
    # an answer out of range would only be set aside (a baseline may predate a change of scale),
    # but a respondent the bank cannot place is refused
    bad.write_text("bank: loyalty-audit\nrespondent: {department: marketting}\nanswers:\n  fo-shop-window: 9\n",
                   encoding="utf-8")
    fresh = tmp_path / "fresh"
    run = cli("init", str(fresh), "--client", "Acme", "--baseline", str(bad))
    assert run.returncode == 2
    assert run.stderr == f"{bad}:2: unknown department 'marketting'; did you mean 'marketing'?\n"
    assert not fresh.exists()

    run = cli("init", str(fresh), "--client", "Acme", "--lang", "fr")
    assert run.returncode == 2 and "--lang fr" in run.stderr
    run = cli("init", str(fresh), "--client", "  ")
    assert run.returncode == 2 and "--client is empty" in run.stderr
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "busy"]  # no temporary folder left
