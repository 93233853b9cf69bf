"""Reading a filled PDF questionnaire back into a response file (fields: :mod:`audit.model.form`).

A PDF is read in two steps. First everything is taken out of it with pypdf into plain
values (:func:`pdf_reading` turns any failure there, whatever pypdf raises on a damaged,
truncated or encrypted file, into one line ``cannot read this PDF: why``). Then those
values are checked, with no PDF object in sight, so that a mistake of ours is still a bug.
The response file made of a form is loaded by the loader every command uses
(:func:`check_as_answers`) before it is written, so ``import-form`` never writes a file
that ``score`` refuses.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..model import Bank, kind_of
from ..model.form import META_KEY
from ..model.text import describe
from .answers import load_responses
from .documents import PathKey, load_document

_FIELD = re.compile(r"^(answer|na|dont_know|comment|profile)\.([^:]+)$|^option\.([^:]+):(.+)$")
FORM_EXPECTED = "a questionnaire made by 'loyalty-audit form'"
_WHO = ("organisation", "respondent.name", "respondent.department")
_META = "metadata"  # the source of what the form's metadata gives


class _Unreadable(Exception):
    """Raised inside :func:`pdf_reading` with the reason a PDF cannot be read."""


def _short(text: str, limit: int = 100) -> str:
    """``text`` on one line, printable, at most ``limit`` characters."""
    flat = "".join(c if c.isprintable() else " " for c in " ".join(str(text).split()))
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _why(exc: BaseException) -> str:
    """What went wrong, in a reader's words."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

    if isinstance(exc, _Unreadable):
        return str(exc)
    if isinstance(exc, FileNotDecryptedError):
        return "it is protected by a password"
    if isinstance(exc, DependencyError):
        return f"reading it needs a Python package that is not installed ({_short(str(exc))})"
    if isinstance(exc, LimitReachedError):
        return f"a part of it is larger than a PDF reader should unpack ({_short(str(exc))})"
    if isinstance(exc, RecursionError):
        return "its objects are nested too deeply"
    if isinstance(exc, MemoryError):
        return "it is too large to read"
    if isinstance(exc, PyPdfError) and str(exc):
        return f"it is damaged ({_short(str(exc))})"
    return f"it is damaged (its objects are not what a PDF's should be: {_short(type(exc).__name__)})"


def _header_problem(path: Path) -> str | None:
    """Why ``path`` is not a PDF at all, judging by what it is (a pipe or a device would be read
    for ever) and by its first bytes (a PDF starts with %PDF-)."""
    if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path):
        return "it is a device, a pipe or a socket, not a file"
    with path.open("rb") as handle:
        head = handle.read(1024)
    if not head:
        return "the file is empty"
    if b"%PDF-" not in head:
        return "it is not a PDF (a PDF starts with %PDF-)"
    return None


@contextmanager
def pdf_reading(path: Path, expected: str) -> Iterator[None]:
    """Read a PDF inside this block: any failure is one line ``cannot read this PDF: why``.

    pypdf raises many kinds of exceptions on damaged files (its own, but also
    ``AttributeError``, ``TypeError``, ``KeyError``... from objects that are not what they
    should be), and logs warnings as it repairs them; inside this block, its warnings are
    silenced and any exception is the file's fault. Keep only pypdf calls in the block.
    """
    where = str(path)
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            why = _header_problem(path)
            if why is not None:
                raise _Unreadable(why)
            yield
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError([Problem(where, 1, f"file not found; expected {expected}")]) from None
    except IsADirectoryError:
        raise InputError([Problem(where, 1, f"this is a folder; expected {expected}")]) from None
    except OSError as exc:
        raise InputError([Problem(where, 1, f"cannot read the file ({_short(exc.strerror or str(exc))}); "
                                            f"expected {expected}")]) from None
    except Exception as exc:  # see the docstring: inside, every failure is the file's
        raise InputError([Problem(where, 1, f"cannot read this PDF: {_why(exc)}; expected {expected}")]) from None
    finally:
        log.setLevel(level)


def open_pdf(path: Path) -> Any:
    """A pypdf reader of ``path``, decrypted if it opens without a password (call inside :func:`pdf_reading`)."""
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise _Unreadable("it is protected by a password")
    return reader


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def _resolved(value: Any) -> Any:
    """``value`` itself, not a reference to it, and None for PDF's null."""
    from pypdf.generic import NullObject

    value = value.get_object() if hasattr(value, "get_object") else value
    return None if isinstance(value, NullObject) else value


def _string(value: Any, name: str) -> str:
    """A PDF string as text: anything else where a string belongs is damage, not text."""
    from pypdf.generic import NameObject

    value = _resolved(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str) and not isinstance(value, NameObject):
        return str(value)
    raise _Unreadable(f"it is damaged (field '{_short(name, 60)}' holds {type(value).__name__} where a text "
                      "belongs)")


def _value(name: str, field: Any) -> Any:
    """A field's value as plain Python: text, an option key (radio, list), True (check box), or None."""
    from pypdf.generic import NameObject

    value = _resolved(field.get("/V"))
    kind = _resolved(field.get("/FT"))
    if kind == "/Btn":
        if value is None:
            return None
        # a state is a name (/on, /2); some libraries write it as a string, with or without its slash
        state = str(value)[1:] if isinstance(value, NameObject) else _string(value, name).removeprefix("/")
        if state == "Off":
            return None
        opts = _resolved(field.get("/Opt"))
        if opts is not None:  # a radio group: the state is the index of the chosen value
            index = int(state) if state.isdigit() and len(state) < 10 else -1
            if not 0 <= index < len(opts):
                return state
            chosen = _resolved(opts[index])
            if isinstance(chosen, list) and chosen:  # [export value, shown value]
                chosen = chosen[0]
            return _string(chosen, name)
        return True
    if value is None:
        return None
    if isinstance(value, list):  # a list box: the first value chosen
        value = value[0] if value else ""
    text = _string(value, name)
    return text if text.strip() else None


def _qualified(annot: Any) -> str | None:
    """The full name of the field a widget belongs to (its and its parents' /T joined by dots)."""
    names: list[str] = []
    node = annot
    for _ in range(32):  # a loop of parents in a damaged file ends here
        if "/T" in node:
            names.append(_text(node["/T"]))
        if "/Parent" not in node:
            break
        node = node["/Parent"].get_object()
    return ".".join(reversed(names)) if names else None


def _pages_of(reader: Any) -> dict[str, int]:
    """The name of every field with a widget on a page → that page (1-based), for error lines."""
    pages: dict[str, int] = {}
    for number, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":  # notes and links have names of their own
                continue
            name = _qualified(annot)
            if name is not None:
                pages.setdefault(name, number)
    return pages


def _ours(name: str) -> bool:
    return name in _WHO or _FIELD.match(name) is not None


@dataclass
class _Contents:
    """What a questionnaire PDF holds, as plain values."""

    values: dict[str, Any]
    pages: dict[str, int]
    meta: str | None


def _contents(path: Path) -> _Contents:
    with pdf_reading(path, FORM_EXPECTED):
        reader = open_pdf(path)
        fields = reader.get_fields() or {}
        values = {_text(name): _value(_text(name), f) for name, f in fields.items()}
        metadata = reader.metadata
        meta = metadata.get(META_KEY) if metadata is not None else None
        meta_text = _text(meta) if meta is not None else None
        pages = _pages_of(reader)
        lost = sorted({n for n in values if _ours(n)} ^ {n for n in pages if _ours(n)})
        if lost:  # pypdf repairs what it can of a damaged file, and may leave fields out
            raise _Unreadable(f"it is damaged (the fields on its pages and in its form differ: "
                              f"{_short(', '.join(lost), 60)})")
    return _Contents(values, pages, meta_text)


def _number(text: str) -> float | int | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    if len(cleaned) > 40:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() and "." not in cleaned and "e" not in cleaned.lower() else value


def _shown(value: Any) -> str:
    return f"'{_short(value, 60)}'" if isinstance(value, str) else describe(value)


@dataclass
class Filled:
    """A filled questionnaire: the response file made of it, and where each part of it came from."""

    path: Path
    document: dict[str, Any]
    pages: dict[str, int]
    sources: dict[PathKey, str] = field(default_factory=dict)  # a place in the document → its field
    problems: list[Problem] = field(default_factory=list)  # fields left out of the document, and why

    def problem(self, loc: PathKey, message: str) -> Problem:
        """``message`` about ``loc`` of the document, said of the field (and page) it came from."""
        loc = tuple(loc)
        while loc and loc not in self.sources:
            loc = loc[:-1]
        source = self.sources.get(loc)
        if source is None:
            return Problem(str(self.path), 1, message)
        if source == _META:
            return Problem(str(self.path), 1, f"the questionnaire's {META_KEY} metadata: {message}")
        return Problem(str(self.path), self.pages.get(source, 1), f"field '{source}': {message}")


def read_form(path: Path, bank: Bank) -> Filled:
    """The response file (docs/responses.md) of a filled form.

    A PDF that is not a readable questionnaire of ``bank`` raises :class:`InputError`; a bad
    field is left out of the document and kept in ``problems``: check what is made with
    :func:`check_as_answers`, which raises them with the loader's, before writing it.
    """
    where = str(path)
    contents = _contents(path)
    if contents.meta is None:
        raise InputError([Problem(where, 1, "this PDF is not a loyalty-audit questionnaire; "
                                            f"expected {FORM_EXPECTED}")])
    try:
        meta = json.loads(contents.meta)
    except (ValueError, RecursionError):
        meta = None
    if not isinstance(meta, dict):
        raise InputError([Problem(where, 1, f"the questionnaire's {META_KEY} metadata is damaged; expected the "
                                            "JSON that 'loyalty-audit form' writes")])
    if meta.get("bank") != bank.id:
        raise InputError([Problem(where, 1, f"this questionnaire is for bank {_shown(meta.get('bank'))}; expected "
                                            f"'{bank.id}' (use --bank)")])
    unknown_meta = sorted(set(meta) - {"bank", "bank_version", "language", "profile"})
    meta_profile = meta.get("profile") or {}
    if unknown_meta or not isinstance(meta_profile, dict):
        what = (f"unknown key '{_short(unknown_meta[0], 40)}'" if unknown_meta
                else f"profile is {describe(meta_profile)}, not a mapping")
        raise InputError([Problem(where, 1, f"the questionnaire's {META_KEY} metadata is damaged ({what}); "
                                            "expected the JSON that 'loyalty-audit form' writes")])
    pages = contents.pages
    values = contents.values
    problems: list[Problem] = []
    sources: dict[PathKey, str] = {("bank",): _META, ("bank_version",): _META, ("language",): _META,
                                   ("profile",): _META, ("organisation",): "organisation",
                                   ("respondent", "name"): "respondent.name",
                                   ("respondent", "department"): "respondent.department"}

    def bad(name: str, message: str) -> None:
        problems.append(Problem(where, pages.get(name, 1), f"field '{name}': {message}"))

    questions = {q.id: q for _, _, q in bank.questions()}
    answers: dict[str, Any] = {}
    comments: dict[str, str] = {}
    profile: dict[str, Any] = dict(meta_profile)
    chosen: dict[str, list[str]] = {}
    na: set[str] = set()
    unknown: set[str] = set()
    for name, value in values.items():
        if value is None or name in _WHO:
            continue
        match = _FIELD.match(name)
        if not match:
            continue
        kind, ident = (match.group(1), match.group(2)) if match.group(1) else ("option", match.group(3))
        if kind == "profile":
            profile[ident] = str(value)
            sources[("profile", ident)] = name
            continue
        q = questions.get(ident)
        if q is None:
            bad(name, f"question '{_short(ident, 60)}' is not in bank {bank.id} {bank.version}; expected a form "
                      "of this bank")
            continue
        if kind == "comment":
            comments[ident] = str(value)
            sources[("comments", ident)] = name
            continue
        sources.setdefault(("answers", ident), name)
        if kind == "na":
            na.add(ident)
        elif kind == "dont_know":
            unknown.add(ident)
        elif kind == "option":
            chosen.setdefault(ident, []).append(match.group(4))
        elif kind_of(q).answer == "numeric":
            number = _number(str(value))
            if number is None:
                bad(name, f"{_shown(value)} is not a number; expected a number such as 12 or 2,5")
            else:
                answers[ident] = number
        else:
            answers[ident] = str(value)
    for qid, keys in chosen.items():
        order = [o.key for o in questions[qid].options or []]
        answers[qid] = sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    for qid in na:
        if qid in answers:
            bad(f"na.{qid}", "N/A is ticked and the question is answered too; expected one or the other")
        else:
            answers[qid] = "na"
    for qid in unknown:
        if qid in answers:
            bad(f"dont_know.{qid}", "\"I don't know\" is ticked and the question is answered too; expected "
                                    "one or the other")
        else:
            answers[qid] = "dont_know"
    respondent: dict[str, Any] = {}
    if values.get("respondent.name"):
        respondent["name"] = str(values["respondent.name"])
    if values.get("respondent.department"):
        respondent["department"] = str(values["respondent.department"])
    document = {"bank": bank.id, "bank_version": meta.get("bank_version", bank.version),
                "organisation": values.get("organisation") or None, "respondent": respondent,
                "language": meta.get("language"), "profile": profile,
                "answers": {q: answers[q] for q in questions if q in answers},
                "comments": {q: comments[q] for q in questions if q in comments}}
    return Filled(path, document, pages, sources, problems)


def check_as_answers(filled: Filled, made: Path, bank: Bank) -> None:
    """Load ``made`` (the response file written from ``filled``, somewhere out of the way) as
    every command loads answers; its problems are raised as the questionnaire's, each at the
    field and page it came from, with the fields :func:`read_form` left out."""
    try:
        load_responses([made], bank)
        loaded: list[Problem] = []
    except InputError as exc:
        loaded = exc.problems
    if not loaded and not filled.problems:
        return
    at: dict[int, PathKey] = {}  # a line of the file → the deepest place in the document on it
    try:
        doc = load_document(made) if loaded else None
    except InputError:
        doc = None
    if doc is not None:
        for loc in _places(filled.document):
            line = doc.line(loc)
            if len(loc) >= len(at.get(line, ())):
                at[line] = loc
    raise InputError(filled.problems + [filled.problem(at.get(p.line, ()) if p.path == str(made) else (), p.message)
                                        for p in loaded])


def _places(value: Any, loc: PathKey = ()) -> Iterator[PathKey]:
    """Every place in a document: ``loc`` and each key and index below it."""
    yield loc
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*loc, index))


def holds_answers(path: Path) -> bool:
    """Whether ``path`` is anything but a questionnaire nobody has filled in yet (which a new one may replace).

    What ``loyalty-audit form`` fills in itself (the organisation, the profile) does not count.
    """
    try:
        contents = _contents(path)
    except InputError:
        return True
    if contents.meta is None:
        return True
    return any(value is not None for name, value in contents.values.items()
               if name not in ("organisation",) and not name.startswith("profile."))
