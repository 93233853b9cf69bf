"""Writing output files safely: never leave a half-written file behind, never write over an input.

Every command checks its outputs with :func:`output_problems` (can they be written at all?)
and :func:`overwrites` (is one of them an input?) before it renders anything, so a bad
output is one line at once, not a traceback after the work is done.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, Problem

_NAME_MAX = 255  # bytes in one file name on the usual file systems
_TEMP_EXTRA = len(".") + len(".") + 8 + len(".tmp")  # what write_atomic's temporary name adds


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A failure of the file system (disk full, a folder made read-only meanwhile) is one line,
    not a traceback: an :class:`InputError` naming ``path``.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError([Problem(str(path), 1, f"cannot write this file: {_reason(exc)}; expected an "
                                                "output in a folder you can write to")]) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError([Problem(str(path), 1, f"cannot write this file: {_reason(exc)}; expected an "
                                                "output in a folder you can write to")]) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _is_read_only(folder: Path) -> bool:
    """A folder nobody may write in; the superuser could, but a folder made read-only is left alone."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _probe(folder: Path, prefix: str) -> str | None:
    """Why no file can be made in ``folder``, found by making (and removing) an empty one."""
    if _is_read_only(folder):
        return f"the folder '{folder}' is read-only"
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as exc:
        return f"cannot make a file in '{folder}' ({_reason(exc)})"
    os.close(fd)
    Path(tmp).unlink(missing_ok=True)
    return None


def unwritable(path: Path | str, *, folder: bool = False) -> str | None:
    """Why ``path`` cannot be written, or None: a file (write_atomic's), or with ``folder`` a
    folder to write files into. Checks without leaving anything behind."""
    path = Path(os.path.abspath(path))
    if len(os.fsencode(str(path))) + _TEMP_EXTRA >= 4096:
        return "the path is too long"
    if folder:
        if os.path.lexists(path) and not os.path.isdir(path):
            return "a file of that name exists, and a folder is needed"
        missing_from = path
    else:
        if len(os.fsencode(path.name)) + _TEMP_EXTRA > _NAME_MAX:
            return "the file name is too long"
        if os.path.isdir(path):
            return "it is a folder, and a file name is needed"
        if os.path.lexists(path):
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                return f"it cannot be reached ({_reason(exc)})"
            if not stat.S_ISREG(mode):
                return "it is a device, a pipe or a socket, not a file"
        missing_from = path.parent
    ancestor = missing_from
    while not os.path.lexists(ancestor):
        if len(os.fsencode(ancestor.name)) > _NAME_MAX:
            return f"the folder name '{ancestor.name[:40]}...' is too long"
        ancestor = ancestor.parent
    if not os.path.isdir(ancestor):
        kind = "a broken link" if not os.path.exists(ancestor) else "a file"
        return f"'{ancestor}' is {kind}, and a folder is needed there"
    return _probe(ancestor, f".{path.name}." if ancestor == missing_from else ".probe.")


Outputs = Iterable[tuple[Path | None, str]]  # each output and the option that names it (-o, --html)


def output_problems(outputs: Outputs, folders: Outputs = ()) -> list[Problem]:
    """A problem for every output that cannot be written, and for two outputs that are one file.

    ``outputs``: each output file and the option that names it (``-o``, ``--html``);
    ``folders``: output folders, each with its option. Outputs not given (None) are skipped.
    """
    files = [(Path(p), option) for p, option in outputs if p is not None]
    problems: list[Problem] = []
    for paths, is_folder in ((files, False), ([(Path(p), o) for p, o in folders if p is not None], True)):
        for path, option in paths:
            why = unwritable(path, folder=is_folder)
            if why is not None:
                expected = "a folder you can write to" if is_folder else "a file in a folder you can write to"
                problems.append(Problem(str(path), 1, f"cannot write {option} here: {why}; expected {expected}"))
    seen: dict[str, str] = {}
    for path, option in files:
        key = _identity(path)
        if key in seen:
            problems.append(Problem(str(path), 1, f"{option} and {seen[key]} name the same file; expected "
                                                  "a file of its own for each"))
        else:
            seen[key] = option
    return problems


def _identity(path: Path) -> str:
    """One spelling per file: the resolved path, case-folded where the file system ignores case."""
    return os.path.normcase(os.path.realpath(path))


def _same(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
    except (OSError, ValueError):
        pass
    return _identity(a) == _identity(b)


def overwrites(outputs: Outputs, inputs: Iterable[Path | str]) -> list[Problem]:
    """A problem for every output that is one of ``inputs`` (the same path, a link to it, a hard link)."""
    given = [Path(p) for p in inputs]
    problems: list[Problem] = []
    for path, option in outputs:
        if path is None:
            continue
        for source in given:
            if _same(Path(path), source):
                problems.append(Problem(str(path), 1, f"{option} is an input of this run ({source}); expected "
                                                      "another file, so that no input is overwritten"))
                break
    return problems


def check_outputs(outputs: Outputs, inputs: Iterable[Path | str] = (), *, folders: Outputs = ()) -> None:
    """Raise one :class:`InputError` with every problem of :func:`output_problems` and :func:`overwrites`."""
    outputs = list(outputs)
    problems = output_problems(outputs, folders) + overwrites(outputs, inputs)
    if problems:
        raise InputError(problems)
