"""The consultancy's brand file (``--brand brand.yaml``): names, logo, colours, fonts, footer.

Validated like every other input: unknown keys are errors, and every problem is reported
as ``path:line`` before anything is rendered. File paths are relative to the brand file and
must stay inside its folder, because the report's URL fetcher serves nothing else.

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

from pydantic import AfterValidator, Field, ValidationError

from .errors import InputError, Problem
from .model import ID_PATTERN, Bank, Model, Text
from .validation import describe, problems_from
from .yamlload import Document, PathKey, load_document

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
    colours: dict[str, str] = field(default_factory=dict)
    faces: list[FontFace] = field(default_factory=list)
    families: dict[str, str] = field(default_factory=dict)  # body/headings → family name
    footer: str | dict[str, str] | None = None
    dimensions: str | None = None


STYLES = {"regular": (400, "normal"), "bold": (700, "normal"), "italic": (400, "italic"),
          "bold_italic": (700, "italic")}


def load_brand(path: Path | str, bank: Bank) -> Brand:
    """Read and check a brand file; ``bank`` is needed to check ``dimensions``."""
    path = Path(path)
    if path.is_dir():
        raise InputError([Problem(str(path), 1, "this is a folder; expected a brand file such as "
                                                "brand.yaml")])
    doc = load_document(path)
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), f"the file holds {describe(doc.data)}; expected a mapping "
                                          "of keys to values")])
    try:
        spec = BrandFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, BrandFile)) from None
    folder = path.resolve().parent
    problems: list[Problem] = []
    brand = Brand(folder=folder, consultancy=spec.consultancy, consultant=spec.consultant,
                  title=spec.title, subtitle=spec.subtitle, footer=spec.footer,
                  colours={k: v for k, v in spec.colours.model_dump().items() if v is not None})
    if spec.logo is not None:
        brand.logo = _file(doc, ("logo",), folder, spec.logo, LOGO_SUFFIXES, "logo", problems)
    for role, files in (("body", spec.fonts.body), ("headings", spec.fonts.headings)):
        if files is None:
            continue
        family = f"Brand {role.capitalize()}"
        brand.families[role] = family
        for style, (weight, slant) in STYLES.items():
            name = getattr(files, style)
            if name is None:
                continue
            found = _file(doc, ("fonts", role, style), folder, name, FONT_SUFFIXES, "font", problems)
            if found is not None:
                brand.faces.append(FontFace(family, weight, slant, found))
    for lang_text, key in ((spec.title, "title"), (spec.subtitle, "subtitle"), (spec.footer, "footer")):
        if isinstance(lang_text, dict):
            unknown = [lang for lang in lang_text if lang not in bank.languages]
            if unknown:
                problems.append(doc.problem((key,), f"text in unknown language {', '.join(unknown)}; "
                                                    f"expected only the bank's languages "
                                                    f"({', '.join(bank.languages)})"))
    if spec.dimensions is not None:
        areas = [a.id for a in bank.areas]
        if spec.dimensions not in areas:
            problems.append(doc.problem(("dimensions",), f"'{spec.dimensions}' is not an area of bank "
                                                         f"'{bank.id}'; expected one of: {', '.join(areas)}"))
        brand.dimensions = spec.dimensions
    if problems:
        raise InputError(problems)
    return brand


def _file(doc: Document, loc: PathKey, folder: Path, name: str, suffixes: tuple[str, ...], what: str,
          problems: list[Problem]) -> Path | None:
    """``name`` resolved against the brand folder, if it is an existing file inside it."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder):
        problems.append(doc.problem(loc, f"{what} '{name}' lies outside the brand file's folder; "
                                         "expected a file in that folder or below it"))
        return None
    if target.suffix.lower() not in suffixes:
        problems.append(doc.problem(loc, f"{what} '{name}' is not a supported file; expected one of: "
                                         f"{', '.join(suffixes)}"))
        return None
    if not target.is_file():
        problems.append(doc.problem(loc, f"{what} '{name}' not found; expected an existing file "
                                         f"relative to {doc.path}"))
        return None
    return target
