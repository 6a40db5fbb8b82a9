"""Chart rows built in Python (templates/charts/_bar_chart.html): text from records goes through
escape(); the SVG around the figures is fixed markup."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

OVER_CAPACITY = ' <span class="visually-hidden">(over capacity)</span>'


def _bar(bar) -> str:
    segments = "".join(
        f'<rect x="{s.x:.3f}" y="1" width="{s.width:.3f}" height="8" fill="{escape(s.colour)}"/>'
        for s in bar.segments
        if s.value
    )
    marker = (
        f'<line x1="{bar.marker_x:.3f}" x2="{bar.marker_x:.3f}" y1="0" y2="10" class="bar-marker"/>'
        if bar.marker_x is not None
        else ""
    )
    return (
        f'<li class="bar-chart-row"><span class="bar-chart-label">{escape(str(bar.label))}</span>'
        '<svg class="bar-chart-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect x="0" y="0" width="100" height="10" class="bar-track"/>{segments}{marker}</svg>'
        f'<span class="bar-chart-value{" fw-bold text-danger-emphasis" if bar.warn else ""}">'
        f"{escape(str(bar.value_text))}{OVER_CAPACITY if bar.warn else ''}</span></li>"
    )


@register.simple_tag
def bar_rows(chart) -> SafeString:
    """The rows of a bar chart."""
    return mark_safe("".join(_bar(bar) for bar in chart.bars))  # noqa: S308
