"""Horizontal bar charts, drawn as SVG on the server by templates/macros/bar-chart.html: the
layout is worked out here, the markup is written there. No JavaScript, no chart library.

Every bar has its words next to it (its group, its series if there are several, and its
value), so nothing is told by colour alone; the colours are GOV.UK's, each with a contrast of
at least 5:1 on white. Pages put the same figures in a table straight after each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Drawn one unit to a pixel across a full-width column of the GOV.UK page.
WIDTH = 960
FONT_SIZE = 16
TEXT_COLOUR = "#0b0c0c"
# GOV.UK blue, green and purple.
BAR_COLOURS = ("#1d70b8", "#00703c", "#4c2c92")
GROUP_LABEL_WIDTH = 170
SERIES_LABEL_WIDTH = 230
VALUE_SPACE = 140
LABEL_ROW = 28
BAR_ROW = 24
BAR_HEIGHT = 16
GROUP_GAP = 12
# Where text sits in its row: its baseline.
BASELINE = 18


@dataclass(frozen=True)
class Bar:
    series: str
    value: float
    text: str


@dataclass(frozen=True)
class Group:
    label: str
    bars: Sequence[Bar]


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    words: str
    bold: bool = False


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass
class Chart:
    """What the macro draws: a title and description for assistive technology, the
    height of the picture, and its texts and rectangles."""

    id: str
    title: str
    description: str
    width: int = WIDTH
    font_size: int = FONT_SIZE
    text_colour: str = TEXT_COLOUR
    height: float = 0
    texts: list[Text] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)


def bar_chart(
    chart_id: str, title: str, description: str, groups: Sequence[Group], *, label_beside: bool
) -> Chart:
    """Groups one under another, each group's bars one under another. Short group labels
    (months) go beside their first bar; long ones (categories) on a line of their own."""
    chart = Chart(chart_id, title, description)
    several = len({bar.series for group in groups for bar in group.bars}) > 1
    bars_from = (GROUP_LABEL_WIDTH if label_beside else 0) + (SERIES_LABEL_WIDTH if several else 0)
    longest = max((bar.value for group in groups for bar in group.bars), default=0) or 1
    scale = (WIDTH - bars_from - VALUE_SPACE) / longest
    y = 0.0
    for group in groups:
        chart.texts.append(Text(0, y + BASELINE, group.label, bold=True))
        if not label_beside:
            y += LABEL_ROW
        # The axis the group's bars start from.
        chart.rects.append(Rect(bars_from - 1, y, 1, BAR_ROW * len(group.bars), TEXT_COLOUR))
        for number, bar in enumerate(group.bars):
            if several:
                series_x = GROUP_LABEL_WIDTH if label_beside else 0
                chart.texts.append(Text(series_x, y + BASELINE, bar.series))
            length = round(bar.value * scale, 1)
            colour = BAR_COLOURS[number % len(BAR_COLOURS)]
            chart.rects.append(Rect(bars_from, y + 4, length, BAR_HEIGHT, colour))
            chart.texts.append(Text(bars_from + length + 6, y + BASELINE, bar.text))
            y += BAR_ROW
        y += GROUP_GAP
    chart.height = y
    return chart
