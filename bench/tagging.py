"""Minimal reproduction, for WeasyPrint and pydyf: tagging a PDF grows faster than its pages.

    .venv/bin/python bench/tagging.py [--pages 100] [--runs 3]
    .venv/bin/python bench/tagging.py --html report.html [--runs 3]

Bare WeasyPrint, nothing of this project: a generated HTML document of N pages (headings,
paragraphs, a list and a table on every page) is written with ``write_pdf(pdf_tags=True)``
for N and 2N pages. For each size it reports the median time of ``write_pdf`` and of
``weasyprint.pdf.tags.add_tags`` within it, then does the same with ``PDF.page_references``
computed once per ``add_tags`` call, and checks that both PDFs are the same bytes.

With ``--html FILE`` it measures that one document instead (a report written with
``loyalty-audit report --html``, which inlines its styles and images), for the figures of
a real document.

Why: ``pydyf.PDF.page_references`` is a property that builds a new tuple of every page's
reference each time it is read, and ``add_tags`` reads it once for every tagged element
(``'Pg': pdf.page_references[page_number]``). Elements grow with pages, so the tuples built
grow with pages x elements: doubling the pages roughly quadruples that part of the work.
While the tags are added no page is added, so one tuple per call gives the same PDF.

Times are the process's CPU seconds (``time.process_time``), so that other work on a shared
machine does not blur them; tests never run this. It prints a table of seconds and ratios
(the ratios matter).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
import weasyprint.pdf
from weasyprint import HTML

PAGE = """
<h2>Section {n}</h2>
<p>Paragraph {n}.1: a short text that fills a line or two of the page, as reports do.</p>
<ul><li>Point {n}.a</li><li>Point {n}.b</li><li>Point {n}.c</li></ul>
<table><thead><tr><th>Item</th><th>Value</th><th>Note</th></tr></thead><tbody>
{rows}
</tbody></table>
<p>Paragraph {n}.2, closing the page.</p>
"""
ROW = "<tr><td>Row {n}.{i}</td><td>{i}</td><td>Text {i}</td></tr>"
STYLE = "<style>@page {size: A4; margin: 2cm} h2 {break-before: page} table {width: 100%}</style>"


def document(pages: int) -> str:
    """An HTML document of about ``pages`` A4 pages, every page with about 120 tagged elements."""
    body = "".join(PAGE.format(n=n, rows="".join(ROW.format(n=n, i=i) for i in range(22)))
                   for n in range(pages))
    return f"<!doctype html><html lang=en><head><title>Tagging</title>{STYLE}</head><body>{body}</body></html>"


class CachedPages(pydyf.PDF):  # type: ignore[misc]
    """``page_references`` built once: no page is added while tags are."""

    _references: tuple[bytes, ...] | None = None

    @property
    def page_references(self) -> tuple[bytes, ...]:
        if self._references is None:
            self._references = tuple(super().page_references)
        return self._references


@contextmanager
def timed_tags(times: list[float], cached: bool) -> Iterator[None]:
    """``add_tags`` timed into ``times``, with the page references cached or not."""
    original: Callable[..., Any] = weasyprint.pdf.add_tags

    def add_tags(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        kind = pdf.__class__
        if cached:
            pdf.__class__ = CachedPages
        start = time.process_time()
        try:
            return original(pdf, *args, **kwargs)
        finally:
            times.append(time.process_time() - start)
            pdf.__class__ = kind

    weasyprint.pdf.add_tags = add_tags
    try:
        yield
    finally:
        weasyprint.pdf.add_tags = original


def measure(html: HTML, runs: int) -> dict[str, Any]:
    rendered = html.render(pdf_tags=True)
    out: dict[str, Any] = {"pages": len(rendered.pages)}
    outputs: dict[bool, bytes] = {}
    timings: dict[bool, tuple[list[float], list[float]]] = {False: ([], []), True: ([], [])}
    for _ in range(runs):
        for cached in (False, True):  # in turns, so that a busy moment hits both
            whole, tags = timings[cached]
            with timed_tags(tags, cached):
                start = time.process_time()
                pdf = rendered.write_pdf(pdf_tags=True)
                whole.append(time.process_time() - start)
            outputs[cached] = pdf
    for cached, (whole, tags) in timings.items():
        name = "cached" if cached else "pydyf"
        out[f"{name}_write"] = statistics.median(whole)
        out[f"{name}_tags"] = statistics.median(tags)
    out["identical"] = outputs[False] == outputs[True]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="N: the smaller document's pages (default 100)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, the median is shown (default 3)")
    parser.add_argument("--html", default=None, help="measure this HTML file instead of generated documents")
    args = parser.parse_args()
    warnings.simplefilter("ignore", ResourceWarning)
    print(f"WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}; median CPU seconds of {args.runs} runs")
    print("| pages | write_pdf (s) | of which add_tags (s) | write_pdf, cached (s) | add_tags, cached (s) "
          "| same bytes |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    if args.html is not None:
        r = measure(HTML(filename=args.html), args.runs)
        print(f"| {r['pages']} | {r['pydyf_write']:.2f} | {r['pydyf_tags']:.2f} | {r['cached_write']:.2f} | "
              f"{r['cached_tags']:.2f} | {'yes' if r['identical'] else 'NO'} |")
        return
    small = measure(HTML(string=document(args.pages)), args.runs)
    large = measure(HTML(string=document(2 * args.pages)), args.runs)
    for r in (small, large):
        print(f"| {r['pages']} | {r['pydyf_write']:.2f} | {r['pydyf_tags']:.2f} | {r['cached_write']:.2f} | "
              f"{r['cached_tags']:.2f} | {'yes' if r['identical'] else 'NO'} |")
    pages = large["pages"] / small["pages"]
    def grew(key: str) -> str:
        return f"x{large[key] / small[key]:.2f}"

    print(f"pages x{pages:.2f}: add_tags {grew('pydyf_tags')} (cached {grew('cached_tags')}), "
          f"write_pdf {grew('pydyf_write')} (cached {grew('cached_write')})")


if __name__ == "__main__":
    main()
