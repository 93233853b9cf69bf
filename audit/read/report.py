"""Reading the files a report's PDF carries (``loyalty-audit extract``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path, PurePosixPath

from ..errors import InputError, Problem


def _safe_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") or p.startswith(".") or "\\" in p
                                                   for p in path.parts):
        return None
    return path


def report_attachments(pdf_path: Path) -> list[tuple[PurePosixPath, bytes]]:
    """The files a report carries (responses.json, bank/, report/), each checked and named safely.

    ``loyalty-audit score --bank OUT/bank OUT/responses.json`` on them gives the report's numbers.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    problems: list[Problem] = []
    try:
        reader = PdfReader(pdf_path)
        attached = {name: contents[0] for name, contents in reader.attachments.items() if contents}
    except FileNotFoundError:
        raise InputError([Problem(str(pdf_path), 1, "file not found; expected a PDF report")]) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError([Problem(str(pdf_path), 1, f"not a readable PDF ({exc}); expected a PDF written "
                                                    "by loyalty-audit report")]) from None
    if "responses.json" not in attached:
        raise InputError([Problem(str(pdf_path), 1, "no answers attached; expected a PDF written by "
                                                    "loyalty-audit report")])
    plan: list[tuple[PurePosixPath, bytes]] = []
    for name in sorted(attached):
        safe = _safe_name(name)
        if safe is None or not (name == "responses.json" or safe.parts[0] in ("bank", "report")):
            problems.append(Problem(str(pdf_path), 1, f"attached file '{name}' has an unexpected name; "
                                                      "expected responses.json, bank/... or report/..."))
            continue
        plan.append((safe, attached[name]))
    try:
        json.loads(attached["responses.json"])
    except ValueError:
        problems.append(Problem(str(pdf_path), 1, "the attached responses.json is not JSON; expected "
                                                  "a response file"))
    if problems:
        raise InputError(problems)
    return plan
