"""``loyalty-audit extract``: the files a report carries, written out to be scored again."""

from __future__ import annotations

from pathlib import Path

from ..read.report import report_attachments
from ..write.files import write_atomic


def extract(pdf_path: Path, out_dir: Path) -> list[Path]:
    """Write the answers, scores and bank attached to ``pdf_path`` into ``out_dir``."""
    written = []
    for name, data in report_attachments(pdf_path):
        path = out_dir.joinpath(*name.parts)
        write_atomic(path, data)
        written.append(path)
    return written
