"""Small, server-drawn charts: inline SVG with a text alternative, no JavaScript."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 320, 120, 28, 12, 14


@register.simple_tag
def goal_chart(ratings, label: str) -> SafeString:
    """Progress ratings 0-10 over time as a line. `ratings` must be current ratings, oldest first."""
    ratings = list(ratings)
    if not ratings:
        return mark_safe('<p class="small text-muted mb-0">No ratings yet.</p>')
    summary = "; ".join(f"{r.score} on {date_format(r.rated_on)}" for r in ratings)
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(len(ratings) - 1, 1)

    def y(score: int) -> float:
        return PAD_Y + (10 - score) * (HEIGHT - 2 * PAD_Y) / 10

    points = [(PAD_LEFT + i * step if len(ratings) > 1 else WIDTH / 2, y(r.score)) for i, r in enumerate(ratings)]
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
        '{}<polyline points="{}" class="chart-line"/>{}</svg>'
        '<figcaption class="small text-muted">Ratings out of 10: {}.</figcaption></figure>',
        WIDTH,
        HEIGHT,
        f"{label}: progress ratings out of 10, {summary}",
        grid,
        line,
        dots,
        summary,
    )


def _n(value: float) -> str:
    return f"{value:.1f}"


@register.filter
def signed(value) -> str:
    """+2, 0 or -1.5: a change shown with its direction."""
    if value is None:
        return ""
    text = str(value) if isinstance(value, int) else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"+{text}" if value > 0 else text
