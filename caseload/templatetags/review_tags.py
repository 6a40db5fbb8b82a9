"""Board cells, filters and chart rows, built in Python: the board has a cell per worker per figure
and is drawn on every view, and template tags per cell would cost more than the figures' query.

Figures are numbers and the markup around them is fixed, so cells need no escaping; text that
comes from records (names, labels) goes through escape() (the standard library's, as Django's
own escape does, without its per-call lazy-string check).
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from caseload.review.board import Figures
from caseload.review.columns import later_columns

from .caseload_tags import signed

register = template.Library()


def _html(markup: str) -> SafeString:
    """Markup built here: fixed tags and numbers, with record text escaped where it goes in."""
    return mark_safe(markup)  # noqa: S308


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
    cells = (f'<td class="{css}">{_text(column, figures.value(column.key))}</td>' for column in later_columns())
    return _html("".join(cells))


@register.simple_tag
def load_cell(figures: Figures) -> SafeString:
    """Caseload against capacity, with the load as a percentage, flagged when over capacity."""
    numbers = f"{figures.caseload} / {figures.capacity}"
    if figures.load is None:
        return _html(numbers)
    if figures.over_capacity:
        return _html(
            f'{numbers} <span class="small badge text-bg-danger">{figures.load}%'
            '<span class="visually-hidden"> (over capacity)</span></span>'
        )
    return _html(f'{numbers} <span class="small text-muted">{figures.load}%</span>')


@register.simple_tag
def options(field) -> SafeString:
    """A filter select's options, the chosen one selected (many options, drawn on every board view)."""
    chosen = "" if field.value() is None else str(field.value())
    return _html(
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in field.field.choices
        )
    )


@register.simple_tag
def select_field(field) -> SafeString:
    """A filter's select with its label and, beside it, any error (drawn on every board view)."""
    name = escape(field.id_for_label)
    errors = "".join(f'<div class="invalid-feedback" id="{name}-error">{escape(str(e))}</div>' for e in field.errors)
    invalid = f' is-invalid" aria-invalid="true" aria-describedby="{name}-error' if field.errors else ""
    return _html(
        f'<div class="mb-3"><label for="{name}" class="form-label">{escape(str(field.label))}</label>'
        f'<select name="{escape(field.html_name)}" id="{name}" class="form-select{invalid}">{options(field)}</select>'
        f"{errors}</div>"
    )
