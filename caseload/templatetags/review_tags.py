"""Board cells, built in Python: a board has a cell per worker per figure, and a template include
per cell would cost more than the figures' queries."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from caseload.review import Figures, later_columns

from .caseload_tags import signed

register = template.Library()

OVER_CAPACITY = mark_safe(' <span class="visually-hidden">(over capacity)</span>')
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
    cells = ((css, _text(column, figures.value(column.key))) for column in later_columns())
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


@register.simple_tag
def options(field) -> SafeString:
    """A filter select's options, the chosen one selected (many options, drawn on every board view)."""
    chosen = "" if field.value() is None else str(field.value())
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == chosen else "", label) for value, label in field.field.choices),
    )


def _segments(bar) -> SafeString:
    return format_html_join(
        "",
        '<rect x="{}" y="1" width="{}" height="8" fill="{}"/>',
        ((f"{s.x:.3f}", f"{s.width:.3f}", s.colour) for s in bar.segments if s.value),
    )


def _bar(bar) -> SafeString:
    marker = (
        format_html('<line x1="{0}" x2="{0}" y1="0" y2="10" class="bar-marker"/>', f"{bar.marker_x:.3f}")
        if bar.marker_x is not None
        else ""
    )
    warning = OVER_CAPACITY if bar.warn else ""
    return format_html(
        '<li class="bar-chart-row"><span class="bar-chart-label">{}</span>'
        '<svg class="bar-chart-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect x="0" y="0" width="100" height="10" class="bar-track"/>{}{}</svg>'
        '<span class="bar-chart-value{}">{}{}</span></li>',
        bar.label,
        _segments(bar),
        marker,
        " fw-bold text-danger-emphasis" if bar.warn else "",
        bar.value_text,
        warning,
    )


@register.simple_tag
def bar_rows(chart) -> SafeString:
    """The rows of a bar chart (templates/caseload/review/_bar_chart.html)."""
    return format_html_join("", "{}", ((_bar(bar),) for bar in chart.bars))


@register.simple_tag
def select_field(field) -> SafeString:
    """A filter's select with its label and, beside it, any error (drawn on every board view)."""
    name = field.id_for_label
    invalid = bool(field.errors)
    errors = format_html_join(
        "", '<div class="invalid-feedback" id="{}-error">{}</div>', ((name, e) for e in field.errors)
    )
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label">{}</label>'
        '<select name="{}" id="{}" class="form-select{}"{}>{}</select>{}</div>',
        name,
        field.label,
        field.html_name,
        name,
        " is-invalid" if invalid else "",
        format_html(' aria-invalid="true" aria-describedby="{}-error"', name) if invalid else "",
        options(field),
        errors,
    )
