"""Where the package's own files are: the default bank and the templates.

Installed, they live inside the package (``audit/questions``, ``audit/templates``); in a
checkout, at the top of the repository beside it. Imports nothing of the project.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def default_bank_dir() -> Path:
    """The bank that ships with the package."""
    for candidate in (PACKAGE / "questions", PACKAGE.parent / "questions"):
        if (candidate / "bank.yaml").is_file():
            return candidate
    return PACKAGE.parent / "questions"


def packaged_templates(kind: str, marker: str) -> Path:
    """The ``templates/<kind>`` folder that ships with the package (holding ``marker``)."""
    for candidate in (PACKAGE / "templates" / kind, PACKAGE.parent / "templates" / kind):
        if (candidate / marker).is_file():
            return candidate
    return PACKAGE.parent / "templates" / kind
