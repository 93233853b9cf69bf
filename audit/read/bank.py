"""Reading a bank folder (docs/bank-format.md): every file read once, checked, resolved.

Every problem in the bank is collected (with its file and line) and raised together as one
:class:`~audit.errors.InputError`; nothing half-valid comes out of here. The bytes of the
bank's files are kept on the :class:`~audit.model.Bank` for its digest and for the report's
attachments, so nothing is read twice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from ..errors import InputError, Problem
from ..model import TEXT_MARK, Area, AreaFile, Bank, BankFile, BankHeader, Option, Question
from ..model.answers import POOLED
from ..model.kinds import ANSWER_KEYS, KINDS, implied_kind
from ..resources import default_bank_dir
from .documents import Document, PathKey, load_document
from .validation import suggest, validate

# -- banks ------------------------------------------------------------------------------

# the most the weights of one level (a section's questions, an area's sections, the areas)
# may add up to: scores multiply them by up to 100 and add them, which must stay finite
MAX_WEIGHTS = 1e300


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
        for i, dept in enumerate(bank.departments):
            if dept.key == POOLED:
                self.add(doc, ("departments", i, "key"), f"department key '{POOLED}' is kept for small "
                                                         "departments pooled together; expected another key")
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
                self._weights([(adoc, ("sections", i, "questions", j), q.weight)
                               for j, q in enumerate(section.questions)], f"questions of section '{section.id}'")
            self._weights([(adoc, ("sections", i), s.weight) for i, s in enumerate(area.sections)],
                          f"sections of area '{area.id}'")
        self._weights([(adoc, (), area.weight) for area, adoc in self.areas], "areas of the bank")
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
            places = sorted(refs - {"overall"})
            for j, ref in enumerate(rule.focus):
                if ref not in places:
                    self.add(doc, ("rules", i, "focus", j),
                             f"rule '{rule.id}' focuses on unknown id '{ref}'; "
                             f"{suggest(ref, places)} (an area or a section)")

    def _weights(self, items: list[tuple[Document, PathKey, float]], what: str) -> None:
        """Refuse weights that add up past :data:`MAX_WEIGHTS`: scores would overflow to infinity."""
        added = 0.0
        for doc, loc, weight in items:
            added += weight
            if added > MAX_WEIGHTS:
                self.add(doc, loc + ("weight",), f"weight {weight:g} is too large: the weights of the {what} "
                                                 f"add up to more than {MAX_WEIGHTS:g}, past what a score can be "
                                                 "computed with; expected smaller weights such as 1, 2 or 3")
                return

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
            q.type = implied_kind(q)
            if q.type is None:
                self.add(doc, loc, f"question '{q.id}' has no type; expected type: "
                                   f"{', '.join(list(KINDS)[:-1])} or {list(KINDS)[-1]} (or scale: NAME)")
                return
        kind = KINDS[q.type]
        for key in ANSWER_KEYS:
            if key in given and key not in kind.keys:
                self.add(doc, loc + (key,), f"key '{key}' does not belong to a {q.type} question; "
                                            f"expected only: {', '.join(sorted(kind.keys)) or 'no answer keys'}")
        if kind.needs and getattr(q, kind.needs) is None:
            self.add(doc, loc, f"question '{q.id}' of type {q.type} needs '{kind.needs}'")
        if "scale" in kind.keys and q.scale is not None:
            if q.scale not in self.bank.scales:
                self.add(doc, loc + ("scale",), f"unknown scale '{q.scale}'; "
                                                + suggest(q.scale, list(self.bank.scales)))
            else:
                q.options = [o.model_copy() for o in self.bank.scales[q.scale]]
        if "options" in kind.keys and q.options is not None:
            self._options(doc, loc + ("options",), q.options)
        if "bands" in kind.keys and q.bands is not None:
            if not q.bands:
                self.add(doc, loc + ("bands",), "no bands; expected at least one band")
            for i, band in enumerate(q.bands[:-1]):
                if band.max is None and band.min is None:
                    self.add(doc, loc + ("bands", i), "a band with neither max nor min matches "
                                                      "everything; expected it to be the last band")
        if q.range is not None and q.range[0] > q.range[1]:
            self.add(doc, loc + ("range",), f"range [{q.range[0]:g}, {q.range[1]:g}] is empty; "
                                            "expected [low, high] with low <= high")
        if not kind.scored:
            if "weight" in given and q.weight != 0:
                self.add(doc, loc + ("weight",), f"a {q.type} question is not scored; "
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
            if len(languages) > 1:  # a plain string stands for every language of a one-language bank only
                example = ", ".join(f"{lang}: ..." for lang in languages)
                self.add(doc, loc, f"a plain text in a bank with several languages; expected one text for "
                                   f"each of the bank's languages, such as {{{example}}}")
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
    bank_file = validate(BankFile, bank_doc, problems)
    areas: list[tuple[AreaFile, Document]] = []
    files = [("bank.yaml", bank_doc.raw)]
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
            files.append((name, doc.raw))
            area = validate(AreaFile, doc, problems)
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
    digest = hashlib.sha256(bank_doc.raw)
    for name, data in files[1:]:
        digest.update(b"\0" + name.encode() + b"\0" + data)
    lines = {str(key): bank_doc.line((key,)) for key in bank_doc.data}
    return Bank.model_construct(**header, areas=resolved, digest=digest.hexdigest(), folder=folder,
                                files=files, lines=lines)
