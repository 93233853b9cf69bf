"""PDF output of the report (and of the fillable form): archival, deterministic, locked down.

The PDF is archival (PDF/A-3b, tagged), carries the answers, the scores and the bank as
attached files, and is deterministic: its dates come from the answers, never from the
clock, and WeasyPrint's file identifier is a hash of the content. Resources are fetched by
:class:`LockedFetcher`, which serves files from the template and brand folders and
refuses everything else, so a template or an answer can never make the renderer read
another file or touch the network.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import warnings as warnings_module
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import pathname2url, url2pathname

import pydyf  # type: ignore[import-untyped]
import weasyprint.pdf
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ...engine.score import Result
from ...errors import InputError, Problem
from ..data import responses_document

PDF_VARIANT = "pdf/a-3b"
_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".gif": "image/gif", ".ttf": "font/ttf", ".otf": "font/otf",
          ".woff": "font/woff", ".woff2": "font/woff2", ".json": "application/json",
          ".yaml": "application/yaml", ".yml": "application/yaml"}


def file_url(path: Path) -> str:
    """The ``file:`` URL of an absolute path."""
    return "file://" + pathname2url(str(Path(path).resolve()))


class RefusedResource(FatalURLFetchingError):  # type: ignore[misc]
    """A resource outside the allowed folders; stops the rendering."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason


class LockedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files under the template folders and the brand folder, nothing else.

    Template folders form a search path like the Jinja loader: a relative reference made
    from the consultant's folder (``fonts/X.ttf``) is looked up there first, then in the
    package's templates. Anything that is not a ``file:`` URL, or that resolves (symbolic
    links included) outside these folders, is refused and stops the rendering.
    """

    def __init__(self, template_roots: Sequence[Path], other_roots: Sequence[Path] = ()) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.template_roots = [Path(r).resolve() for r in template_roots]
        self.roots = self.template_roots + [Path(r).resolve() for r in other_roots]

    def resolve(self, url: str) -> Path:
        """The allowed file ``url`` names; :class:`RefusedResource` otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            raise RefusedResource(url, "only files from the template and brand folders may be used, "
                                       f"not {parts.scheme or 'relative'} URLs")
        if parts.netloc not in ("", "localhost"):
            raise RefusedResource(url, "only local files may be used")
        try:  # the real path: every symbolic link on the way followed
            path = Path(url2pathname(unquote(parts.path))).resolve()
            for root in self.roots:
                if path.is_relative_to(root):
                    if path.is_file():
                        return path
                    if root in self.template_roots:
                        relative = path.relative_to(root)
                        for other in self.template_roots:
                            candidate = (other / relative).resolve()
                            if candidate.is_relative_to(other) and candidate.is_file():
                                return candidate
                    raise RefusedResource(url, "file not found in the template or brand folders")
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a loop of links, a name too long
            raise RefusedResource(url, f"not a usable file name ({exc})") from None
        raise RefusedResource(url, "the file lies outside the template and brand folders, once symbolic "
                                   "links are followed")

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.resolve(url)
        kind = _TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(file_url(path), path.read_bytes(), {"Content-Type": kind})


def locked_fetcher(template_roots: Sequence[Path], other_roots: Sequence[Path] = ()) -> LockedFetcher:
    return LockedFetcher(template_roots, other_roots)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """The warnings WeasyPrint logs meanwhile (bad CSS in a template, say), as messages."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@contextmanager
def objects_held_still() -> Iterator[None]:
    """The objects alive before a rendering (the bank, the answers, the result, the view, the
    modules) kept out of the garbage collector's passes while WeasyPrint lays out the pages.

    Laying out allocates boxes by the hundred thousand, and each full pass of the collector
    walked every object of the program again: about a twentieth of the rendering time. The
    boxes themselves are collected as before; the objects set aside rejoin the collector after,
    unless a caller had already set objects aside (then they stay so, as it wants).
    """
    already = gc.get_freeze_count()
    gc.collect()  # what an earlier rendering left is freed first, not set aside with the rest
    gc.freeze()
    try:
        yield
    finally:
        if not already:
            gc.unfreeze()


@contextmanager
def weasyprint_errors(where: Path) -> Iterator[None]:
    try:
        yield
    except RefusedResource as exc:
        raise InputError([Problem(str(where), 1, f"the report refers to '{exc.url}': {exc.reason}; "
                                                 "expected files inside the template or brand folders")]) from None
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        cause = cause.__cause__ if isinstance(cause, FatalURLFetchingError) else cause
        raise InputError([Problem(str(where), 1, f"{exc} ({cause}); expected files inside the template "
                                                 "or brand folders")]) from None


class _PagesKnown(pydyf.PDF):  # type: ignore[misc]
    """A PDF whose pages are all added: its page references are worked out once.

    pydyf builds ``PDF.page_references`` anew (a tuple of every page) each time it is read,
    and WeasyPrint's tagging reads it for every tagged element, so tagging grows with pages
    times elements. While the tags are added no page is added, so the first tuple stays right.
    """

    _references: tuple[bytes, ...] | None = None

    @property
    def page_references(self) -> tuple[bytes, ...]:
        if self._references is None:
            self._references = tuple(super().page_references)
        return self._references


@contextmanager
def _tagging_once_per_page() -> Iterator[None]:
    """WeasyPrint's ``add_tags`` with the page references worked out once (:class:`_PagesKnown`).

    The PDF written is the same, byte for byte; only the time it takes changes
    (``bench/tagging.py`` shows the cost, for WeasyPrint itself to fix).
    """
    original = weasyprint.pdf.add_tags

    def add_tags(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        kind = pdf.__class__
        if kind is not pydyf.PDF:  # a PDF class of another make: left as it is
            return original(pdf, *args, **kwargs)
        pdf.__class__ = _PagesKnown
        try:
            return original(pdf, *args, **kwargs)
        finally:
            pdf.__class__ = kind
            pdf.__dict__.pop("_references", None)

    weasyprint.pdf.add_tags = add_tags
    try:
        yield
    finally:
        weasyprint.pdf.add_tags = original


def render_pdf(html: str, base_url: str, fetcher: LockedFetcher,
               attachments: list[tuple[str, bytes, str, str]], stamp: str | None) -> tuple[bytes, int, list[str]]:
    """The PDF bytes of ``html``, its page count and the warnings WeasyPrint gave.

    ``stamp`` (a W3C date or time, or None) dates the attached files; the document's own
    dates come from its ``<meta name=dcterms.created>``.
    """
    when = _stamp_datetime(stamp)
    files = []
    for name, data, description, relationship in sorted(attachments, key=lambda a: a[0].encode()):
        files.append(Attachment(string=data, name=name, description=description, relationship=relationship,
                                created=when or dt.datetime(2000, 1, 1), modified=when or dt.datetime(2000, 1, 1)))
    types = {name: _TYPES.get(PurePosixPath(name).suffix, "application/octet-stream") for name, *_ in attachments}

    def finish(_document: Any, pdf: Any) -> None:
        for obj in pdf.objects:
            if not isinstance(obj, dict) or obj.get("Type") != "/Filespec":
                continue
            stream = pdf.objects[int(obj["EF"]["F"].split()[0])]
            kind = types.get(str(obj["UF"].string))
            if kind:
                stream.extra["Subtype"] = "/" + kind.replace("/", "#2f")
            if when is None:  # undated audit: no invented dates
                stream.extra["Params"].pop("CreationDate", None)
                stream.extra["Params"].pop("ModDate", None)

    options: dict[str, Any] = {"pdf_variant": PDF_VARIANT, "pdf_tags": True, "attachments": files,
                               "custom_metadata": False}
    with weasyprint_errors(fetcher.template_roots[0]), weasyprint_warnings() as warnings, objects_held_still():
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=FontConfiguration(), pdf_tags=True)
        with warnings_module.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it; the
            # ResourceWarning is about its file handle, not about the report
            warnings_module.simplefilter("ignore", ResourceWarning)
            with _tagging_once_per_page():
                pdf = document.write_pdf(finisher=finish, **options)
    assert isinstance(pdf, bytes)
    return pdf, len(document.pages), [f"rendering: {w}" for w in warnings]


def _stamp_datetime(stamp: str | None) -> dt.datetime | None:
    if stamp is None:
        return None
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def attachments(result: Result, named: bool = False) -> list[tuple[str, bytes, str, str]]:
    """(name, data, description, relationship) of the files the report's PDF carries; the
    answers without respondents' names unless ``named``."""
    bank = result.bank
    responses = json.dumps(responses_document(result.team, named), ensure_ascii=False, indent=2) + "\n"
    data = result.to_json()
    if not named:
        data["warnings"] = []  # they name files and people
    scores = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    identity = json.dumps({"id": bank.id, "version": bank.version, "digest": bank.digest,
                           "files": [name for name, _ in bank.files]}, ensure_ascii=False, indent=2) + "\n"
    out = [("responses.json", responses.encode(), "The team's answers (loyalty-audit response file)", "Source"),
           ("report/scores.json", scores.encode(), "The scores printed in this report", "Data"),
           ("report/bank.json", identity.encode(), "Identity of the question bank", "Data")]
    out += [(f"bank/{name}", data, "Question bank file", "Source") for name, data in bank.files]
    return out
