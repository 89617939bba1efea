"""Bar chart layout: bars in proportion, every bar labelled, nothing drawn off the picture."""

from __future__ import annotations

from portal.web.charts import TEXT_COLOUR, WIDTH, Bar, Group, bar_chart


def test_bars_are_in_proportion_and_each_has_its_words() -> None:
    groups = [
        Group("May 2026", [Bar("Received", 4, "4"), Bar("On time", 2, "2")]),
        Group("June 2026", [Bar("Received", 0, "0"), Bar("On time", 0, "0")]),
    ]
    chart = bar_chart("c", "Title", "Description", groups, label_beside=True)
    bars = [rect for rect in chart.rects if rect.colour != TEXT_COLOUR]  # not the axes
    assert [bar.width for bar in bars] == [bars[0].width, bars[0].width / 2, 0, 0]
    words = [text.words for text in chart.texts]
    assert words == ["May 2026", "Received", "4", "On time", "2"] + words[5:]
    assert words[5:] == ["June 2026", "Received", "0", "On time", "0"]
    assert all(rect.x + rect.width <= WIDTH for rect in chart.rects)
    assert all(0 < text.y <= chart.height for text in chart.texts)


def test_one_series_needs_no_series_labels_and_long_labels_go_above() -> None:
    groups = [Group("Information was shared in a way I did not expect", [Bar("Days", 3, "3")])]
    chart = bar_chart("c", "Title", "Description", groups, label_beside=False)
    assert [text.words for text in chart.texts] == [groups[0].label, "3"]
    label, value = chart.texts
    assert value.y > label.y


def test_a_chart_with_nothing_to_show() -> None:
    chart = bar_chart("c", "Title", "Description", [], label_beside=True)
    assert chart.texts == [] and chart.height == 0
