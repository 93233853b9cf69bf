"""The consultancy's brand on the report (``brand.yaml``, read by :mod:`audit.read.brand`).

```yaml
consultancy: Norte Consultores
consultant: Laura Pérez
title: {es: Auditoría de fidelización, en: Loyalty audit}   # default: the bank's title
subtitle: {es: Informe para la dirección, en: Report for the management}
logo: logo.svg                      # .svg, .png, .jpg or .gif
colours: {primary: "#1d3557", accent: "#b5532f", text: "#1f2328", muted: "#5c6670", light: "#eef1f5"}
fonts:                              # .ttf, .otf, .woff or .woff2 files
  body: {regular: fonts/Body.ttf, bold: fonts/Body-Bold.ttf, italic: fonts/Body-Italic.ttf}
  headings: {regular: fonts/Head.ttf, bold: fonts/Head-Bold.ttf}
footer: {es: Confidencial, en: Confidential}
dimensions: implementation          # the area drawn against target in the charts
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

from .text import ID_PATTERN, Model, Text, describe

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif")
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


def _colour(value: str) -> str:
    if not _COLOUR.match(value):
        raise ValueError(f"{describe(value)} is not a colour; expected a hex colour such as \"#1d3557\"")
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]


class Colours(Model):
    """Colours of the report; each one is optional and falls back to the template's."""

    primary: Colour | None = None
    accent: Colour | None = None
    text: Colour | None = None
    muted: Colour | None = None
    light: Colour | None = None


class FontFiles(Model):
    """The files of one font family; missing styles are synthesised from ``regular``."""

    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


class Fonts(Model):
    body: FontFiles | None = None
    headings: FontFiles | None = None


class BrandFile(Model):
    """``brand.yaml`` as written."""

    consultancy: str | None = None
    consultant: str | None = None
    title: Text | None = None
    subtitle: Text | None = None
    logo: str | None = None
    colours: Colours = Field(default_factory=Colours)
    fonts: Fonts = Field(default_factory=Fonts)
    footer: Text | None = None
    dimensions: Annotated[str, Field(pattern=ID_PATTERN)] | None = None


@dataclass
class FontFace:
    """One ``@font-face`` rule: a family, a weight and style, and the file."""

    family: str
    weight: int
    style: str
    path: Path


@dataclass
class Brand:
    """A checked brand: texts as given, file paths resolved inside ``folder``."""

    folder: Path | None = None
    consultancy: str | None = None
    consultant: str | None = None
    title: str | dict[str, str] | None = None
    subtitle: str | dict[str, str] | None = None
    logo: Path | None = None
    logo_data: bytes = b""  # the logo file's bytes, read once
    colours: dict[str, str] = field(default_factory=dict)
    faces: list[FontFace] = field(default_factory=list)
    families: dict[str, str] = field(default_factory=dict)  # body/headings → family name
    footer: str | dict[str, str] | None = None
    dimensions: str | None = None


STYLES = {"regular": (400, "normal"), "bold": (700, "normal"), "italic": (400, "italic"),
          "bold_italic": (700, "italic")}
