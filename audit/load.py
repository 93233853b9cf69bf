"""Load a bank folder and response files: the only place that reads input files.

Every problem in the input is collected (with its file and line) and raised together as
one :class:`~audit.errors.InputError`; nothing half-valid comes out of here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .formats import parse_timestamp
from .model import (
    TEXT_MARK,
    Area,
    AreaFile,
    Bank,
    BankFile,
    BankHeader,
    Entry,
    Option,
    Question,
    ResponseFile,
    option_key,
)
from .validation import describe, problems_from
from .yamlload import Document, PathKey, load_document

RESPONSE_SUFFIXES = (".yaml", ".yml", ".json")
M = TypeVar("M", bound=BaseModel)


def default_bank_dir() -> Path:
    """The bank that ships with the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "questions", here.parent / "questions"):
        if (candidate / "bank.yaml").is_file():
            return candidate
    return here.parent / "questions"


def _validate(model: type[M], doc: Document, problems: list[Problem]) -> M | None:
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"the file holds {describe(doc.data)}; "
                                         "expected a mapping of keys to values"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, doc, model))
        return None


def suggest(name: str, known: list[str]) -> str:
    """"did you mean ...?" for a misspelt name, else the names that are known."""
    hint = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{hint[0]}'?" if hint else f"expected one of: {_few(known)}"


def _few(items: list[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


# -- banks ------------------------------------------------------------------------------

class _BankChecker:
    """Semantic checks of a bank that the models alone cannot express."""

    def __init__(self, bank: BankFile, bank_doc: Document,
                 areas: list[tuple[AreaFile, Document]]) -> None:
        self.bank = bank
        self.bank_doc = bank_doc
        self.areas = areas
        self.problems: list[Problem] = []

    def add(self, doc: Document, loc: PathKey, message: str) -> None:
        self.problems.append(doc.problem(loc, message))

    def run(self, whole: bool = True) -> None:
        bank, doc = self.bank, self.bank_doc
        self._unique(doc, [(("languages", i), lang) for i, lang in enumerate(bank.languages)],
                     "language")
        self.texts(bank, doc, ())
        for name, options in bank.scales.items():
            self._options(doc, ("scales", name), options)
        if bank.levels:
            if bank.levels[0].from_ != 0:
                self.add(doc, ("levels", 0, "from"), "the first level must start at 0; expected from: 0")
            for i in range(1, len(bank.levels)):
                this, before = bank.levels[i], bank.levels[i - 1]
                if this.from_ <= before.from_:
                    self.add(doc, ("levels", i, "from"),
                             f"level '{this.key}' starts at {this.from_:g}, not above level "
                             f"'{before.key}' ({before.from_:g}); expected levels in ascending order")
            self._unique(doc, [(("levels", i, "key"), lv.key) for i, lv in enumerate(bank.levels)],
                         "level key")
        self._unique(doc, [(("departments", i, "key"), d.key) for i, d in enumerate(bank.departments)],
                     "department key")
        self._unique(doc, [(("profile", i, "id"), p.id) for i, p in enumerate(bank.profile)],
                     "profile question id")
        for i, pq in enumerate(bank.profile):
            self._unique(doc, [(("profile", i, "options", j, "key"), o.key)
                               for j, o in enumerate(pq.options)], "option key")
        ids: list[tuple[Document, PathKey, str]] = []
        for area, adoc in self.areas:
            self.texts(area, adoc, ())
            ids.append((adoc, ("id",), area.id))
            for i, section in enumerate(area.sections):
                ids.append((adoc, ("sections", i, "id"), section.id))
                self._applies(adoc, ("sections", i, "applies_if"), section.applies_if)
                for j, question in enumerate(section.questions):
                    loc: PathKey = ("sections", i, "questions", j)
                    ids.append((adoc, loc + ("id",), question.id))
                    self._question(adoc, loc, question)
        if not whole:
            return
        seen: dict[str, tuple[Document, PathKey]] = {}
        for qdoc, loc, ident in ids:
            if ident in seen:
                first_doc, first_loc = seen[ident]
                self.add(qdoc, loc, f"id '{ident}' is already used at {first_doc.path}:"
                                    f"{first_doc.line(first_loc)}; expected ids unique across the bank")
            else:
                seen[ident] = (qdoc, loc)
        refs = {a.id for a, _ in self.areas} | {s.id for a, _ in self.areas for s in a.sections}
        refs.add("overall")
        self._unique(doc, [(("rules", i, "id"), r.id) for i, r in enumerate(bank.rules)], "rule id")
        for i, rule in enumerate(bank.rules):
            for j, cond in enumerate(rule.when):
                for ref in cond.refs:
                    if ref not in refs:
                        self.add(doc, ("rules", i, "when", j),
                                 f"rule '{rule.id}' names unknown id '{ref}'; "
                                 f"{suggest(ref, sorted(refs))} (an area, a section or overall)")

    def _unique(self, doc: Document, items: list[tuple[PathKey, str]], what: str) -> None:
        seen: set[str] = set()
        for loc, key in items:
            if key in seen:
                self.add(doc, loc, f"{what} '{key}' appears twice; expected each once")
            seen.add(key)

    def _options(self, doc: Document, loc: PathKey, options: list[Option]) -> None:
        if not options:
            self.add(doc, loc, "no options; expected at least one option")
        self._unique(doc, [(loc + (i, "key"), o.key) for i, o in enumerate(options)], "option key")

    def _applies(self, doc: Document, loc: PathKey, applies_if: dict[str, list[str]] | None) -> None:
        profile = {p.id: p for p in self.bank.profile}
        for pid, keys in (applies_if or {}).items():
            if pid not in profile:
                self.add(doc, loc + (pid,), f"applies_if names unknown profile question '{pid}'; "
                                            + (suggest(pid, list(profile)) if profile
                                               else "expected a bank with that profile question"))
                continue
            known = [o.key for o in profile[pid].options]
            for i, key in enumerate(keys):
                if key not in known:
                    self.add(doc, loc + (pid, i), f"'{key}' is not an option of profile question "
                                                  f"'{pid}'; expected one of: {', '.join(known)}")

    def _question(self, doc: Document, loc: PathKey, q: Question) -> None:
        given = q.model_fields_set
        if q.type is None:
            if q.scale is None:
                self.add(doc, loc, f"question '{q.id}' has no type; expected type: scale, choice, "
                                   "multi, number or text (or scale: NAME)")
                return
            q.type = "scale"
        allowed = {"scale": {"scale"}, "choice": {"options"}, "multi": {"options"},
                   "number": {"bands", "unit", "range"}, "text": set()}[q.type]
        for key in ("scale", "options", "bands", "unit", "range"):
            if key in given and key not in allowed:
                self.add(doc, loc + (key,), f"key '{key}' does not belong to a {q.type} question; "
                                            f"expected only: {', '.join(sorted(allowed)) or 'no answer keys'}")
        required = {"scale": "scale", "choice": "options", "multi": "options", "number": "bands"}
        need = required.get(q.type)
        if need and getattr(q, need) is None:
            self.add(doc, loc, f"question '{q.id}' of type {q.type} needs '{need}'")
        if q.type == "scale" and q.scale is not None:
            if q.scale not in self.bank.scales:
                self.add(doc, loc + ("scale",), f"unknown scale '{q.scale}'; "
                                                + suggest(q.scale, list(self.bank.scales)))
            else:
                q.options = [o.model_copy() for o in self.bank.scales[q.scale]]
        if q.type in ("choice", "multi") and q.options is not None:
            self._options(doc, loc + ("options",), q.options)
        if q.type == "number" and q.bands is not None:
            if not q.bands:
                self.add(doc, loc + ("bands",), "no bands; expected at least one band")
            for i, band in enumerate(q.bands[:-1]):
                if band.max is None and band.min is None:
                    self.add(doc, loc + ("bands", i), "a band with neither max nor min matches "
                                                      "everything; expected it to be the last band")
        if q.range is not None and q.range[0] > q.range[1]:
            self.add(doc, loc + ("range",), f"range [{q.range[0]:g}, {q.range[1]:g}] is empty; "
                                            "expected [low, high] with low <= high")
        if q.type == "text":
            if "weight" in given and q.weight != 0:
                self.add(doc, loc + ("weight",), "a text question is not scored; "
                                                 "expected weight 0 or no weight")
            q.weight = 0
        self._applies(doc, loc + ("applies_if",), q.applies_if)

    def texts(self, model: BaseModel, doc: Document, loc: PathKey) -> None:
        """Check and normalise every text in ``model`` to ``{language: text}``."""
        languages = self.bank.languages
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            key = info.alias or name
            is_text = TEXT_MARK in info.metadata or _has_mark(info.annotation)
            if is_text and value is not None:
                if isinstance(value, list):
                    setattr(model, name, [self._text(doc, loc + (key, i), v, languages)
                                          for i, v in enumerate(value)])
                else:
                    setattr(model, name, self._text(doc, loc + (key,), value, languages))
            elif isinstance(value, BaseModel):
                self.texts(value, doc, loc + (key,))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, BaseModel):
                        self.texts(item, doc, loc + (key, i))
            elif isinstance(value, dict):
                for k, item in value.items():
                    if isinstance(item, list):
                        for i, sub in enumerate(item):
                            if isinstance(sub, BaseModel):
                                self.texts(sub, doc, loc + (key, k, i))

    def _text(self, doc: Document, loc: PathKey, value: str | dict[str, str],
              languages: list[str]) -> dict[str, str]:
        if isinstance(value, str):
            return {lang: value for lang in languages}
        missing = [lang for lang in languages if lang not in value]
        extra = [lang for lang in value if lang not in languages]
        if missing:
            self.add(doc, loc, f"missing translation for {', '.join(missing)}; expected one text "
                               f"for each of the bank's languages ({', '.join(languages)})")
        if extra:
            self.add(doc, loc, f"text in unknown language {', '.join(extra)}; expected only the "
                               f"bank's languages ({', '.join(languages)})")
        return {lang: value.get(lang, "") for lang in languages}


def _has_mark(annotation: Any) -> bool:
    if annotation is TEXT_MARK:
        return True
    return any(_has_mark(a) for a in get_args(annotation))


def load_bank(folder: Path | str | None = None) -> Bank:
    """Load and check the bank in ``folder`` (the packaged bank by default)."""
    folder = Path(folder) if folder is not None else default_bank_dir()
    problems: list[Problem] = []
    if not folder.is_dir():
        raise InputError([Problem(str(folder), 1, "no such folder; expected a bank folder "
                                                  "holding bank.yaml")])
    bank_path = folder / "bank.yaml"
    bank_doc = load_document(bank_path)
    bank_file = _validate(BankFile, bank_doc, problems)
    areas: list[tuple[AreaFile, Document]] = []
    digest = hashlib.sha256(bank_path.read_bytes())
    if bank_file is not None:
        for i, name in enumerate(bank_file.areas):
            path = folder / name
            if Path(name).is_absolute() or ".." in Path(name).parts:
                problems.append(bank_doc.problem(("areas", i), f"area file '{name}' lies outside the "
                                                               "bank folder; expected a file name in it"))
                continue
            if not path.is_file():
                problems.append(bank_doc.problem(("areas", i), f"area file '{name}' not found in "
                                                               f"{folder}; expected an existing file"))
                continue
            try:
                doc = load_document(path)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
            area = _validate(AreaFile, doc, problems)
            if area is not None:
                areas.append((area, doc))
    if bank_file is None:
        raise InputError(problems)
    checker = _BankChecker(bank_file, bank_doc, areas)
    checker.run(whole=not problems)  # cross-file checks need every area file
    if problems or checker.problems:
        raise InputError(problems + checker.problems)
    resolved = [Area.model_construct(**area.__dict__, source=name)
                for (area, _), name in zip(areas, bank_file.areas, strict=True)]
    header = {name: getattr(bank_file, name) for name in BankHeader.model_fields}
    return Bank.model_construct(**header, areas=resolved, digest=digest.hexdigest())


# -- responses --------------------------------------------------------------------------

class _NotApplicable:
    """The answer N/A; written ``na`` in files."""

    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "na"


NA = _NotApplicable()
AnswerValue = Any  # str key | list[str] | float | str text | NA


@dataclass
class Response:
    """One respondent's validated answers."""

    source: str
    name: str | None
    department: str | None
    language: str | None
    submitted: str | None
    profile: dict[str, str]
    answers: dict[str, AnswerValue]
    comments: dict[str, str]


@dataclass
class Team:
    """Every respondent of one audit, in input order."""

    bank_id: str
    bank_version: str | None
    organisation: str | None
    respondents: list[Response]
    warnings: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # answers set aside when matching by id


@dataclass(frozen=True, order=True)
class Dropped:
    """An earlier answer that no longer fits the bank, set aside when matching by id.

    ``kind``: ``retired`` (the question is not in the bank), ``changed`` (the answer is not
    valid for the question as it is now), ``profile`` (a profile question or option is gone).
    """

    where: Problem
    question: str
    kind: str

    def __str__(self) -> str:
        return str(self.where)


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


def answer_value(q: Question, value: Any) -> tuple[AnswerValue, str | None]:
    """Normalise one answer to ``q``; returns (value, problem or None)."""
    keys = [o.key for o in q.options or []]
    if isinstance(value, bool):
        return None, (f"the answer to '{q.id}' is read by YAML as true/false (an unquoted yes, no, on, "
                      "off, true or false); write it in quotes, e.g. \"yes\"")
    if isinstance(value, str) and value == "na" and "na" not in keys and q.type != "text":
        if q.na:
            return NA, None
        return None, f"N/A is not allowed for question '{q.id}'; expected an answer"
    if q.type in ("scale", "choice"):
        try:
            key = option_key(value)
        except ValueError:
            return None, (f"answer to '{q.id}' is {describe(value)}; expected one of: "
                          f"{', '.join(keys)}" + (" or na" if q.na else ""))
        if key not in keys:
            return None, (f"'{key}' is not an option of question '{q.id}'; expected one of: "
                          f"{', '.join(keys)}" + (" or na" if q.na else ""))
        return key, None
    if q.type == "multi":
        if not isinstance(value, list):
            return None, (f"answer to '{q.id}' is {describe(value)}; expected a list of options "
                          f"from: {', '.join(keys)}")
        chosen: list[str] = []
        for item in value:
            try:
                key = option_key(item)
            except ValueError:
                return None, f"answer to '{q.id}' holds {describe(item)}; expected option keys"
            if key not in keys:
                return None, (f"'{key}' is not an option of question '{q.id}'; expected keys "
                              f"from: {', '.join(keys)}")
            if key in chosen:
                return None, f"option '{key}' is chosen twice in '{q.id}'; expected each once"
            chosen.append(key)
        return chosen, None
    if q.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None, f"answer to '{q.id}' is {describe(value)}; expected a finite number"
        if q.range is not None and not q.range[0] <= value <= q.range[1]:
            return None, (f"answer to '{q.id}' is {value:g}, outside its range; expected a number "
                          f"from {q.range[0]:g} to {q.range[1]:g}")
        return float(value), None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, f"answer to '{q.id}' is {describe(value)}; expected a text"
    return (value if isinstance(value, str) else str(value)), None


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
    if dept is not None and departments and dept not in departments:
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
        normal, problem = answer_value(questions[qid], value)
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
    return Response(doc.path, entry.respondent.name, dept, entry.language, entry.submitted,
                    profile, answers, comments)


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
    respondents: list[Response] = []
    warnings: list[str] = []
    dropped: list[Dropped] = []
    organisation: str | None = None
    version: str | None = None
    first = True
    for path in files:
        try:
            doc = load_document(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        data = _validate(ResponseFile, doc, problems)
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
            organisation, version, first = data.organisation, data.bank_version, False
        elif data.organisation is not None and data.organisation != organisation:
            warnings.append(f"{path}: organisation '{data.organisation}' differs from "
                            f"'{organisation}'; the first is used")
        for loc, entry in entries:
            respondents.append(_entry(bank, doc, loc, entry, problems, dropped if match_by_id else None))
    if not problems and not respondents and not allow_empty:
        problems.append(Problem(str(paths[0]) if paths else ".", 1,
                                "no respondents found; expected at least one response file"))
    if problems:
        raise InputError(problems)
    return Team(bank.id, version, organisation, respondents, warnings, sorted(set(dropped)))


def audit_date(team_respondents: list[Response], given: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The audit's date and its W3C timestamp: ``given``, else the latest ``submitted``.

    An unreadable ``submitted`` is an input error, reported at its line.
    """
    problems: list[Problem] = []
    stamps: list[dt.datetime] = []
    seen: dict[str, int] = {}
    for r in team_respondents:
        index = seen.get(r.source, 0)
        seen[r.source] = index + 1
        if r.submitted is None:
            continue
        stamp = parse_timestamp(r.submitted)
        if stamp is None:
            doc = load_document(Path(r.source))
            loc: tuple[str | int, ...] = ("submitted",)
            if isinstance(doc.data, dict) and "respondents" in doc.data:
                loc = ("respondents", index, "submitted")
            problems.append(doc.problem(loc, f"submitted: '{r.submitted}' is not a date; expected an "
                                             "ISO date or time such as \"2026-11-22\" or "
                                             "\"2026-11-22T10:00:00Z\""))
        else:
            stamps.append(stamp)
    if problems:
        raise InputError(problems)
    if given is not None:
        return given, given.isoformat()
    if not stamps:
        return None, None
    latest = max(stamps)
    if latest.time() == dt.time():
        return latest.date(), latest.date().isoformat()
    return latest.date(), latest.strftime("%Y-%m-%dT%H:%M:%SZ")
