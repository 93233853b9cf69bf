"""Reading ``findings.yaml`` (the format is in :mod:`audit.model.findings`), checked against the bank."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..model import Bank, describe
from ..model.findings import ConsultantFindings, FindingsFile, Observation
from .documents import load_document
from .validation import problems_from, suggest

TEXTS = ("title", "issue", "impact", "recommendation", "evidence")


def load_findings(path: Path | str, bank: Bank) -> ConsultantFindings:
    """Read and check ``findings.yaml`` against ``bank``; every problem at once, with its line."""
    path = Path(path)
    if path.is_dir():
        raise InputError([Problem(str(path), 1, "this is a folder; expected a findings file such as findings.yaml")])
    if not path.is_file():
        raise InputError([Problem(str(path), 1, "no such file; expected a findings file such as findings.yaml")])
    doc = load_document(path)
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), f"the file holds {describe(doc.data)}; expected a mapping with "
                                          "key_message and observations")])
    problems: list[Problem] = []
    try:
        spec: FindingsFile | None = FindingsFile.model_validate(doc.data)
    except ValidationError as exc:
        problems += problems_from(exc, doc, FindingsFile)
        spec = None
    refs = sorted({a.id for a in bank.areas} | {s.id for _, s in bank.sections()})
    languages = set(bank.languages)

    def check_text(loc: tuple[str | int, ...], text: object) -> None:
        if isinstance(text, dict):
            missing = [lang for lang in bank.languages if lang not in text]
            unknown = [lang for lang in text if lang not in languages]
            if unknown:
                problems.append(doc.problem(loc, f"text in unknown language {', '.join(map(str, unknown))}; "
                                                 f"expected only the bank's languages ({', '.join(bank.languages)})"))
            elif missing:
                problems.append(doc.problem(loc, f"no text in {', '.join(missing)}; expected one entry for every "
                                                 f"language of the bank ({', '.join(bank.languages)})"))

    check_text(("key_message",), doc.data.get("key_message"))
    written = doc.data.get("observations")
    for i, o in enumerate(written if isinstance(written, list) else []):
        if not isinstance(o, dict):
            continue
        for key in TEXTS:
            check_text(("observations", i, key), o.get(key))
        about = o.get("about")
        for j, ref in enumerate(about if isinstance(about, list) else []):
            if isinstance(ref, str) and ref not in refs:
                problems.append(doc.problem(("observations", i, "about", j),
                                            f"unknown area or section '{ref}'; {suggest(ref, refs)}"))
    if problems or spec is None:
        raise InputError(problems)
    observations = [Observation(o.title, o.issue, o.impact, o.recommendation, o.evidence, list(o.about),
                                doc.line(("observations", i))) for i, o in enumerate(spec.observations)]
    return ConsultantFindings(doc.path, spec.key_message, observations)
