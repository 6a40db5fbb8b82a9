"""Lone-working visits: their statuses, the set rules and one visit's rules."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import Team

from ..contacts import Contact
from ..people import Person
from .events import SafetyEvent, SafetyEventKind


class VisitStatus(models.TextChoices):
    OPEN = "open", "In progress"
    CLOSED = "closed", "Closed"


class VisitCloseReason(models.TextChoices):
    CHECKED_OUT = "checked_out", "Checked out safe"
    CONTACT_LOGGED = "contact_logged", "Contact logged for the visit"
    CLOSED_WITH_NOTE = "closed_with_note", "Closed by a colleague with a note"


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitQuerySet:
        """A worker's own visits; every visit in the teams a manager manages; and a colleague's
        visit once the user has been alerted about it (buddy, chain), so they can respond."""
        if not user.is_authenticated:
            return self.none()
        scope = Q(worker=user) | Q(
            pk__in=SafetyEvent.objects.filter(kind=SafetyEventKind.ALERT, recipient=user, visit__isnull=False).values(
                "visit"
            )
        )
        if user.managed_team_ids:
            scope |= Q(team_id__in=user.managed_team_ids)
        return self.filter(scope)

    def open(self) -> VisitQuerySet:
        return self.filter(status=VisitStatus.OPEN)

    def open_for_contact(self, contact: Contact) -> Visit | None:
        """The visit a new contact is logged for: the worker's open visit to that person (the latest
        started, if ever two). Looked for by a query written by hand, as every contact saved asks and
        almost always finds none; the visit itself is read only when there is one."""
        sql = (
            f"SELECT id FROM {Visit._meta.db_table} WHERE worker_id = %s AND person_id = %s "  # noqa: S608
            f"AND status = '{VisitStatus.OPEN.value}' ORDER BY started_at DESC, id DESC LIMIT 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [contact.worker_id, contact.person_id])
            row = cursor.fetchone()
        return self.open().filter(pk=row[0]).first() if row else None


class Visit(models.Model):
    """A lone-working visit: where the worker is and when they expect to finish."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    location = models.CharField("where", max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    expected_end = models.DateTimeField("expected end")
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    # 0 nobody alerted yet; 1 the worker; 2 buddy and manager; 3 onwards the chain's steps.
    alert_level = models.PositiveSmallIntegerField(default=0)
    next_alert_at = models.DateTimeField(null=True, blank=True, db_index=True)
    alarm_raised_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.CharField(max_length=20, choices=VisitCloseReason.choices, blank=True)
    close_note = models.TextField(max_length=2000, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()
    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status=VisitStatus.OPEN), name="one_open_visit_per_worker"
            )
        ]

    def __str__(self) -> str:
        return f"Visit by {self.worker} at {self.location}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:visit-detail", kwargs={"visit_pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == VisitStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.expected_end

    @property
    def needs_acknowledgement(self) -> bool:
        return self.is_open and self.alert_level >= 2 and self.acknowledged_at is None

    def overdue_stage(self, level: int) -> str:
        return f"overdue-{level}@{timezone.localtime(self.expected_end):%Y%m%d%H%M}"

    def was_alerted(self, user) -> bool:
        return self.events.filter(kind=SafetyEventKind.ALERT, recipient=user).exists()

    def can_respond(self, user) -> bool:
        """Acknowledge or close with a note: those alerted (not the worker) and the team's managers."""
        if not self.is_open or user.pk == self.worker_id:
            return False
        return self.team_id in user.managed_team_ids or self.was_alerted(user)

    def close(self, *, by, reason: str, note: str = "", contact: Contact | None = None) -> bool:
        """Close the visit once; False if it was already closed (by someone else, just now).

        Only the record: whoever closes a visit calls services.safety.close_visit(), which keeps the
        event and tells those alerted (so the models never import the workflow)."""
        now = timezone.now()
        updated = Visit.objects.filter(pk=self.pk, status=VisitStatus.OPEN).update(
            status=VisitStatus.CLOSED,
            closed_at=now,
            closed_by=by,
            close_reason=reason,
            close_note=note,
            contact=contact,
            next_alert_at=None,
        )
        if not updated:
            return False
        self.refresh_from_db()
        return True
