"""The answers folder a collection server writes into: every submission whole, nothing lost.

```
PROJECT/answers/
  web-ID.json          a respondent's latest answers (ID: the site's X-Respondent-Id)
  sent-STAMP-HEX.json  answers sent without a respondent id: a new file each time
  .history/
    web-ID.STAMP.json  each earlier version of web-ID.json, STAMP the time it was received
```

A file is written beside its final name (``.NAME.RANDOM.tmp``), flushed to the disk, then
renamed over it, and the folder is flushed too: a reader sees the old file or the new one,
never part of one, and once :meth:`Inbox.save` returns the answers survive a power cut. A
respondent's previous version is first linked into ``.history/`` (both names point at the
same file until the rename), so there is no moment at which it exists nowhere. The CLI
reads only the ``.json``, ``.yaml`` and ``.yml`` files directly in ``answers/``: the
temporary files and ``.history/`` are not answers to it.

:meth:`Inbox.save` blocks (it waits for the disk); two saves for one respondent must not
run at once (the server queues them).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

HISTORY = ".history"
#: What the site sends as ``X-Respondent-Id`` (e.g. a ``crypto.randomUUID()``).
RESPONDENT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_TEMP = re.compile(r"\.(?:web|sent)-[A-Za-z0-9_.-]+\.tmp")  # what save() writes before renaming
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)


@dataclass(frozen=True)
class Saved:
    """A submission on disk: its file in ``answers/``, and where the version it replaced was kept."""

    name: str
    kept: str | None = None  # e.g. ".history/web-ID.20261202T100000123456Z.json"


def stamp(moment: dt.datetime) -> str:
    """``moment`` (UTC) as a compact time to the microsecond, for file names that sort by time."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


class Inbox:
    """``folder`` (a project's ``answers/``), written only through :meth:`save`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.history = self.folder / HISTORY

    def leftovers(self) -> list[Path]:
        """Temporary files of an earlier server that was killed before it could rename them:
        never acknowledged, so never answers."""
        return sorted(p for p in self.folder.iterdir() if _TEMP.fullmatch(p.name) and p.is_file())

    def save(self, raw: bytes, respondent: str | None, received: dt.datetime) -> Saved:
        """Write ``raw`` (answers already checked) as ``web-RESPONDENT.json``, keeping the
        version it replaces in ``.history/``, or without a respondent under a new name."""
        if respondent is not None and not RESPONDENT_ID.fullmatch(respondent):
            raise ValueError(f"not a respondent id: {respondent!r}")
        name = f"web-{respondent}.json" if respondent else f"sent-{stamp(received)}-{secrets.token_hex(4)}.json"
        tmp = _synced_temp(self.folder, name, raw)
        try:
            kept = None
            if respondent is None:
                name = self._place_new(tmp, name, received)
            else:
                target = self.folder / name
                if target.exists():
                    kept = self._keep(target)
                os.replace(tmp, target)
            _sync_folder(self.folder)
        finally:
            tmp.unlink(missing_ok=True)
        return Saved(name, f"{HISTORY}/{kept.name}" if kept else None)

    def _place_new(self, tmp: Path, name: str, received: dt.datetime) -> str:
        """Give ``tmp`` a name no file has yet (never over another file's)."""
        while True:
            try:
                _link(tmp, self.folder / name)
                return name
            except FileExistsError:
                name = f"sent-{stamp(received)}-{secrets.token_hex(4)}.json"

    def _keep(self, current: Path) -> Path:
        """Link ``current`` into ``.history/`` under the time it was received (its mtime)."""
        self.history.mkdir(exist_ok=True)
        when = stamp(dt.datetime.fromtimestamp(current.stat().st_mtime, dt.UTC))
        n = 1
        while True:
            kept = self.history / f"{current.stem}.{when}{'' if n == 1 else f'-{n}'}.json"
            try:
                _link(current, kept)
            except FileExistsError:
                n += 1
                continue
            _sync_folder(self.history)
            return kept


def _link(source: Path, target: Path) -> None:
    """A second name for ``source``; where the file system has no hard links, a copy made
    whole before anything else. Never over an existing file (FileExistsError)."""
    try:
        os.link(source, target)
        return
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    tmp = _synced_temp(target.parent, target.name, source.read_bytes())
    try:
        if target.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(target))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _synced_temp(folder: Path, name: str, data: bytes) -> Path:
    """A temporary file in ``folder`` (named after ``name``, as :meth:`Inbox.leftovers` knows
    them) holding ``data``, flushed to the disk and readable by all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename is durable only once its folder is)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
