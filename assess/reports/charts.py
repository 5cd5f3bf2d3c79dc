"""Bar charts drawn from numbers, readable without colour (every bar carries its figure as text): HTML rows for the
screen, one SVG for paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    """One labelled bar: a score from 0 to 100, or None for "not enough answers"."""

    label: str
    value: float | None
    previous: float | None = None


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, float(value)))


def bar_chart(bars: Sequence[Bar], title: str, width: int = 640, label_width: int | None = None) -> Markup:
    """A horizontal bar chart with gridlines at 0/25/50/75/100, each bar labelled with its score.

    A previous value, when given, is drawn as a thin outlined marker, so a re-audit shows the movement.
    The label column is as wide as the longest label needs (13px text averages about 7.4px a character).
    """
    if label_width is None:
        longest = max((len(bar.label) for bar in bars), default=10)
        label_width = min(320, max(140, round(longest * 7.4) + 16))
    row, top, bottom = 34, 26, 10
    plot = width - label_width - 60
    height = top + row * len(bars) + bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="chart-title-{id(bars)}">',
        f'<title id="chart-title-{id(bars)}">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{top - 10}" class="tick" text-anchor="middle">{tick}</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        parts.append(
            f'<text x="{label_width - 10}" y="{y + row / 2 + 4:.1f}" class="bar-label" text-anchor="end">'
            f"{escape(bar.label)}</text>"
        )
        if bar.value is None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 7}" width="{plot}" height="{row - 14}" class="bar-unknown"/>'
                f'<text x="{label_width + 8}" y="{y + row / 2 + 4:.1f}" class="bar-value">not enough answers</text>'
            )
        else:
            value = _clamp(bar.value)
            w = plot * value / 100
            parts.append(
                f'<rect x="{label_width}" y="{y + 7}" width="{w:.1f}" height="{row - 14}" '
                f'class="bar bar-{_level(value)}"/>'
                f'<text x="{label_width + w + 6:.1f}" y="{y + row / 2 + 4:.1f}" class="bar-value">{value:.0f}</text>'
            )
        if bar.previous is not None:
            px = label_width + plot * _clamp(bar.previous) / 100
            parts.append(f'<line x1="{px:.1f}" y1="{y + 3}" x2="{px:.1f}" y2="{y + row - 3}" class="previous"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # every text above is escaped, every number formatted


def html_bar_chart(bars: Sequence[Bar]) -> Markup:
    """The screen's chart: one row per bar, its label as HTML text above an SVG bar with the figure beside it.

    The labels are HTML so that they wrap instead of being clipped, whatever the width, zoom or text spacing
    (WCAG 1.4.4, 1.4.10, 1.4.12): an SVG label sits in a fixed box. Each bar is a tiny SVG stretched to its row
    (`preserveAspectRatio="none"`), its length in the SVG's own attributes, which the CSP allows where a style
    attribute would be refused. The whole graphic is hidden from assistive technology: the figure around it is
    named by its caption and points at the table that carries the same figures (`aria-details`), so nothing is
    read twice. Under `forced-colors: active`, app.css draws the bars in system colours.
    """
    rows = [
        '<div class="bar-chart" aria-hidden="true">',
        '<div class="bar-scale"><span class="bar-ticks"><span>0</span><span>50</span><span>100</span></span></div>',
    ]
    for bar in bars:
        shapes = ['<line class="grid" x1="50" y1="0" x2="50" y2="10" vector-effect="non-scaling-stroke"/>']
        if bar.value is None:
            shapes.append(
                '<rect class="bar-unknown" x="0" y="0" width="100" height="10" vector-effect="non-scaling-stroke"/>'
            )
            figure = '<span class="bar-value bar-value-unknown">not enough answers</span>'
        else:
            value = _clamp(bar.value)
            shapes.append(f'<rect class="bar bar-{_level(value)}" x="0" y="0" width="{value:.1f}" height="10"/>')
            figure = f'<span class="bar-value">{value:.0f}</span>'
        if bar.previous is not None:
            x = _clamp(bar.previous)
            shapes.append(
                f'<line class="previous" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="10" vector-effect="non-scaling-stroke"/>'
            )
        rows.append(
            f'<div class="bar-row"><span class="bar-label">{escape(bar.label)}</span><span class="bar-line">'
            '<svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">'
            f"{''.join(shapes)}</svg>{figure}</span></div>"
        )
    rows.append("</div>")
    return Markup("".join(rows))  # noqa: S704  # nosec B704  # every text above is escaped, every number formatted


def chart_description(bars: Sequence[Bar], title: str) -> str:
    """The chart in words, with every figure: a printed chart's alternate text, so that a screen reader reading
    the PDF hears the numbers the picture shows."""
    said = []
    for bar in bars:
        figure = "not enough answers" if bar.value is None else f"{_clamp(bar.value):.0f}"
        if bar.previous is not None:
            figure += f" (previously {_clamp(bar.previous):.0f})"
        said.append(f"{bar.label}: {figure}")
    return f"{title}. " + "; ".join(said) + "." if said else title


def _level(value: float) -> str:
    return "low" if value < 40 else "mid" if value < 70 else "high"
