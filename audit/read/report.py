"""Reading the files a report's PDF carries (``loyalty-audit extract``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError, Problem
from .form import open_pdf, pdf_reading


def _safe_name(name: str) -> PurePosixPath | None:
    """``name`` as a path to write inside the output folder, or None: ``responses.json``, or a file
    under ``bank/`` or ``report/`` whose every part is a plain, printable file name."""
    path = PurePosixPath(name)
    if name == "responses.json":
        return path
    if str(path) != name or len(path.parts) < 2 or path.parts[0] not in ("bank", "report"):
        return None
    if any(p in ("", ".", "..") or p.startswith(".") or "\\" in p or not p.isprintable()
           or len(p.encode("utf-8", "surrogatepass")) > 200 for p in path.parts):
        return None
    return path


REPORT_EXPECTED = "a PDF report written by 'loyalty-audit report'"


def _damaged(pdf_path: Path, why: str) -> InputError:
    return InputError([Problem(str(pdf_path), 1, f"cannot read this PDF: it is damaged ({why}); "
                                                 f"expected {REPORT_EXPECTED}")])


def _intact(data: bytes, checksum: Any, size: Any) -> bool:
    """Whether ``data`` has the MD5 checksum and the size its file specification gives (when it gives them)."""
    if size is not None and int(size) != len(data):
        return False
    if checksum is None:
        return True
    expected = getattr(checksum, "original_bytes", checksum)
    return not isinstance(expected, bytes) or hashlib.md5(data, usedforsecurity=False).digest() == expected


def _missing(attached: dict[str, bytes]) -> list[str]:
    """The files a report always carries (by its ``report/bank.json``, every bank file) that
    ``attached`` lacks: a damaged PDF loses attachments silently."""
    missing = [name for name in ("report/bank.json", "report/scores.json") if name not in attached]
    if "report/bank.json" not in attached:
        return missing
    try:
        identity = json.loads(attached["report/bank.json"])
    except (ValueError, RecursionError):
        return ["report/bank.json"]
    files = identity.get("files") if isinstance(identity, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return ["report/bank.json"]
    return missing + [f"bank/{name}" for name in files if f"bank/{name}" not in attached]


def report_attachments(pdf_path: Path) -> list[tuple[PurePosixPath, bytes]]:
    """The files a report carries (responses.json, bank/, report/), each checked and named safely.

    ``loyalty-audit score --bank OUT/bank OUT/responses.json`` on them gives the report's numbers.
    A damaged or encrypted PDF is one line, ``cannot read this PDF: why``.
    """
    where = str(pdf_path)
    problems: list[Problem] = []
    with pdf_reading(pdf_path, REPORT_EXPECTED):
        reader = open_pdf(pdf_path)
        attached: dict[str, bytes] = {}
        streams: dict[tuple[int, int], str] = {}  # each file's stream → its name
        for entry in reader.attachment_list:
            name, data = str(entry.name), bytes(entry.content)
            if not _intact(data, entry.checksum, entry.size):
                raise _damaged(pdf_path, f"the attached file '{_printable(name)}' is not the file that was attached")
            stream = entry.pdf_object["/EF"].raw_get("/F")
            if hasattr(stream, "idnum"):  # each file has a stream of its own: two names for one is damage
                first = streams.setdefault((stream.idnum, stream.generation), name)
                if first != name:
                    raise _damaged(pdf_path, f"the attached files '{_printable(first)}' and '{_printable(name)}' "
                                             "point to the same contents")
            attached.setdefault(name, data)
    if "responses.json" not in attached:
        raise InputError([Problem(where, 1, f"no answers attached; expected {REPORT_EXPECTED}")])
    missing = _missing(attached)
    if missing:
        problems += _damaged(pdf_path, f"attached files are missing: {_printable(', '.join(missing))}").problems
    plan: list[tuple[PurePosixPath, bytes]] = []
    for name in sorted(attached):
        safe = _safe_name(name)
        if safe is None or any(done in safe.parents or safe in done.parents for done, _ in plan):  # file vs folder
            problems.append(Problem(where, 1, f"attached file '{_printable(name)}' has an unexpected name; "
                                              "expected responses.json, bank/... or report/..."))
            continue
        plan.append((safe, attached[name]))
    try:
        json.loads(attached["responses.json"])
    except (ValueError, RecursionError):
        problems.append(Problem(where, 1, "the attached responses.json is not JSON; expected a response file"))
    if problems:
        raise InputError(problems)
    return plan


def _printable(name: str, limit: int = 80) -> str:
    flat = "".join(c if c.isprintable() else "?" for c in name)
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
