"""Workflows that touch several records at once."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max

from peersupport.models import User

from .corrections import Amendable
from .models import AdvanceStatement, Person, PersonStatus, RecoveryPlan, StatusChange


class VersionConflict(Exception):
    """Someone saved a newer version while this one was being written."""

    def __init__(self, latest: int):
        super().__init__(f"Version {latest} was saved meanwhile.")
        self.latest = latest


@transaction.atomic
def amend(*, original: Amendable, replacement: Amendable, by: User, reason: str, m2m: dict | None = None) -> Amendable:
    """Replace an entry with an amended copy; the original stays, marked amended, with the reason."""
    original.mark_amended(by=by, reason=reason)
    replacement.pk = None
    replacement.amends = original
    replacement.save()
    for name, values in (m2m or {}).items():
        getattr(replacement, name).set(values)
    return replacement


@transaction.atomic
def save_version(*, document: RecoveryPlan | AdvanceStatement, person: Person, by: User, based_on: int):
    """Save a new version of a plan or an advance statement, refusing if it would hide a newer one."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    model = type(document)
    latest = model.objects.filter(person=person).aggregate(v=Max("version"))["v"] or 0
    if latest != based_on:
        raise VersionConflict(latest)
    document.person, document.written_by, document.version = person, by, latest + 1
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # a concurrent save won the race for this version number
        raise VersionConflict(latest + 1) from error
    return document


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
