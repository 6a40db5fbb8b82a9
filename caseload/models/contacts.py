"""The contact log: what happened when a worker and a person met or spoke."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from .corrections import Amendable, CorrectableQuerySet
from .people import Person


class ContactType(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    MESSAGE = "message", "Message"
    ACCOMPANIED = "accompanied", "Accompanied appointment"
    GROUP = "group", "Group"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"


LATE_ENTRY_AFTER = timedelta(hours=24)
MAX_CONTACT_MINUTES = 12 * 60


# A contact that did not happen is on the record but does not count as seeing the person.
NOT_SEEN_TYPES = [ContactType.DID_NOT_ATTEND, ContactType.CANCELLED]


class ContactQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> ContactQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def seen(self) -> ContactQuerySet:
        return self.exclude(contact_type__in=NOT_SEEN_TYPES)


class Contact(Amendable):
    """One recorded interaction with a person, written with them where possible."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts")
    contact_at = models.DateTimeField("date and time of the contact", default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", default=60, validators=[MaxValueValidator(MAX_CONTACT_MINUTES)]
    )
    contact_type = models.CharField(max_length=20, choices=ContactType.choices, default=ContactType.FACE_TO_FACE)
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=5000, blank=True)
    written_with_person = models.BooleanField("written with the person", default=False)
    risk_flag = models.BooleanField("risk concern noted", default=False)
    goals = models.ManyToManyField("RecoveryGoal", blank=True, related_name="contacts", verbose_name="goals worked on")
    signposted_to = models.ManyToManyField(
        "Resource", blank=True, related_name="signposting_contacts", verbose_name="signposting given"
    )
    # When the contact was first written down. An amendment keeps its original's time, so a
    # correction never turns a timely note into a late entry.
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_at"]
        indexes = [models.Index(fields=["person", "-contact_at"]), models.Index(fields=["worker", "-contact_at"])]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.contact_at))
        return f"{self.get_contact_type_display()} with {self.person} on {when}"

    @property
    def is_late_entry(self) -> bool:
        recorded = self.recorded_at or timezone.now()
        return recorded - self.contact_at > LATE_ENTRY_AFTER


# Status changes ------------------------------------------------------------------------------
