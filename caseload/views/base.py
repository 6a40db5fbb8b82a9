"""What every caseload view shares: the scoped fetches of a person, the checks before writing, the
entered-in-error page, an entry's chain of amendments, and the one way to say "not allowed"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ..forms.base import EnteredInErrorForm
from ..models import (
    Amendable,
    Correctable,
    EntryStatus,
    Person,
)

GET_POST = require_http_methods(["GET", "POST"])
RECENT_CONTACTS = 5
RECENT_RESOURCES = 5


def visible_person(request: HttpRequest, person_pk: int, *, with_team: bool = True) -> Person:
    """The person, if the user may see them; with their team and worker loaded unless the page
    names neither (`with_team=False`: the contact form, the busiest write)."""
    people = Person.objects.visible_to(request.user)
    if with_team:
        people = people.select_related("team", "assigned_worker")
    return get_object_or_404(people, pk=person_pk)


def writable_person(request: HttpRequest, person_pk: int, *, with_team: bool = True) -> Person:
    """A person the user may add entries to: seen, may edit, and the record is not closed."""
    person = visible_person(request, person_pk, with_team=with_team)
    check_can_add(request, person)
    return person


CLOSED_RECORD = (
    "This record is closed: it is read-only except for amendments. Nothing was changed. "
    "To add to it, reopen the record from the person's page."
)


def check_can_add(request: HttpRequest, person: Person, what: str = "Entries cannot be added") -> None:
    """Refuse adding to a record, saying why: closed (for those who could reopen it) or not theirs."""
    if person.can_add_entries(request.user):
        return
    if person.is_closed and person.can_edit(request.user):
        raise PermissionDenied(CLOSED_RECORD)
    raise PermissionDenied(f"{what}: {person.display_name} is not on your caseload. Nothing was changed.")


def check_can_correct(request: HttpRequest, person: Person, entry: Correctable) -> None:
    """Corrections are allowed on closed records too, but only on the current version of an entry."""
    if not person.can_edit(request.user) or not entry.is_current:
        raise PermissionDenied(
            "Only the current version of an entry can be corrected, by the person's worker or their team manager."
        )


def entered_in_error(request: HttpRequest, entry: Correctable, person: Person, what: str, back: str) -> HttpResponse:
    check_can_correct(request, person, entry)
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry.mark_entered_in_error(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"The {what} is marked as entered in error. It stays in the record's history.")
        return redirect(back)
    context = {"form": form, "person": person, "entry": entry, "what": what, "back": back}
    return render(request, "caseload/entered_in_error.html", context)


def amendment_chain(entry: Amendable, related: QuerySet) -> list:
    """Every version of an entry, oldest first, from one query over the corrected rows around it."""
    rows = {
        row.pk: row
        for row in related.filter(Q(amends__isnull=False) | ~Q(entry_status=EntryStatus.CURRENT) | Q(pk=entry.pk))
    }
    rows[entry.pk] = entry
    replaced_by = {row.amends_id: row for row in rows.values() if row.amends_id}
    first = entry
    while first.amends_id in rows:
        first = rows[first.amends_id]
    chain = [first]
    while chain[-1].pk in replaced_by:
        chain.append(replaced_by[chain[-1].pk])
    return chain
