"""Reading response files (docs/responses.md) into one team.

Every answer is checked and normalised by its question's kind, every ``submitted`` is
parsed, and the audit's date is settled here, so nothing downstream reads a file again.
Every problem is collected (with its file and line) and raised together as one
:class:`~audit.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError, Problem
from ..model import Bank, Dropped, Entry, Response, ResponseFile, Team, normalise
from ..model.answers import POOLED, AnswerValue
from .documents import Document, PathKey, load_document, parse_document
from .validation import suggest, validate

RESPONSE_SUFFIXES = (".yaml", ".yml", ".json")


def response_files(paths: list[Path], allow_empty: bool = False) -> tuple[list[Path], list[Problem]]:
    """Files named directly, and the response files of folders in name order.

    ``allow_empty``: a folder without response files is not a problem (a new project's answers).
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in RESPONSE_SUFFIXES)
            if not found and not allow_empty:
                problems.append(Problem(str(path), 1, "no response files in this folder; expected "
                                                      ".yaml, .yml or .json files"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, "no such file or folder; expected a response "
                                                  "file or a folder of them"))
    return files, problems


def _entry(bank: Bank, doc: Document, loc: PathKey, entry: Entry, problems: list[Problem],
           dropped: list[Dropped] | None = None) -> Response:
    """One respondent; with ``dropped``, answers that do not fit the bank are set aside there."""
    questions = {q.id: q for _, _, q in bank.questions()}
    profile_qs = {p.id: p for p in bank.profile}
    departments = [d.key for d in bank.departments]

    def misfit(key: PathKey, question: str, kind: str, refused: str, set_aside: str) -> None:
        if dropped is None:
            problems.append(doc.problem(loc + key, refused))
        else:
            dropped.append(Dropped(doc.problem(loc + key, set_aside), question, kind))

    dept = entry.respondent.department
    if dept == POOLED:
        problems.append(doc.problem(loc + ("respondent", "department"),
                                    f"department '{POOLED}' is kept for small departments pooled together; "
                                    "expected your own department, or none"))
    elif dept is not None and departments and dept not in departments:
        problems.append(doc.problem(loc + ("respondent", "department"),
                                    f"unknown department '{dept}'; {suggest(dept, departments)}"))
    if entry.language is not None and entry.language not in bank.languages:
        problems.append(doc.problem(loc + ("language",), f"language '{entry.language}' is not one "
                                                         f"of the bank's: {', '.join(bank.languages)}"))
    profile: dict[str, str] = {}
    for pid, key in entry.profile.items():
        if pid not in profile_qs:
            misfit(("profile", pid), pid, "profile",
                   f"unknown profile question '{pid}'; "
                   + (suggest(pid, list(profile_qs)) if profile_qs else "this bank has no profile"),
                   f"profile question '{pid}' is not in this version of the bank; not compared")
        elif key is not None:
            known = [o.key for o in profile_qs[pid].options]
            if key not in known:
                wrong = f"'{key}' is not an option of profile question '{pid}'; expected one of: {', '.join(known)}"
                misfit(("profile", pid), pid, "profile", wrong, f"{wrong}; not compared")
            else:
                profile[pid] = key
    answers: dict[str, AnswerValue] = {}
    for qid, value in entry.answers.items():
        if qid not in questions:
            misfit(("answers", qid), qid, "retired", f"unknown question '{qid}'; {suggest(qid, list(questions))}",
                   f"question '{qid}' is not in this version of the bank; not compared")
            continue
        if value is None:
            continue
        normal, problem = normalise(questions[qid], value)
        if problem:
            misfit(("answers", qid), qid, "changed", problem, f"{problem}; not compared")
        else:
            answers[qid] = normal
    comments: dict[str, str] = {}
    for qid, text in entry.comments.items():
        if qid in questions:
            if text:
                comments[qid] = text
        elif qid not in entry.answers or dropped is None:  # else it goes with its answer, set aside above
            misfit(("comments", qid), qid, "retired",
                   f"comment on unknown question '{qid}'; {suggest(qid, list(questions))}",
                   f"comment on question '{qid}', which is not in this version of the bank; not compared")
    submitted_at = None
    if entry.submitted is not None:
        submitted_at = parse_timestamp(entry.submitted)
        if submitted_at is None:
            problems.append(doc.problem(loc + ("submitted",), f"submitted: '{entry.submitted}' is not a date; "
                                        "expected an ISO date or time such as \"2026-11-22\" or "
                                        "\"2026-11-22T10:00:00Z\""))
    return Response(doc.path, entry.respondent.name, dept, entry.language, entry.submitted,
                    profile, answers, comments, submitted_at)


def load_responses(paths: list[Path | str], bank: Bank, allow_empty: bool = False,
                   match_by_id: bool = False) -> Team:
    """Load every respondent of ``paths`` (files or folders) as one team.

    ``allow_empty``: folders without answers give a team of nobody instead of an error (a
    project whose teams have not answered yet still gets its report). ``match_by_id``: for
    answers given to another version of the bank (a baseline audit), answers, comments and
    profile answers that no longer fit the bank (unknown question, removed option, value out
    of range) are set aside in ``Team.dropped`` rather than refused; every other problem is
    still an error.
    """
    files, problems = response_files([Path(p) for p in paths], allow_empty)

    def documents() -> Iterator[Document]:  # one at a time: a folder's files are not all held at once
        for path in files:
            try:
                yield load_document(path)
            except InputError as exc:
                problems.extend(exc.problems)

    team = _team(documents(), bank, problems, match_by_id)
    if not problems and not team.respondents and not allow_empty:
        problems.append(Problem(str(paths[0]) if paths else ".", 1,
                                "no respondents found; expected at least one response file"))
    if problems:
        raise InputError(problems)
    return team


def load_response_bytes(raw: bytes, name: str, bank: Bank) -> Team:
    """The respondents of one JSON response that comes from no file (a request's body),
    checked exactly as a file named ``name`` would be by :func:`load_responses`."""
    problems: list[Problem] = []
    team = _team([parse_document(raw, name, is_json=True)], bank, problems, match_by_id=False)
    if problems:
        raise InputError(problems)
    return team


def _team(documents: Iterable[Document], bank: Bank, problems: list[Problem], match_by_id: bool) -> Team:
    """The respondents of ``documents`` as one team; their problems are added to ``problems``."""
    respondents: list[Response] = []
    warnings: list[str] = []
    dropped: list[Dropped] = []
    organisation: str | None = None
    version: str | None = None
    first = True
    for doc in documents:
        path = doc.path
        data = validate(ResponseFile, doc, problems)
        if data is None:
            continue
        if data.bank is not None and data.bank != bank.id:
            problems.append(doc.problem(("bank",), f"these answers are for bank '{data.bank}'; "
                                                   f"expected '{bank.id}'"))
        if data.bank_version is not None and data.bank_version != bank.version:
            warnings.append(f"{path}: answers are for bank version {data.bank_version}, "
                            f"the bank is version {bank.version}")
        entries = data.entries()
        if not entries:
            problems.append(doc.problem(("respondents",), "no respondents; expected at least one"))
        if first:
            version, first = data.bank_version, False
        if organisation is None:  # the first file that names the organisation names it
            organisation = data.organisation
        elif data.organisation is not None and data.organisation != organisation:
            warnings.append(f"{path}: organisation '{data.organisation}' differs from "
                            f"'{organisation}'; the first is used")
        for loc, entry in entries:
            respondents.append(_entry(bank, doc, loc, entry, problems, dropped if match_by_id else None))
    day, stamp = _audit_date([r.submitted_at for r in respondents if r.submitted_at is not None])
    return Team(bank.id, version, organisation, respondents, warnings, sorted(set(dropped)), day, stamp)


def _audit_date(stamps: list[dt.datetime]) -> tuple[dt.date | None, str | None]:
    """The latest of ``stamps`` as a date and as a W3C date or time, or (None, None)."""
    if not stamps:
        return None, None
    latest = max(stamps)
    if latest.time() == dt.time():
        return latest.date(), latest.date().isoformat()
    return latest.date(), latest.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> dt.datetime | None:
    """A ``submitted`` value as a UTC datetime (a bare date counts as midnight UTC)."""
    try:
        stamp = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp
