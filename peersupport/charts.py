"""Horizontal bar charts drawn on the server as SVG (templates/charts/_bar_chart.html).

Each bar is a row of text (its label and value) beside a small SVG, so labels stay readable on a
360 px phone, and the chart's caption carries a summary: the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]


@dataclass
class Segment:
    label: str
    value: float
    colour: str = PALETTE[0]
    x: float = 0.0
    width: float = 0.0


@dataclass
class Bar:
    label: str
    segments: list[Segment]
    value_text: str
    marker: float | None = None
    marker_x: float | None = None
    warn: bool = False
    url: str = ""

    @property
    def total(self) -> float:
        return sum(s.value for s in self.segments)


@dataclass
class Chart:
    title: str
    summary: str
    bars: list[Bar]
    legend: list[Segment] = field(default_factory=list)
    marker_label: str = ""

    def __post_init__(self) -> None:
        """Lay the segments out as percentages of the longest bar or marker."""
        top = max([b.total for b in self.bars] + [b.marker or 0 for b in self.bars] + [1])
        for bar in self.bars:
            x = 0.0
            for segment in bar.segments:
                segment.x, segment.width = x, 100 * segment.value / top
                x += segment.width
            if bar.marker is not None:
                bar.marker_x = min(100 * bar.marker / top, 99.5)


def legend(labels: list[str]) -> list[Segment]:
    return [Segment(label=label, value=0, colour=PALETTE[i % len(PALETTE)]) for i, label in enumerate(labels)]
