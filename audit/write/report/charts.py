"""Charts of the report as inline SVG.

Why our own few hundred lines rather than a charting library: the report needs three simple
chart types (a radar, horizontal bars with target marks, a heat scale), and they must be
crisp vector graphics that WeasyPrint draws natively, use the report's embedded fonts,
print legibly in black and white, and come out byte-identical from identical inputs. The
libraries that could do this (matplotlib, plotly with kaleido, pygal) weigh tens of
megabytes, embed their own fonts or raster fallbacks, stamp dates or random ids into their
SVG, and take longer to import than our charts take to draw. Here every number on a chart
is formatted by the same function as the text, and the output is plain, small markup.

Greyscale: the team's values are a dark, filled shape; targets are dashed outlines; flags
use a shape (▲) as well as the accent colour, so nothing depends on hue alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

Formatter = Callable[[float | None], str]


@dataclass(frozen=True)
class Palette:
    primary: str
    accent: str
    text: str
    muted: str
    light: str
    font: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    target: float | None = None
    flagged: bool = False


def _n(x: float) -> str:
    """A coordinate, short and stable."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """Split ``text`` into at most ``lines`` lines of about ``width`` characters."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(1, width - 1)].rstrip() + "…"
    return out


def _text(x: float, y: float, lines: list[str], *, size: float, anchor: str = "start",
          fill: str, weight: str = "normal", leading: float = 1.2) -> str:
    if len(lines) == 1:
        return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
                f'font-weight="{weight}" fill="{fill}">{escape(lines[0])}</text>')
    spans = "".join(f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else size * leading)}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}">{spans}</text>')


def _svg(width: float, height: float, body: list[str], palette: Palette, label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{escape(label)}" '
        f'font-family="{escape(palette.font)}">' + "".join(body) + "</svg>")


def radar(items: list[Bar], palette: Palette, fmt: Formatter, label: str,
          target_label: str, team_label: str, groups: list[tuple[str, int]] | None = None) -> Markup | None:
    """A radar of scores (0..100) with the targets as a dashed outline; None below 3 items.

    ``groups`` (title, number of items), in the order of ``items``: each group's wedge is
    shaded in turn and bounded by a solid spoke, and the titles make a legend below, so
    groups (areas) can be told apart and compared at a glance, in grey as well."""
    count = len(items)
    if count < 3:
        return None
    legend_rows = 0 if not groups else (len(groups) + 1) // 2
    width, height = 500.0, (400.0 if count <= 12 else 440.0) + 12 * legend_rows
    cx, cy = width / 2, (height - 12 * legend_rows) / 2 - 4
    radius = min(width, height - 12 * legend_rows) / 2 - (64 if count > 12 else 58)
    body: list[str] = []

    def point(i: float, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / count
        r = radius * max(0.0, min(100.0, value)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    # two shades in turn, and a third for an odd last group, so no two neighbours look alike
    shades = [palette.light, "#ffffff"] * (len(groups or []) // 2) + ([mix(palette.light, palette.muted, 0.3)]
                                                                      if len(groups or []) % 2 else [])
    if groups:
        first: float = 0
        for g, (_, span) in enumerate(groups):
            edge = 100 * math.cos(math.pi / count)  # half-way between spokes, on the outer ring's side
            rim = [point(first - 0.5, edge)] + [point(first + k, 100) for k in range(span)]
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in [(cx, cy)] + rim + [point(first + span - 0.5, edge)])
            body.append(f'<polygon points="{pts}" fill="{shades[g]}" stroke="none"/>')
            first += span

    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, ring) for i in range(count)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="{palette.muted}" '
                    f'stroke-width="{0.6 if ring == 100 else 0.35}" stroke-opacity="0.7"/>')
        x, y = point(0, ring)
        body.append(_text(x - 2.5, y - 1.5, [str(ring)], size=6, anchor="end", fill=palette.muted))
    for i in range(count):
        x, y = point(i, 100)
        body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
                    f'stroke="{palette.muted}" stroke-width="0.35" stroke-opacity="0.7"/>')
    if groups and len(groups) > 1:
        first = 0
        for _, span in groups:
            x, y = point(first - 0.5, 100)
            body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
                        f'stroke="{palette.text}" stroke-width="1.1"/>')
            first += span
    if any(item.target is not None for item in items):
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in
                       (point(i, item.target or 0) for i, item in enumerate(items)))
        body.append(f'<polygon points="{pts}" fill="none" stroke="{palette.text}" stroke-width="1.1" '
                    f'stroke-dasharray="4 3"/>')
    pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in
                   (point(i, item.value or 0) for i, item in enumerate(items)))
    body.append(f'<polygon points="{pts}" fill="{palette.primary}" fill-opacity="0.28" '
                f'stroke="{palette.primary}" stroke-width="1.6" stroke-linejoin="round"/>')
    for i, item in enumerate(items):
        x, y = point(i, item.value or 0)
        body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.2" fill="{palette.primary}"/>')
    size = 7.2 if count > 12 else 8
    line = size * 1.18
    for i, item in enumerate(items):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        cos, sin = math.cos(angle), math.sin(angle)
        lx = cx + (radius + 9) * cos
        ly = cy + (radius + 9) * sin
        anchor = "middle" if abs(cos) < 0.1 else ("start" if cos > 0 else "end")
        value = fmt(item.value) + (" ▲" if item.flagged else "")
        room = (2 * min(lx, width - lx) if anchor == "middle" else (lx if anchor == "end" else width - lx)) - 6
        chars = int(room / (size * 0.52))  # about the mean advance of a sans-serif letter
        lines = _wrap(item.label, max(10, min(chars, 22 if anchor == "middle" else 26)), 3)
        if len(lines[-1]) + len(value) + 1 > chars:  # keep the value on the last line
            lines = _wrap(item.label, max(10, min(chars - len(value) - 1, 26)), 3)
        # the block of text grows away from the centre: upwards above it, downwards below
        # it, centred on the spoke at the sides; the value ends the last line
        block = line * (len(lines) - 1) + size
        centre = ly + sin * (block / 2 + 2)
        top = centre - block / 2 + size * 0.85
        ink = palette.accent if item.flagged else palette.primary
        spans = []
        for j, text in enumerate(lines):
            dy = "0" if j == 0 else _n(line)
            tail = (f'<tspan font-weight="bold" fill="{ink}">\u2002{escape(value)}</tspan>'
                    if j == len(lines) - 1 else "")
            spans.append(f'<tspan x="{_n(lx)}" dy="{dy}">{escape(text)}{tail}</tspan>')
        body.append(f'<text x="{_n(lx)}" y="{_n(top)}" font-size="{_n(size)}" text-anchor="{anchor}" '
                    f'fill="{palette.text}">' + "".join(spans) + "</text>")
    legend_y = height - 8 - 12 * legend_rows
    body.append(f'<rect x="8" y="{_n(legend_y - 7)}" width="14" height="8" fill="{palette.primary}" '
                f'fill-opacity="0.28" stroke="{palette.primary}" stroke-width="1.2"/>')
    body.append(_text(26, legend_y, [team_label], size=7.5, fill=palette.text))
    lx = 34 + 5.2 * len(team_label)
    body.append(f'<line x1="{_n(lx)}" y1="{_n(legend_y - 3)}" x2="{_n(lx + 16)}" y2="{_n(legend_y - 3)}" '
                f'stroke="{palette.text}" stroke-width="1.1" stroke-dasharray="4 3"/>')
    body.append(_text(lx + 20, legend_y, [target_label], size=7.5, fill=palette.text))
    for g, (title, _) in enumerate(groups or []):
        gx, gy = 8 + (g % 2) * 246, legend_y + 12 * (1 + g // 2)
        body.append(f'<rect x="{_n(gx)}" y="{_n(gy - 7)}" width="14" height="8" fill="{shades[g]}" '
                    f'stroke="{palette.muted}" stroke-width="0.6"/>')
        body.append(_text(gx + 18, gy, _wrap(title, 54, 1), size=7.5, fill=palette.text, weight="bold"))
    return _svg(width, height, body, palette, label)


@dataclass(frozen=True)
class Segment:
    label: str
    count: int


def stacked(segments: list[Segment], palette: Palette, label: str, width: float = 470) -> Markup | None:
    """One compact bar of how many chose each option, options nobody chose left out: segments
    in the options' order, shaded from light to dark (the scale's order, readable in grey),
    each with its label and count. None when nobody chose anything."""
    shown = [s for s in segments if s.count > 0]
    answers = sum(s.count for s in shown)
    if not answers:
        return None
    height = 16.0
    body: list[str] = []
    x = 0.0
    for seg in shown:
        w = width * seg.count / answers
        rank = segments.index(seg) / max(1, len(segments) - 1)
        fill = mix(palette.light, palette.primary, 0.15 + 0.85 * rank)
        ink = "#ffffff" if luminance(fill) < 0.45 else palette.text
        body.append(f'<rect x="{_n(x)}" y="0" width="{_n(w)}" height="{_n(height)}" fill="{fill}" '
                    f'stroke="#ffffff" stroke-width="1"/>')
        text = f"{seg.label} · {seg.count}"
        room = int(w / 4.1)
        if room >= 3:
            shown_text = text if len(text) <= room else (f"{seg.count}" if room < 8 else
                                                         _wrap(seg.label, room - 4, 1)[0] + f" · {seg.count}")
            body.append(_text(x + w / 2, height / 2 + 2.4, [shown_text], size=6.8, anchor="middle", fill=ink))
        x += w
    return _svg(width, height, body, palette, label)


def bars(items: list[Bar], palette: Palette, fmt: Formatter, label: str, target_label: str,
         bands: list[tuple[float, str]] | None = None, label_width: float = 170) -> Markup:
    """Horizontal bars on a 0..100 axis, each with its target as a dashed tick.

    ``bands`` are (from, name) pairs drawn as alternating light stripes behind the bars, so a
    bar reads against the maturity levels as well as against its target.
    """
    row, gap, top = 18.0, 7.0, 30.0
    width = 500.0
    plot_x, plot_w = label_width, width - label_width - 44
    height = top + len(items) * (row + gap) + 26

    def x_of(value: float) -> float:
        return plot_x + plot_w * max(0.0, min(100.0, value)) / 100

    body: list[str] = []
    plot_h = len(items) * (row + gap)
    if bands:
        edges = [b for b, _ in bands] + [100.0]
        for i, (start, name) in enumerate(bands):
            x0, x1 = x_of(start), x_of(edges[i + 1])
            if i % 2 == 1:
                body.append(f'<rect x="{_n(x0)}" y="{_n(top - 4)}" width="{_n(x1 - x0)}" '
                            f'height="{_n(plot_h + 4)}" fill="{palette.light}"/>')
            body.append(_text((x0 + x1) / 2, top - 10, _wrap(name, max(4, int((x1 - x0) / 3.3)), 1),
                              size=6.5, anchor="middle", fill=palette.muted))
    for tick in (0, 25, 50, 75, 100):
        x = x_of(tick)
        body.append(f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(top + plot_h)}" '
                    f'stroke="{palette.muted}" stroke-width="0.35" stroke-opacity="0.8"/>')
        body.append(_text(x, top + plot_h + 10, [str(tick)], size=6.5, anchor="middle", fill=palette.muted))
    for i, item in enumerate(items):
        y = top + i * (row + gap)
        lines = _wrap(item.label, int(label_width / 4.4))
        ty = y + row / 2 + 3 - (4.5 if len(lines) > 1 else 0)
        body.append(_text(plot_x - 8, ty, lines, size=7.5, anchor="end", fill=palette.text, leading=1.15))
        if item.value is not None:
            body.append(f'<rect x="{_n(plot_x)}" y="{_n(y + 3)}" width="{_n(x_of(item.value) - plot_x)}" '
                        f'height="{_n(row - 6)}" fill="{palette.primary}"/>')
        if item.target is not None:
            tx = x_of(item.target)
            body.append(f'<line x1="{_n(tx)}" y1="{_n(y)}" x2="{_n(tx)}" y2="{_n(y + row)}" '
                        f'stroke="{palette.text}" stroke-width="1.3" stroke-dasharray="3 2"/>')
        value = fmt(item.value) + (" ▲" if item.flagged else "")
        vx = x_of(item.value or 0) + 4
        body.append(_text(vx, y + row / 2 + 3, [value], size=7.5, weight="bold",
                          fill=palette.accent if item.flagged else palette.text))
    legend_y = height - 4
    body.append(f'<rect x="{_n(plot_x)}" y="{_n(legend_y - 7)}" width="14" height="8" fill="{palette.primary}"/>')
    body.append(_text(plot_x + 18, legend_y, [label], size=7, fill=palette.text))
    lx = plot_x + 30 + 4.3 * len(label)
    body.append(f'<line x1="{_n(lx)}" y1="{_n(legend_y - 8)}" x2="{_n(lx)}" y2="{_n(legend_y + 1)}" '
                f'stroke="{palette.text}" stroke-width="1.3" stroke-dasharray="3 2"/>')
    body.append(_text(lx + 5, legend_y, [target_label], size=7, fill=palette.text))
    return _svg(width, height, body, palette, label)


@dataclass(frozen=True)
class Pair:
    label: str
    before: float | None
    after: float | None
    target: float | None = None


def paired_bars(items: list[Pair], palette: Palette, fmt: Formatter, label: str, before_label: str,
                after_label: str, target_label: str, key: str = "0", label_width: float = 170) -> Markup:
    """Before and after on a 0..100 axis: the baseline a light hatched bar, today a solid one.

    Readable in grey: the two bars differ by fill and pattern as well as by colour, and each
    carries its value; the target is a dashed tick across both. ``key`` makes the hatch
    pattern's id unique among the charts of one document.
    """
    hatch = f"hatch-{key}"
    row, gap, top = 24.0, 8.0, 14.0
    width = 500.0
    plot_x, plot_w = label_width, width - label_width - 44
    plot_h = len(items) * (row + gap)
    height = top + plot_h + 30

    def x_of(value: float) -> float:
        return plot_x + plot_w * max(0.0, min(100.0, value)) / 100

    body = [f'<defs><pattern id="{hatch}" width="4" height="4" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="4" height="4" fill="{palette.light}"/>'
            f'<line x1="0" y1="0" x2="0" y2="4" stroke="{palette.muted}" stroke-width="1.2"/></pattern></defs>']
    for tick in (0, 25, 50, 75, 100):
        x = x_of(tick)
        body.append(f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(top + plot_h)}" '
                    f'stroke="{palette.muted}" stroke-width="0.35" stroke-opacity="0.8"/>')
        body.append(_text(x, top + plot_h + 10, [str(tick)], size=6.5, anchor="middle", fill=palette.muted))
    half = (row - 4) / 2
    for i, item in enumerate(items):
        y = top + i * (row + gap)
        lines = _wrap(item.label, int(label_width / 4.4))
        ty = y + row / 2 + 3 - (4.5 if len(lines) > 1 else 0)
        body.append(_text(plot_x - 8, ty, lines, size=7.5, anchor="end", fill=palette.text, leading=1.15))
        for value, y0, fill, stroke, bold in ((item.before, y + 1, f"url(#{hatch})", palette.muted, "normal"),
                                              (item.after, y + 3 + half, palette.primary, palette.primary, "bold")):
            if value is not None:
                body.append(f'<rect x="{_n(plot_x)}" y="{_n(y0)}" width="{_n(x_of(value) - plot_x)}" '
                            f'height="{_n(half)}" fill="{fill}" stroke="{stroke}" stroke-width="0.5"/>')
            body.append(_text(x_of(value or 0) + 4, y0 + half - 2, [fmt(value)], size=6.8, weight=bold,
                              fill=palette.text))
        if item.target is not None:
            tx = x_of(item.target)
            body.append(f'<line x1="{_n(tx)}" y1="{_n(y - 1)}" x2="{_n(tx)}" y2="{_n(y + row + 1)}" '
                        f'stroke="{palette.text}" stroke-width="1.3" stroke-dasharray="3 2"/>')
    legend_y = height - 4
    x = plot_x
    for name, fill, stroke in ((before_label, f"url(#{hatch})", palette.muted), (after_label, palette.primary,
                                                                                palette.primary)):
        body.append(f'<rect x="{_n(x)}" y="{_n(legend_y - 7)}" width="14" height="8" fill="{fill}" '
                    f'stroke="{stroke}" stroke-width="0.5"/>')
        body.append(_text(x + 18, legend_y, [name], size=7, fill=palette.text))
        x += 30 + 4.3 * len(name)
    body.append(f'<line x1="{_n(x)}" y1="{_n(legend_y - 8)}" x2="{_n(x)}" y2="{_n(legend_y + 1)}" '
                f'stroke="{palette.text}" stroke-width="1.3" stroke-dasharray="3 2"/>')
    body.append(_text(x + 5, legend_y, [target_label], size=7, fill=palette.text))
    return _svg(width, height, body, palette, label)


def meter(value: float | None, target: float | None, palette: Palette, label: str,
          width: float = 120, height: float = 10) -> Markup:
    """A small horizontal gauge 0..100 with a target tick, for tables."""
    body = [f'<rect x="0" y="1" width="{_n(width)}" height="{_n(height - 2)}" fill="{palette.light}"/>']
    if value is not None:
        body.append(f'<rect x="0" y="1" width="{_n(width * max(0.0, min(100.0, value)) / 100)}" '
                    f'height="{_n(height - 2)}" fill="{palette.primary}"/>')
    if target is not None:
        tx = width * target / 100
        body.append(f'<line x1="{_n(tx)}" y1="0" x2="{_n(tx)}" y2="{_n(height)}" stroke="{palette.text}" '
                    f'stroke-width="1.2"/>')
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="meter" viewBox="0 0 {_n(width)} {_n(height)}" '
                  f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{escape(label)}">'
                  + "".join(body) + "</svg>")


def mix(colour_a: str, colour_b: str, t: float) -> str:
    """The colour ``t`` of the way from ``colour_a`` to ``colour_b`` (hex colours)."""
    a, b = _rgb(colour_a), _rgb(colour_b)
    t = max(0.0, min(1.0, t))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def luminance(colour: str) -> float:
    r, g, b = (c / 255 for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
