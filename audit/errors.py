"""User-facing input problems, kept apart from bugs.

A :class:`Problem` is one line a user sees: ``path:line: what is wrong, and what was
expected``. Loading collects every problem in a file before stopping, then raises one
:class:`InputError` carrying them all; the command line prints them and exits with 2.

A problem quotes what it found (a key, a name, a path), so it is printed through
:func:`printable`: a line break in a key cannot start a second problem line, and an escape
sequence in a name never reaches the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Characters a terminal acts on instead of showing: C0 controls, DEL, C1 controls (CSI
#: among them), the Unicode line and paragraph separators, the bidirectional controls that
#: reorder what is shown, and lone surrogates (undecodable bytes in a file name).
UNPRINTABLE = frozenset(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
     *range(0x2066, 0x206A), *range(0xD800, 0xE000)])
_ESCAPES = {code: _NAMED.get(chr(code)) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
            for code in UNPRINTABLE}


def printable(text: str) -> str:
    """``text`` with every :data:`UNPRINTABLE` character written as its Python escape
    (``\\n``, ``\\x1b``, ``\\u202e``); any other text is returned unchanged."""
    return text.translate(_ESCAPES)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one input file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}: {printable(self.message)}"


class InputError(Exception):
    """Bad input: the run stops, every problem is reported, nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
