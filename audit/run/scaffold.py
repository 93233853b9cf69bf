"""``loyalty-audit init``: one folder per client, ready to build its site and its report.

Every input is checked before anything is written, and the folder is written whole or not
at all (:func:`audit.write.project.write_project`). The names typed on the command line go
into YAML files and the terminal: a control character in them (a line break, an escape
sequence, a bidirectional override) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import UNPRINTABLE, InputError, Problem, printable
from ..model import Bank
from ..read.answers import load_responses, response_files
from ..read.bank import load_bank
from ..resources import default_bank_dir
from ..write.project import project_files, write_project
from .options import language


@dataclass
class Scaffold:
    """What :func:`init_project` wrote."""

    root: Path
    files: list[Path]
    bank: Bank
    language: str


def _check_target(target: Path) -> list[Problem]:
    if target.is_symlink():
        return [Problem(str(target), 1, f"a symbolic link (to '{target.readlink()}'); expected a new or empty "
                                        "folder: give the folder itself or a new name")]
    if target.exists() and not target.is_dir():
        return [Problem(str(target), 1, "a file of that name exists; expected a new or empty folder")]
    if target.is_dir() and any(target.iterdir()):
        return [Problem(str(target), 1, "this folder is not empty; expected a new or empty folder, "
                                        "so that nothing in it is overwritten")]
    return []


_NONCHARACTERS = frozenset((0xFFFE, 0xFFFF))


def _check_name(target: Path, flag: str, name: str | None) -> list[Problem]:
    """A name for the project's files: no control characters (a line break, an escape sequence)."""
    bad = sorted({c for c in name or "" if ord(c) in UNPRINTABLE or ord(c) in _NONCHARACTERS})
    if not bad:
        return []
    shown = ", ".join(printable(c) if ord(c) in UNPRINTABLE else f"\\u{ord(c):04x}" for c in bad)
    return [Problem(str(target), 1, f"{flag} contains control characters ({shown}); expected a name of "
                                    "printable characters on one line")]


def init_project(target: Path, client: str, *, bank_dir: Path | None = None, copy_bank: bool = False,
                 lang: str | None = None, consultancy: str | None = None, consultant: str | None = None,
                 baseline: list[Path] | None = None) -> Scaffold:
    """Scaffold the audit project of ``client`` in ``target`` (new or empty)."""
    target = Path(target)
    problems = _check_target(target)
    if not client.strip():
        problems.append(Problem(str(target), 1, "--client is empty; expected the client's name"))
    for flag, name in (("--client", client), ("--consultancy", consultancy), ("--consultant", consultant)):
        problems += _check_name(target, flag, name)
    source_bank = Path(bank_dir) if bank_dir is not None else default_bank_dir()
    bank = load_bank(source_bank)
    try:
        chosen = language(bank, lang)
    except InputError as exc:
        problems += exc.problems
        chosen = bank.languages[0]
    baseline_files: list[Path] = []
    if baseline:
        baseline_files, missing = response_files(list(baseline))
        problems += missing
        if not missing:
            load_responses(list(baseline), bank, match_by_id=True)  # refuse bad answers before writing anything
    if problems:
        raise InputError(problems)
    client = client.strip()
    files = project_files(client, bank, chosen, copy_bank, consultancy, consultant)
    written = write_project(target, files, source_bank if copy_bank else None, baseline_files)
    return Scaffold(target, written, bank, chosen)
