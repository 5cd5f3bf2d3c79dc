"""SVG charts drawn from numbers: readable without colour (every bar carries its figure as text)."""

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


def stacked_bar_chart(bars: Sequence[Bar], title: str, width: int = 400) -> Markup:
    """The same chart for narrow screens: each label on its own line above its bar, in a viewBox narrow enough
    that at a 375 px phone's width the text still shows at 12 px or more (15 px type, scaled by about 0.85)."""
    row, top, bottom, value_room = 54, 22, 6, 48
    plot = width - value_room
    height = top + row * len(bars) + bottom
    uid = f"chart-title-{id(bars)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-stacked" role="img" viewBox="0 0 {width} '
        f'{height}" width="100%" aria-labelledby="{uid}">',
        f'<title id="{uid}">{escape(title)}</title>',
    ]
    for tick in (0, 50, 100):
        x = plot * tick / 100 + (1 if tick == 0 else 0)
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{top - 8}" class="tick" text-anchor="{anchor}">{tick}</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        parts.append(f'<text x="2" y="{y + 18}" class="bar-label">{escape(bar.label)}</text>')
        if bar.value is None:
            parts.append(
                f'<rect x="1" y="{y + 26}" width="{plot - 1}" height="20" class="bar-unknown"/>'
                f'<text x="8" y="{y + 41}" class="bar-value">not enough answers</text>'
            )
        else:
            value = _clamp(bar.value)
            w = plot * value / 100
            parts.append(
                f'<rect x="1" y="{y + 26}" width="{w:.1f}" height="20" class="bar bar-{_level(value)}"/>'
                f'<text x="{w + 6:.1f}" y="{y + 41}" class="bar-value">{value:.0f}</text>'
            )
        if bar.previous is not None:
            px = plot * _clamp(bar.previous) / 100
            parts.append(f'<line x1="{px:.1f}" y1="{y + 22}" x2="{px:.1f}" y2="{y + 50}" class="previous"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # every text above is escaped, every number formatted


def _level(value: float) -> str:
    return "low" if value < 40 else "mid" if value < 70 else "high"
