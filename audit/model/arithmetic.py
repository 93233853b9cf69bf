"""One order of additions for every float the engine adds."""

from __future__ import annotations

from collections.abc import Iterable


def total(values: Iterable[float]) -> float:
    """Add left to right from 0.0, as the browser does.

    ``sum()`` of floats is compensated since CPython 3.12 and plain before; one explicit
    order of additions keeps the last digit the same on every Python and in JavaScript
    (docs/scoring.md#adding-floats).
    """
    acc = 0.0
    for value in values:
        acc += value
    return acc
