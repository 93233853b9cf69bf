"""Reading message catalogues (``messages.yaml``; their shape: :mod:`audit.write.messages`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from .documents import load_document

Messages = dict[str, dict[str, str]]


def load_messages(roots: Sequence[Path]) -> Messages:
    """The ``messages.yaml`` of each folder in ``roots``, the first folder's texts winning.

    A folder without one is skipped; a text given for one language in an earlier folder
    replaces that language's text only.
    """
    messages: Messages = {}
    for root in reversed(list(roots)):
        path = Path(root) / "messages.yaml"
        if not path.is_file():
            continue
        doc = load_document(path)
        if not isinstance(doc.data, dict):
            raise InputError([doc.problem((), "expected a mapping of message names to texts")])
        problems = []
        for key, value in doc.data.items():
            if isinstance(value, str):
                messages[key] = {"": value}
            elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                messages[key] = {**messages.get(key, {}), **{str(k): v for k, v in value.items()}}
            else:
                problems.append(doc.problem((key,), f"message '{key}' is not a text; expected a text "
                                                    "or a mapping of language to text"))
        if problems:
            raise InputError(problems)
    return messages
