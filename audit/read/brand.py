"""Reading the consultancy's brand file (``--brand brand.yaml``; its format: :mod:`audit.model.brand`).

Validated like every other input: unknown keys are errors, and every problem is reported
as ``path:line`` before anything is rendered. File paths are relative to the brand file and
must stay inside its folder, because the report's URL fetcher serves nothing else.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..model import Bank, describe
from ..model.brand import FONT_SUFFIXES, LOGO_SUFFIXES, STYLES, Brand, BrandFile, FontFace
from .documents import Document, PathKey, load_document
from .validation import problems_from


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
        brand.logo_data = brand.logo.read_bytes() if brand.logo is not None else b""
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
