"""People on the caseload: the person, their status and its history."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import EmploymentStatus, Team

from ..validators import validate_nhs_number

# Someone not seen for this long needs attention (the caseload list, the home page, the board).
NOT_SEEN_DAYS = 14


class PersonStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class ReferralSource(models.TextChoices):
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    CMHT = "cmht", "Community mental health team"
    INPATIENT = "inpatient", "Inpatient ward"
    CRISIS_TEAM = "crisis_team", "Crisis team"
    GP = "gp", "GP"
    SELF = "self", "Self-referral"
    CARER = "carer", "Family or carer"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """People a user may see (SPEC section 3): a PSW their own caseload, a manager
        every caseload in the teams they manage. Nobody else sees caseloads."""
        if not user.is_authenticated:
            return self.none()
        scope = Q(assigned_worker=user)
        if user.is_psw:  # only peer support workers cover a colleague's caseload
            scope |= Q(pk__in=CaseloadCover.objects.people_covered_sql(user))
        if user.managed_team_ids:
            scope |= Q(team_id__in=user.managed_team_ids)
        return self.filter(scope)

    def open(self) -> PersonQuerySet:
        return self.exclude(status=PersonStatus.CLOSED)

    def needs_reassignment(self) -> PersonQuerySet:
        """Open records with no worker, or whose worker has left or is on long leave."""
        away = [EmploymentStatus.LEFT, EmploymentStatus.LONG_LEAVE]
        return self.open().filter(Q(assigned_worker__isnull=True) | Q(assigned_worker__employment_status__in=away))

    def with_summary(self, now: datetime | None = None) -> PersonQuerySet:
        """Annotate what caseload lists show, one subquery each so a list is one query:
        last_seen_at, next_appointment_at, active_goals, plan_review_on, statement_review_on."""
        now = now or timezone.now()
        person = OuterRef("pk")
        # Through the reverse relations, so this module imports none of the records that point at a person.
        related = {f.name: f.related_model for f in self.model._meta.related_objects}
        seen = related["contacts"].objects.current().seen().filter(person=person).order_by("-contact_at")
        upcoming = related["appointments"].objects.upcoming(now).filter(person=person).order_by("starts_at")
        goals = related["goals"].objects.active().filter(person=person).values("person")
        plan = related["recovery_plans"].objects.current().filter(person=person).order_by("-version")
        statement = related["advance_statements"].objects.current().filter(person=person).order_by("-version")
        return self.annotate(
            last_seen_at=Subquery(seen.values("contact_at")[:1]),
            next_appointment_at=Subquery(upcoming.values("starts_at")[:1]),
            active_goals=Coalesce(Subquery(goals.annotate(n=Count("pk")).values("n")[:1]), 0),
            plan_review_on=Subquery(plan.values("review_on")[:1]),
            statement_review_on=Subquery(statement.values("review_on")[:1]),
        )


class Person(models.Model):
    """A person who uses services and is supported by a peer support worker."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(
        null=True, blank=True, help_text="Records are kept for 10 years after death, then reviewed."
    )
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number], db_index=True
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="people")
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name="peer support worker",
    )

    referral_source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referral_date = models.DateField(default=timezone.localdate)
    referral_reason = models.TextField(blank=True)
    consent_date = models.DateField("consent to peer support given on", null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(max_length=20, choices=PersonStatus.choices, default=PersonStatus.REFERRED)
    status_changed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    def latest_history_id(self) -> int | None:
        """The record's version: the id of its newest history row (every save writes one)."""
        return self.history.order_by("-history_id").values_list("history_id", flat=True).first()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="unique_nhs_number_when_given"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}"

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = timezone.localdate()
        dob: date = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))

    def get_absolute_url(self) -> str:
        return reverse("caseload:person-detail", kwargs={"person_pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status == PersonStatus.CLOSED

    def can_edit(self, user) -> bool:
        """Who may write to this record: the assigned worker, the managers of the person's team and,
        while a cover lasts, the worker covering the assigned worker's caseload."""
        if not user.is_authenticated:
            return False
        if self.assigned_worker_id == user.pk or self.team_id in user.managed_team_ids:
            return True
        return self.is_covered_by(user)

    def is_covered_by(self, user) -> bool:
        """Whether `user` covers this person's worker today. Asked once per user per loaded record."""
        if not user.is_authenticated or not user.is_psw or self.assigned_worker_id is None:
            return False
        answers = self.__dict__.setdefault("_covered_by", {})
        if user.pk not in answers:
            answers[user.pk] = CaseloadCover.objects.people_covered_by(user).filter(pk=self.pk).exists()
        return answers[user.pk]

    def can_add_entries(self, user) -> bool:
        """A closed record is read-only except for corrections (SPEC section 4, closure)."""
        return self.can_edit(user) and not self.is_closed


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", "Goals achieved: a planned ending"
    PERSON_CHOSE = "person_chose", "The person chose to end peer support"
    TRANSFERRED = "transferred", "Moved on to another service"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    NO_ENGAGEMENT = "no_engagement", "Could not be contacted"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class StatusChangeQuerySet(models.QuerySet):
    def visible_to(self, user) -> StatusChangeQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def closures(self) -> StatusChangeQuerySet:
        return self.filter(to_status=PersonStatus.CLOSED)


class StatusChange(models.Model):
    """A move along referred → active → paused → closed, or a reopening: each is a recorded event."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=PersonStatus.choices)
    to_status = models.CharField(max_length=20, choices=PersonStatus.choices)
    changed_on = models.DateField("date", default=timezone.localdate)
    note = models.TextField("reason or note", max_length=2000, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    ending_summary = models.TextField(max_length=5000, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def is_reopening(self) -> bool:
        return self.from_status == PersonStatus.CLOSED and self.to_status != PersonStatus.CLOSED


# Recovery goals and goal-based outcomes -----------------------------------------------------


class CoverReason(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    TRAINING = "training", "Training or study leave"
    OTHER = "other", "Other absence"


# Cover is for an absence, not a permanent change: that is a reassignment.
MAX_COVER_DAYS = 183


class CaseloadCoverQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseloadCoverQuerySet:
        """Managers see the covers in their teams; a worker sees the covers they give or receive."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(team_id__in=user.managed_team_ids) | Q(absent_worker=user) | Q(covering_worker=user))

    def active_on(self, day: date | None = None) -> CaseloadCoverQuerySet:
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day, ended_at__isnull=True)

    def current_and_upcoming(self, day: date | None = None) -> CaseloadCoverQuerySet:
        return self.filter(ends_on__gte=day or timezone.localdate(), ended_at__isnull=True)

    def people_covered_by(self, user, day: date | None = None) -> models.QuerySet:
        """Ids of the people a user may see and edit today because they cover their worker.

        A subquery without outer references, so a caseload list stays one query and the
        database evaluates it once; access ends by itself when the period does.
        """
        covers = self.active_on(day).filter(covering_worker=user)
        mine = covers.filter(absent_worker=OuterRef("assigned_worker"), team=OuterRef("team"))
        return Person.objects.filter(Exists(mine)).values("pk")

    def people_covered_sql(self, user, day: date | None = None) -> RawSQL:
        """The same people as people_covered_by(), as a subquery written by hand: every page a worker
        opens reaches its records through Person.objects.visible_to(), and the ORM took longer to build
        that subquery than the database takes to run it. A test holds the two together."""
        day = connection.ops.adapt_datefield_value(day or timezone.localdate())
        person, cover = Person._meta.db_table, CaseloadCover._meta.db_table
        sql = (
            f"SELECT p.id FROM {person} p JOIN {cover} c "  # noqa: S608
            "ON c.absent_worker_id = p.assigned_worker_id AND c.team_id = p.team_id "
            "WHERE c.covering_worker_id = %s AND c.ended_at IS NULL AND c.starts_on <= %s AND c.ends_on >= %s"
        )
        return RawSQL(sql, [user.pk, day, day])  # noqa: S611 (names from the models, values as parameters)


class CaseloadCover(models.Model):
    """A manager lets one worker read and write another worker's caseload in a team for a period."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="covers")
    absent_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers_for_me", verbose_name="worker away"
    )
    covering_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers_given", verbose_name="covered by"
    )
    starts_on = models.DateField("from")
    ends_on = models.DateField("until", help_text="Access ends by itself at the end of this day.")
    reason = models.CharField(max_length=20, choices=CoverReason.choices, default=CoverReason.ANNUAL_LEAVE)
    note = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    history = HistoricalRecords()
    objects = CaseloadCoverQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["covering_worker", "ends_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cover_ends_after_it_starts"),
            models.CheckConstraint(condition=~Q(absent_worker=F("covering_worker")), name="cover_by_someone_else"),
        ]

    def __str__(self) -> str:
        return f"{self.covering_worker} covers {self.absent_worker} ({self.team}), {self.starts_on} to {self.ends_on}"

    def is_active(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.ended_at is None and self.starts_on <= day <= self.ends_on

    def can_end(self, user) -> bool:
        return self.ended_at is None and self.team_id in user.managed_team_ids

    def end(self, *, by) -> None:
        self.ended_at, self.ended_by = timezone.now(), by
        self._change_reason = "Cover ended early"
        self.save(update_fields=["ended_at", "ended_by"])


# Summaries for the team board ------------------------------------------------------------------


# Who needs attention ------------------------------------------------------------------------


def attention_reasons(person: Person, today: date) -> list[str]:
    """Why a person on a caseload needs attention (needs the `with_summary()` annotations)."""
    if person.status in (PersonStatus.CLOSED, PersonStatus.PAUSED):
        return []
    reasons = []
    if person.last_seen_at is None:
        reasons.append("No contact yet")
    elif (days := (today - timezone.localdate(person.last_seen_at)).days) >= NOT_SEEN_DAYS:
        reasons.append(f"Not seen for {days} days")
    if person.plan_review_on and person.plan_review_on < today:
        reasons.append("Recovery plan review overdue")
    if person.statement_review_on and person.statement_review_on < today:
        reasons.append("Advance statement review overdue")
    return reasons


def caseload_rows(people: PersonQuerySet) -> list[Person]:
    """People (annotated by `with_summary()`) with their attention reasons, who needs attention first."""
    today = timezone.localdate()
    rows = list(people.select_related("team", "assigned_worker"))
    for person in rows:
        person.attention = attention_reasons(person, today)
        person.days_since_seen = (today - timezone.localdate(person.last_seen_at)).days if person.last_seen_at else None
    never = 10**6
    rows.sort(
        key=lambda p: (
            p.is_closed,
            p.status == PersonStatus.PAUSED,
            -len(p.attention),
            -(never if p.days_since_seen is None else p.days_since_seen),
            p.family_name,
        )
    )
    return rows
