"""The report as one HTML document: Jinja2 templates, the consultant's folder first.

Autoescaped (respondents' text is data, never markup) and strict about undefined names;
every number is formatted by :mod:`audit.write.formats`. Templates run in Jinja's sandbox
(a template reaches the names it is given, never Python's objects behind them) and are
read only from inside their folders (:class:`FolderLoader`); the form and the site use the
same environment.
"""

from __future__ import annotations

import base64
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ...errors import InputError, Problem
from ...model.brand import Brand
from ...resources import packaged_templates
from ..formats import figure, long_date, money, number, percent
from ..messages import MessageError, Words
from .charts import Palette, meter
from .view import DEFAULT_COLOURS, Report, palette_of

APPENDIX_TEMPLATE = "appendix.html.j2"


def default_templates_dir() -> Path:
    """The report templates that ship with the package."""
    return packaged_templates("report", "report.html.j2")


def css_string(value: Any) -> str:
    """Text for a CSS string: quotes, backslashes, controls and markup characters escaped."""
    return "".join(f"\\{ord(c):x} " if c in '\\"\'<>&' or ord(c) < 32 or ord(c) == 127 else c
                   for c in str(value))


class FolderLoader(jinja2.FileSystemLoader):
    """Templates from folders, each file read only if its real path lies inside its folder.

    A symbolic link inside a folder (the template itself or a folder on its way) that
    resolves outside that folder is refused with a :class:`~audit.errors.Problem`, before
    anything is read through it; links that stay inside are followed.
    """

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if not os.path.lexists(filename):
                continue
            real = inside(Path(folder), Path(filename))
            if real.is_file():
                break
        else:
            raise jinja2.TemplateNotFound(template, f"{template!r} not found in {', '.join(self.searchpath)}")
        contents = real.read_text(encoding=self.encoding)
        mtime = real.stat().st_mtime

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime == mtime
            except OSError:
                return False

        return contents, os.path.normpath(filename), uptodate


def inside(folder: Path, path: Path) -> Path:
    """The real path of ``path`` (symbolic links followed), which must lie inside ``folder``."""
    real, root = path.resolve(), folder.resolve()
    if not real.is_relative_to(root):
        raise InputError([Problem(str(path), 1, f"a symbolic link to '{real}', outside the folder {folder}; "
                                                "expected templates and brand files inside their folder")])
    return real


def sandboxed(folders: Sequence[Path], **options: Any) -> SandboxedEnvironment:
    """Jinja's sandbox over ``folders`` (the first one's files win): autoescaped, strict about
    undefined names, blocks trimmed; ``options`` add to or replace these."""
    settings: dict[str, Any] = {"autoescape": True, "undefined": jinja2.StrictUndefined, "trim_blocks": True,
                                "lstrip_blocks": True, **options}
    return SandboxedEnvironment(loader=jinja2.ChoiceLoader([FolderLoader(str(f)) for f in folders]), **settings)


def environment(roots: list[Path], words: Words, palette: Palette) -> jinja2.Environment:
    """Jinja's sandbox with the consultant's folder first; autoescaped, strict about undefined names."""
    env = sandboxed(roots)
    lang = words.lang
    env.globals["t"] = words
    env.globals["tx"] = words.bank
    env.filters["num"] = lambda v, digits=1: number(v, lang, digits)
    env.filters["pct"] = lambda v, digits=1: percent(v, lang, digits)
    env.filters["date"] = lambda d: long_date(d, lang)
    env.filters["figure"] = lambda v: figure(v, lang)
    env.filters["money"] = lambda v, currency: money(v, currency, lang)
    env.filters["effort"] = lambda e: words(f"effort_{e}")
    env.filters["css_string"] = css_string
    env.globals["gauge"] = lambda value, target, label, width=120: meter(value, target, palette, label, width)
    return env


def _font_css(brand: Brand, mode: str) -> str:
    """``@font-face`` rules and font variables for the brand's own fonts."""
    if not brand.faces:
        return ""
    from .pdf import file_url  # WeasyPrint only when there is a PDF to make (the site uses this module too)

    out = []
    if mode == "pdf":
        for face in brand.faces:
            out.append(f'@font-face {{ font-family: "{face.family}"; src: url("{file_url(face.path)}"); '
                       f"font-weight: {face.weight}; font-style: {face.style}; }}")
    variables = []
    if "body" in brand.families:
        variables.append(f'--font-body: "{brand.families["body"]}", "Report Sans", "Liberation Sans", '
                         "Arial, sans-serif;")
    if "headings" in brand.families:
        variables.append(f'--font-headings: "{brand.families["headings"]}", "Report Serif", '
                         '"Liberation Serif", Georgia, serif;')
    out.append(":root { " + " ".join(variables) + " }")
    return "\n".join(out)


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def _stylesheet(env: jinja2.Environment, name: str) -> str:
    loader = env.loader
    assert loader is not None
    try:
        source, _, _ = loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return ""
    return source


def render_html(report: Report, roots: list[Path], words: Words, brand: Brand,
                template: str = "report.html.j2") -> str:
    """The report as one HTML document (styles inline); ``report.mode`` is "pdf" or "html";
    ``template``: the management report, or :data:`APPENDIX_TEMPLATE` for the data pack."""
    colours = {**DEFAULT_COLOURS, **brand.colours}
    env = environment(roots, words, palette_of(brand))
    css = _stylesheet(env, "report.css") + "\n" + _stylesheet(env, "custom.css")
    if report.mode == "html":  # a standalone page: no font files beside it, use the fallbacks
        css = _FONT_FACE.sub("", css)
    if "</" in css:
        raise InputError([Problem(str(roots[0]), 1, "a stylesheet contains '</'; expected plain CSS")])
    variables = ":root { " + " ".join(f"--{k}: {v};" for k, v in colours.items()) + " }"
    styles = Markup("\n".join((css, variables, _font_css(brand, report.mode))))
    template_name = template
    try:
        return env.get_template(template_name).render(r=report, styles=styles)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError([Problem(exc.filename or exc.name or template_name, exc.lineno or 1,
                                  f"template error: {exc.message}; expected valid Jinja2 syntax")]) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError([Problem(str(roots[0]), 1, f"template '{exc.name}' not found; expected it in "
                                                    f"{' or '.join(str(r) for r in roots)}")]) from None
    except MessageError as exc:
        raise InputError([Problem(str(roots[0] / "messages.yaml"), 1, str(exc))]) from None
    except jinja2.UndefinedError as exc:
        raise InputError([Problem(str(roots[0]), 1, f"template error: {exc.message}; expected only the "
                                                    "names the report provides")]) from None
    except (SecurityError, OverflowError) as exc:  # unsafe attributes and calls; range() over the sandbox's limit
        raise _refused(exc, roots[0]) from None


def _refused(exc: Exception, folder: Path) -> InputError:
    """What the sandbox refused, at the template line that asked for it."""
    where, line = str(folder), 1
    tb = exc.__traceback__
    while tb is not None:  # Jinja gives template frames the template's file name and line
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            where, line = name, tb.tb_lineno
        tb = tb.tb_next
    reason = str(exc).rstrip(".")
    return InputError([Problem(where, line, f"template error: {reason}; expected a template that uses only the "
                                            "names and filters the report provides (templates run in a sandbox)")])


_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif"}


def data_url(path: Path, data: bytes) -> str:
    """An image as a ``data:`` URL (a standalone HTML page has no files beside it)."""
    kind = _IMAGE_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")
