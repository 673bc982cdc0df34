"""Figures of the worked questions, drawn at build time as inline SVG (no plotting library,
no script, nothing fetched): a line chart over a numeric x axis and a grouped bar chart.

Each returns a ``<figure>`` with a title for screen readers and a caption; the SVG scales to
the page's width (``viewBox``), so it fits a phone as well as a desktop.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

W, H = 600, 330
LEFT, RIGHT, TOP, BOTTOM = 62, 26, 20, 70
COLOURS = ["#0f2744", "#d9480f", "#2b8a3e", "#5f3dc4", "#1971c2", "#868e96"]


def _nice(top: float) -> tuple[float, float]:
    """A round upper bound and tick step for values up to ``top``."""
    top = top if top > 0 else 1.0
    step = 10 ** math.floor(math.log10(top / 4))
    for m in (1, 2, 2.5, 5, 10):
        if top / (m * step) <= 5:
            step *= m
            break
    return math.ceil(top / step) * step, step


def _fmt(v: float) -> str:
    if v == int(v) and 1000 <= abs(v) < 3000:  # a year
        return str(int(v))
    return f"{v:,.0f}" if abs(v) >= 10 or v == int(v) else f"{v:,.1f}"


def _frame(title: str, y_label: str, y_top: float, step: float,
           y: Callable[[float], float]) -> list[str]:
    out = [f'<svg viewBox="0 0 {W} {H}" role="img" '
           f'style="width:100%;height:auto;font:14px system-ui,sans-serif">',
           f"<title>{escape(title)}</title>"]
    v = 0.0
    while v <= y_top + 1e-9:
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'stroke="#e9ecef"/><text x="{LEFT - 6}" y="{y(v) + 4:.1f}" '
                   f'text-anchor="end" fill="#495057">{_fmt(v)}</text>')
        v += step
    out.append(f'<text transform="translate(14 {TOP + (H - TOP - BOTTOM) / 2}) rotate(-90)" '
               f'text-anchor="middle" fill="#343a40">{escape(y_label)}</text>')
    return out


def _legend(names: Sequence[str], colours: Sequence[str], dashed: Sequence[bool]) -> str:
    """The key below the chart, as HTML so that it wraps on a narrow screen."""
    items = []
    for name, colour, dash in zip(names, colours, dashed, strict=True):
        d = ' stroke-dasharray="6 4"' if dash else ""
        items.append(f'<span style="white-space:nowrap;margin-right:1.2em"><svg width="26" '
                     f'height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" '
                     f'stroke="{colour}" stroke-width="3"{d}/></svg> {escape(name)}</span>')
    return f'<div class="titr-legend">{"".join(items)}</div>'


def _figure(parts: list[str], legend: str, caption: str) -> str:
    return (f'<figure class="titr-figure">{"".join(parts)}</svg>{legend}'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def line_chart(series: dict[str, tuple[Sequence[float], Sequence[float]]], *, title: str,
               y_label: str, caption: str, x_label: str = "",
               threshold: tuple[float, str] | None = None,
               dashed: Sequence[str] = ()) -> str:
    """Lines with markers, one per series (x, y); ``threshold`` draws a labelled level."""
    xs = [x for xv, _ in series.values() for x in xv]
    tops = [y for _, yv in series.values() for y in yv] + ([threshold[0]] if threshold else [])
    x0, x1 = min(xs), max(xs)
    y_top, step = _nice(max(tops) * 1.05)
    px = (lambda x: LEFT + (x - x0) / (x1 - x0 or 1) * (W - LEFT - RIGHT))
    py = (lambda v: H - BOTTOM - v / y_top * (H - TOP - BOTTOM))
    out = _frame(title, y_label, y_top, step, py)
    ticks = sorted(set(xs))
    every = max(1, math.ceil(len(ticks) / 12))
    for x in ticks[::every]:
        out.append(f'<text x="{px(x):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" '
                   f'fill="#495057">{_fmt(x)}</text>')
    if x_label:
        out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - BOTTOM + 34}" '
                   f'text-anchor="middle" fill="#343a40">{escape(x_label)}</text>')
    if threshold:
        v, label = threshold
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                   f'stroke="#c92a2a" stroke-dasharray="3 3"/><text x="{W - RIGHT}" '
                   f'y="{py(v) - 5:.1f}" text-anchor="end" fill="#c92a2a">{escape(label)}</text>')
    colours = [COLOURS[i % len(COLOURS)] for i in range(len(series))]
    for (name, (xv, yv)), colour in zip(series.items(), colours, strict=True):
        d = ' stroke-dasharray="6 4"' if name in dashed else ""
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xv, yv, strict=True))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"'
                   f"{d}/>")
        out.extend(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}">'
                   f"<title>{escape(name)}: {_fmt(x)} → {y:,.2f}</title></circle>"
                   for x, y in zip(xv, yv, strict=True))
    return _figure(out, _legend(list(series), colours, [n in dashed for n in series]), caption)


def bar_chart(groups: Sequence[str], series: dict[str, Sequence[float]], *, title: str,
              y_label: str, caption: str) -> str:
    """Grouped bars: one group per label, one bar per series, the value written on top."""
    y_top, step = _nice(max(v for vs in series.values() for v in vs if v == v) * 1.12)
    py = (lambda v: H - BOTTOM - v / y_top * (H - TOP - BOTTOM))
    out = _frame(title, y_label, y_top, step, py)
    slot = (W - LEFT - RIGHT) / len(groups)
    bar = slot * 0.8 / len(series)
    colours = [COLOURS[i % len(COLOURS)] for i in range(len(series))]
    for g, label in enumerate(groups):
        x = LEFT + g * slot + slot * 0.1
        words, line = str(label).split(), ""
        lines: list[str] = []
        for w in words:  # two short lines under the group
            if len(line) + len(w) > 12 and line:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        for k, text in enumerate(lines[:4]):
            out.append(f'<text x="{LEFT + (g + 0.5) * slot:.1f}" y="{H - BOTTOM + 16 + 15 * k}" '
                       f'text-anchor="middle" fill="#495057">{escape(text)}</text>')
        for (name, values), colour in zip(series.items(), colours, strict=True):
            v = values[g]
            if v == v:  # NaN: no bar
                out.append(f'<rect x="{x:.1f}" y="{py(v):.1f}" width="{bar - 2:.1f}" '
                           f'height="{py(0) - py(v):.1f}" fill="{colour}"><title>{escape(name)}, '
                           f"{escape(str(label))}: {v:,.1f}</title></rect>"
                           f'<text x="{x + bar / 2:.1f}" y="{py(v) - 4:.1f}" text-anchor="middle" '
                           f'fill="#212529" font-size="12">{_fmt(v)}</text>')
            x += bar
    return _figure(out, _legend(list(series), colours, [False] * len(series)), caption)
