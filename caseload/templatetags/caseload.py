"""The caseload's template tags, `{% load caseload %}`: small charts and signed changes, the safety
panels placed on pages owned by others, and the manager board's cells.

Charts are server-drawn inline SVG with a text alternative, no JavaScript. Each safety panel fetches
through the scoped querysets, with a fixed number of queries. Board cells, filters and chart rows are
built in Python: the board has a cell per worker per figure and is drawn on every view, and template
tags per cell would cost more than the figures' query. Figures are numbers and the markup around them
is fixed, so cells need no escaping; text that comes from records (names, labels) goes through
escape() (the standard library's, as Django's own escape does, without its per-call lazy-string check).
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from caseload.review.board import Figures
from caseload.review.columns import later_columns

register = template.Library()

# Charts and changes ----------------------------------------------------------------------------

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 320, 120, 28, 12, 14


@register.simple_tag
def goal_chart(ratings, label: str) -> SafeString:
    """Progress ratings 0-10 over time as a line. `ratings` must be current ratings, oldest first."""
    ratings = list(ratings)
    if not ratings:
        return mark_safe('<p class="small text-muted mb-0">No ratings yet.</p>')
    summary = "; ".join(f"{r.score} on {_day(r.rated_on)}" for r in ratings)
    # A time axis: ratings on 14 Jan, 4 Feb and 1 Dec sit as far apart as the days between them.
    first, last = ratings[0].rated_on, ratings[-1].rated_on
    span = (last - first).days
    plot = WIDTH - PAD_LEFT - PAD_RIGHT

    def x(index: int, rating) -> float:
        if len(ratings) == 1:
            return WIDTH / 2
        if span == 0:
            return PAD_LEFT + index * plot / (len(ratings) - 1)
        return PAD_LEFT + (rating.rated_on - first).days * plot / span

    def y(score: int) -> float:
        return PAD_Y + (10 - score) * (HEIGHT - 2 * PAD_Y) / 10

    points = [(x(i, r), y(r.score)) for i, r in enumerate(ratings)]
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"/>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
        ((PAD_LEFT, WIDTH - PAD_RIGHT, _n(y(v)), _n(y(v)), PAD_LEFT - 6, _n(y(v) + 4), v) for v in (0, 5, 10)),
    )
    line = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" class="chart-dot"/>'
        '<text x="{}" y="{}" class="chart-value" text-anchor="middle">{}</text>',
        ((_n(px), _n(py), _n(px), _n(py - 8), r.score) for (px, py), r in zip(points, ratings, strict=True)),
    )
    return format_html(
        '<figure class="goal-chart mb-1"><svg viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false">'
        '{}<polyline points="{}" class="chart-line"/>{}{}</svg>'
        '<figcaption class="small text-muted">Ratings out of 10: {}.</figcaption></figure>',
        WIDTH,
        HEIGHT,
        f"{label}: progress ratings out of 10, {summary}",
        grid,
        line,
        dots,
        _time_axis(first, last, span),
        summary,
    )


def _time_axis(first, last, span: int) -> SafeString:
    """The first and last dates under the line's ends (the dates in between are in the caption)."""
    if span == 0:
        return format_html(
            '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>', WIDTH / 2, HEIGHT - 1, _day(first)
        )
    return format_html(
        '<text x="{}" y="{}" class="chart-axis" text-anchor="start">{}</text>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
        PAD_LEFT,
        HEIGHT - 1,
        _day(first),
        WIDTH - PAD_RIGHT,
        HEIGHT - 1,
        _day(last),
    )


def _day(day) -> str:
    """23 Nov 2026, as date_format(day, "j M Y") writes it, without its lookups on every call (a
    person's page draws a chart per goal, each with a date per rating)."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year}"


def _n(value: float) -> str:
    return f"{value:.1f}"


@register.filter
def signed(value) -> str:
    """+2, 0 or -1.5: a change shown with its direction."""
    if value is None:
        return ""
    text = str(value) if isinstance(value, int) else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"+{text}" if value > 0 else text


# Safety panels ---------------------------------------------------------------------------------


# The manager board -----------------------------------------------------------------------------


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


def _linked(text, link: str, key: str, label: str, people: bool = True) -> str:
    """A figure as a link to the people behind it, when there are any (a count of none is not linked)."""
    if not link or not people:
        return str(text)
    return f'<a href="{link}{key}">{text}<span class="visually-hidden"> {escape(label)}</span></a>'


def _has_people(column, value) -> bool:
    """A mean is over at least one person when it has a value; a count when it is above nought."""
    return value is not None if column.kind == "mean" else bool(value)


@register.simple_tag
def board_cells(figures: Figures, css: str = "text-end", link: str = "") -> SafeString:
    """The <td> of each figure after the caseload, in column order, each linked to its people when
    `link` (the people list's URL, filtered to the row, ending in "figure=") is given."""
    cells = (
        f'<td class="{css}" data-label="{escape(column.label)}">'
        f"{_linked(_text(column, value), link, column.key, column.label, _has_people(column, value))}</td>"
        for column, value in ((c, figures.value(c.key)) for c in later_columns())
    )
    return _html("".join(cells))


@register.simple_tag
def load_cell(figures: Figures, link: str = "") -> SafeString:
    """Caseload against capacity, with the load as a percentage, flagged when over capacity."""
    numbers = _linked(str(figures.caseload), link, "caseload", "on the caseload", figures.caseload > 0)
    numbers += f" / {figures.capacity}"
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
