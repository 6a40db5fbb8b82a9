"""Board cells, built in Python: a board has a cell per worker per figure, and a template include
per cell would cost more than the figures' queries."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from caseload.review import CASELOAD, COLUMNS, Figures

from .caseload_tags import signed

register = template.Library()

NOT_ENOUGH = mark_safe(
    '<span class="text-muted" title="Not enough ratings yet">–<span class="visually-hidden">'
    "not enough ratings yet</span></span>"
)


def _text(column, value) -> str | SafeString:
    if value is None:
        return NOT_ENOUGH
    return signed(value) if column.signed else str(value)


@register.simple_tag
def board_cells(figures: Figures, css: str = "text-end") -> SafeString:
    """The <td> of each figure after the caseload, in column order."""
    cells = ((css, _text(column, figures.value(column.key))) for column in COLUMNS if column is not CASELOAD)
    return format_html_join("", '<td class="{}">{}</td>', cells)


@register.simple_tag
def load_cell(figures: Figures) -> SafeString:
    """Caseload against capacity, with the load as a percentage, flagged when over capacity."""
    if figures.load is None:
        return format_html("{} / {}", figures.caseload, figures.capacity)
    if figures.over_capacity:
        return format_html(
            '{} / {} <span class="small badge text-bg-danger">{}%<span class="visually-hidden"> (over capacity)'
            "</span></span>",
            figures.caseload,
            figures.capacity,
            figures.load,
        )
    return format_html(
        '{} / {} <span class="small text-muted">{}%</span>', figures.caseload, figures.capacity, figures.load
    )
