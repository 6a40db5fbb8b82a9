"""Service figures: referral to first contact, closures by reason, contacts by type per month, with charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peersupport import charts

from ...models import ContactType
from ...periods import quarter_start
from ...review.figures import (
    MonthlyWaits,
    MonthOfContacts,
    closures_by_reason,
    contacts_by_type,
    overall,
    waiting_times,
)
from ...review.filters import ScopeFilterForm
from .scope import ManagerScope, people_in_teams

# Service figures ---------------------------------------------------------------------------------


@require_GET
@login_required
def figures(request: HttpRequest) -> HttpResponse:
    scope = ManagerScope(request)
    form = ScopeFilterForm(request.GET or None, teams=scope.teams, memberships=[])
    del form.fields["worker"]
    people = people_in_teams(request, [t.pk for t in form.chosen_teams()])
    today = timezone.localdate()
    since = quarter_start(today)
    waits = waiting_times(people, today)
    months = contacts_by_type(people, today)
    context = {
        "form": form,
        "waits": waits,
        "overall": overall(waits),
        "closures": closures_by_reason(people, since),
        "since": since,
        "months": months,
        "contact_types": ContactType.choices,
        "waits_chart": _waits_chart(waits),
        "contacts_chart": _contacts_chart(months),
    }
    return render(request, "caseload/review/figures.html", context, status=400 if form.errors else 200)


def _waits_chart(waits: list[MonthlyWaits]) -> charts.Chart:
    bars = [
        charts.Bar(
            label=f"{m.month:%b %Y}",
            segments=[charts.Segment("Median wait", m.times.median or 0)],
            value_text=f"median {m.times.median:g}, longest {m.times.longest}" if m.times.waits else "nobody seen",
            marker=m.times.longest,
        )
        for m in waits
    ]
    measured = [m for m in waits if m.times.waits]
    if measured:
        worst = max(measured, key=lambda m: m.times.median)
        summary = f"Longest median wait: {worst.times.median:g} days, for people referred in {worst.month:%B %Y}."
    else:
        summary = "Nobody referred in these months has been seen yet."
    title = "Days from referral to first contact, by month of referral"
    return charts.Chart(title, summary, bars, marker_label="Longest wait")


def _contacts_chart(months: list[MonthOfContacts]) -> charts.Chart:
    labels = [label for _, label in ContactType.choices]
    bars = []
    for month in months:
        segments = [
            charts.Segment(label, month.by_type[value], charts.PALETTE[i % len(charts.PALETTE)])
            for i, (value, label) in enumerate(ContactType.choices)
        ]
        bars.append(charts.Bar(label=f"{month.month:%b %Y}", segments=segments, value_text=str(month.total)))
    busiest = max(months, key=lambda m: m.total)
    summary = f"{sum(m.total for m in months)} contacts in {len(months)} months; busiest {busiest.month:%B %Y}."
    return charts.Chart("Contacts per month, by type", summary, bars, legend=charts.legend(labels))
