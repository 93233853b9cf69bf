"""``loyalty-audit extract``: the files a report carries, written out to be scored again."""

from __future__ import annotations

from pathlib import Path

from ..read.report import report_attachments
from ..write.files import check_outputs, write_atomic
from .audit import outputs_first


def extract(pdf_path: Path, out_dir: Path) -> list[Path]:
    """Write the answers, scores and bank attached to ``pdf_path`` into ``out_dir``.

    Every file is checked (the PDF readable, the folder and each file writable, none of them
    the PDF itself) before the first one is written.
    """
    plan = outputs_first([], lambda: report_attachments(pdf_path), folders=[(out_dir, "-o")])
    files: list[tuple[Path | None, str]] = [(out_dir.joinpath(*name.parts), f"-o ({name})") for name, _ in plan]
    check_outputs(files, [pdf_path])
    written = []
    for name, data in plan:
        path = out_dir.joinpath(*name.parts)
        write_atomic(path, data)
        written.append(path)
    return written
