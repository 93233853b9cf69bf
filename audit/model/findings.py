"""The consultant's own findings (``findings.yaml`` in the client's project), printed first.

The bank's rules say what the scores show; the consultant says what they saw. The file
gives the key message and observations, each as CSET's observations do: the issue, its
impact, the recommendation and the evidence behind it.

```yaml
key_message: {es: ..., en: ...}      # or a plain string: what management must take away
observations:
  - title: {es: ..., en: ...}        # short, the observation's heading
    issue: {es: ..., en: ...}        # what was observed
    impact: {es: ..., en: ...}       # why it matters to the business (optional)
    recommendation: {es: ..., en: ...}   # what to do (optional)
    evidence: {es: ..., en: ...}     # what was seen: documents, figures, interviews (optional)
    about: [back_office]             # optional: area or section ids it concerns
```

:mod:`audit.read.findings` reads and checks it against the bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field

from .text import ID_PATTERN, Model, Text


class ObservationFile(Model):
    """One observation as written in ``findings.yaml``."""

    title: Text
    issue: Text
    impact: Text | None = None
    recommendation: Text | None = None
    evidence: Text | None = None
    about: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list)


class FindingsFile(Model):
    """``findings.yaml`` as written."""

    key_message: Text | None = None
    observations: list[ObservationFile] = Field(default_factory=list)


@dataclass
class Observation:
    """A checked observation; texts are plain strings or one entry per bank language."""

    title: str | dict[str, str]
    issue: str | dict[str, str]
    impact: str | dict[str, str] | None
    recommendation: str | dict[str, str] | None
    evidence: str | dict[str, str] | None
    about: list[str]
    line: int


@dataclass
class ConsultantFindings:
    """A checked ``findings.yaml``."""

    path: str
    key_message: str | dict[str, str] | None
    observations: list[Observation] = field(default_factory=list)
