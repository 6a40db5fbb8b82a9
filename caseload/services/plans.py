"""Saving a new version of a recovery plan or an advance statement."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from peersupport.models import User

from ..models import AdvanceStatement, Person, RecoveryPlan


class VersionConflict(Exception):
    """Someone saved a newer version while this one was being written."""

    def __init__(self, latest: int):
        super().__init__(f"Version {latest} was saved meanwhile.")
        self.latest = latest


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
