"""User-facing input problems, kept apart from bugs.

A :class:`Problem` is one line a user sees: ``path:line: what is wrong, and what was
expected``. Loading collects every problem in a file before stopping, then raises one
:class:`InputError` carrying them all; the command line prints them and exits with 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one input file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class InputError(Exception):
    """Bad input: the run stops, every problem is reported, nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
