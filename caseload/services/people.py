"""Workflows across a person's records: changing their status, reassigning them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from peersupport.models import User

from ..emails import notify_reassignment
from ..models import Person, PersonStatus, StatusChange


@transaction.atomic
def change_status(
    *,
    person: Person,
    by: User,
    to_status: str,
    on: dt.date,
    note: str = "",
    closure_reason: str = "",
    ending_summary: str = "",
    consent_date: dt.date | None = None,
) -> StatusChange:
    """Move a person along referred → active → paused → closed, or reopen a closed record."""
    change = StatusChange.objects.create(
        person=person,
        from_status=person.status,
        to_status=to_status,
        changed_on=on,
        note=note,
        closure_reason=closure_reason if to_status == PersonStatus.CLOSED else "",
        ending_summary=ending_summary if to_status == PersonStatus.CLOSED else "",
        changed_by=by,
    )
    person.status, person.status_changed_on = to_status, on
    if consent_date and not person.consent_date:
        person.consent_date, person.consent_recorded_by = consent_date, by
    person._change_reason = f"Status: {change.get_from_status_display()} to {change.get_to_status_display()}"
    person.save()
    return change


@transaction.atomic
def reassign(
    *, people: Iterable[Person], to_worker: User, by: User, reason: str, worker_team_ids: list[int]
) -> dict[User | None, list[Person]]:
    """Move people to another worker, each change in the person's history with the reason, and tell
    both workers once the move is saved. Someone moved to a worker from another of the manager's
    teams moves to that team too. Returns the people moved, by their previous worker."""
    moved: dict[User | None, list[Person]] = defaultdict(list)
    locked = Person.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in people])
    for person in locked.select_related("assigned_worker").order_by("pk"):
        previous = person.assigned_worker
        person.assigned_worker = to_worker
        if person.team_id not in worker_team_ids:
            person.team_id = worker_team_ids[0]
        person._change_reason = f"Reassigned from {previous or 'no worker'} to {to_worker}: {reason}"[:100]
        person.save(update_fields=["assigned_worker", "team"])
        moved[previous].append(person)
    transaction.on_commit(lambda: notify_reassignment(moved=dict(moved), to_worker=to_worker, by=by, reason=reason))
    return moved
