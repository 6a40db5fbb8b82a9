from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from peersupport.models import EmploymentStatus, Team

from .corrections import Amendable, Correctable, CorrectableQuerySet
from .validators import validate_nhs_number


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
            scope |= Q(pk__in=CaseloadCover.objects.people_covered_by(user))
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
        seen = Contact.objects.current().seen().filter(person=person).order_by("-contact_at")
        upcoming = Appointment.objects.upcoming(now).filter(person=person).order_by("starts_at")
        goals = RecoveryGoal.objects.active().filter(person=person).values("person")
        plan = RecoveryPlan.objects.current().filter(person=person).order_by("-version")
        statement = AdvanceStatement.objects.current().filter(person=person).order_by("-version")
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


class LifeArea(models.TextChoices):
    MENTAL_WELLBEING = "mental_wellbeing", "Mental wellbeing"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    RELATIONSHIPS = "relationships", "Family, friends and relationships"
    HOME = "home", "Home and living skills"
    WORK = "work", "Work, volunteering and learning"
    MONEY = "money", "Money and benefits"
    COMMUNITY = "community", "Community, leisure and hobbies"
    IDENTITY = "identity", "Identity, faith and self-belief"
    OTHER = "other", "Something else"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    SET_ASIDE = "set_aside", "Set aside"


# A goal-based outcome moving by 2.5 points or more on the 0-10 scale is a reliable change.
GBO_RELIABLE_CHANGE = 2.5


class RecoveryGoalQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> RecoveryGoalQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def active(self) -> RecoveryGoalQuerySet:
        return self.current().filter(status=GoalStatus.ACTIVE)


class RecoveryGoal(Correctable):
    """A goal the person has set for their own recovery, in their own words."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="goals")
    description = models.TextField("the goal, in the person's own words", max_length=1000)
    life_area = models.CharField(max_length=30, choices=LifeArea.choices)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    status_changed_on = models.DateField(default=timezone.localdate)
    set_on = models.DateField("goal set on", default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = RecoveryGoalQuerySet.as_manager()

    class Meta:
        ordering = ["status", "set_on", "pk"]

    def __str__(self) -> str:
        return self.description if len(self.description) <= 60 else self.description[:59] + "…"

    def get_absolute_url(self) -> str:
        return reverse("caseload:goal-detail", kwargs={"goal_pk": self.pk})


class GoalRatingQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> GoalRatingQuerySet:
        return self.filter(goal__person__in=Person.objects.visible_to(user))


class GoalRating(Amendable):
    """How close the person feels to their goal, 0 (not at all) to 10 (reached it)."""

    goal = models.ForeignKey(RecoveryGoal, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    rated_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="goal_ratings")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = GoalRatingQuerySet.as_manager()

    class Meta:
        ordering = ["rated_on", "recorded_at"]
        # A goal's first and latest rating, read for every goal on the team caseload board.
        indexes = [models.Index(fields=["goal", "rated_on", "recorded_at"], name="goalrating_series_idx")]

    def __str__(self) -> str:
        return f"{self.score}/10 on {date_format(self.rated_on)}"


# Recovery plans (WRAP) and advance statements ------------------------------------------------


class PlanVersionQuerySet(CorrectableQuerySet):
    def visible_to(self, user):
        return self.filter(person__in=Person.objects.visible_to(user))

    def latest_for(self, person: Person):
        return self.current().filter(person=person).order_by("-version").first()


class PlanVersion(Correctable):
    """A version of a document written with the person. Versions are never edited: a change is a
    new version, and every earlier version stays readable."""

    version = models.PositiveIntegerField(editable=False)
    agreed_on = models.DateField("agreed with the person on", default=timezone.localdate)
    review_on = models.DateField("review by")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-version"]

    def is_due_for_review(self, today: date | None = None) -> bool:
        return self.review_on < (today or timezone.localdate())


class RecoveryPlan(PlanVersion):
    """A Wellness Recovery Action Plan (WRAP), in the person's words."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="recovery_plans")
    wellness_toolbox = models.TextField(
        max_length=5000, blank=True, help_text="Things that help the person stay well, and things they enjoy."
    )
    daily_plan = models.TextField(
        "daily maintenance plan",
        max_length=5000,
        blank=True,
        help_text="What they are like when well; what they do each day to stay well.",
    )
    triggers = models.TextField(
        max_length=5000,
        blank=True,
        help_text="Events or situations that may make them feel worse, and a plan for them.",
    )
    early_warning_signs = models.TextField(
        max_length=5000, blank=True, help_text="Subtle signs that things are changing, and what helps then."
    )
    breaking_down = models.TextField(
        "when things are breaking down",
        max_length=5000,
        blank=True,
        help_text="Signs that things are getting much worse, and what to do.",
    )
    crisis_plan = models.TextField(
        max_length=5000, blank=True, help_text="What others should do, and who should be involved, in a crisis."
    )
    post_crisis_plan = models.TextField(
        max_length=5000, blank=True, help_text="How the person wants to recover after a crisis."
    )

    history = HistoricalRecords()
    objects = PlanVersionQuerySet.as_manager()

    SECTIONS = [
        "wellness_toolbox",
        "daily_plan",
        "triggers",
        "early_warning_signs",
        "breaking_down",
        "crisis_plan",
        "post_crisis_plan",
    ]

    class Meta(PlanVersion.Meta):
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="one_recovery_plan_per_version")]

    def __str__(self) -> str:
        return f"Recovery plan version {self.version} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:plan-detail", kwargs={"plan_pk": self.pk})


class AdvanceStatement(PlanVersion):
    """The person's wishes and preferences for their care in a future crisis (not legally binding)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="advance_statements")
    wishes = models.TextField(
        "wishes and preferences for care in a crisis", max_length=5000, help_text="In the person's own words."
    )
    people_to_contact = models.TextField(
        max_length=2000, blank=True, help_text="Who to tell, and how to reach them; who should not be contacted."
    )
    what_helps = models.TextField(max_length=5000, blank=True)
    what_to_avoid = models.TextField(max_length=5000, blank=True)
    practical_matters = models.TextField(
        max_length=2000, blank=True, help_text="For example pets, children, bills or a home to look after."
    )
    consent_to_share = models.BooleanField("the person consents to sharing this with the crisis team", default=False)

    history = HistoricalRecords()
    objects = PlanVersionQuerySet.as_manager()

    SECTIONS = ["wishes", "people_to_contact", "what_helps", "what_to_avoid", "practical_matters"]

    class Meta(PlanVersion.Meta):
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="one_advance_statement_per_version")]

    def __str__(self) -> str:
        return f"Advance statement version {self.version} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:statement-detail", kwargs={"statement_pk": self.pk})


# Signposting directory ----------------------------------------------------------------------


class ResourceCategory(models.TextChoices):
    PEER_GROUP = "peer_group", "Peer support and self-help groups"
    RECOVERY_COLLEGE = "recovery_college", "Recovery college and courses"
    WORK = "work", "Work, volunteering and learning"
    HOUSING = "housing", "Housing"
    MONEY = "money", "Money, debt and benefits"
    PHYSICAL = "physical", "Physical health and activity"
    CREATIVE = "creative", "Arts and creative activities"
    SOCIAL = "social", "Social and community groups"
    CARERS = "carers", "Carers and families"
    SUBSTANCES = "substances", "Drugs and alcohol"
    CRISIS = "crisis", "Crisis and helplines"
    TALKING = "talking", "Talking therapies and counselling"
    OTHER = "other", "Other"


class Provider(models.TextChoices):
    TRUST = "trust", "Inside the trust"
    COMMUNITY = "community", "In the community"


# Directory entries not checked for a year are flagged so staff keep it current.
RESOURCE_CHECK_EVERY = timedelta(days=365)


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResourceQuerySet:
        """The directory holds no personal data: every signed-in member of staff may read it."""
        if not user.is_authenticated:
            return self.none()
        return self.all()

    def active(self) -> ResourceQuerySet:
        return self.filter(active=True)

    def search(self, text: str) -> ResourceQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(area__icontains=text))


class Resource(models.Model):
    """A resource, service or activity a person can be signposted to, in the trust or the community."""

    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=ResourceCategory.choices)
    provider = models.CharField("where", max_length=20, choices=Provider.choices, default=Provider.COMMUNITY)
    area = models.CharField(max_length=120, help_text="Where it is available, e.g. Bassetlaw or county-wide.")
    description = models.TextField(max_length=2000, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    how_to_refer = models.TextField(max_length=2000, help_text="Self-referral, drop in, or who refers and how.")
    active = models.BooleanField(default=True, help_text="Untick when it closes; it stays on past contacts.")
    checked_on = models.DateField("details last checked", default=timezone.localdate)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def can_edit(self, user) -> bool:
        """Staff who signpost keep the directory current."""
        return user.is_authenticated and (user.is_psw or user.is_manager or user.is_superuser)

    def needs_checking(self, today: date | None = None) -> bool:
        return self.checked_on < (today or timezone.localdate()) - RESOURCE_CHECK_EVERY


# Appointments and activities -----------------------------------------------------------------


class AppointmentKind(models.TextChoices):
    HEALTH = "health", "Health appointment"
    REVIEW = "review", "Care review or meeting"
    BENEFITS = "benefits", "Benefits, housing or money"
    WORK = "work", "Work, volunteering or learning"
    ACTIVITY = "activity", "Activity or group"
    OTHER = "other", "Other"


class AppointmentOutcome(models.TextChoices):
    PLANNED = "planned", "Planned"
    ATTENDED = "attended", "Went ahead"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"
    REARRANGED = "rearranged", "Rearranged"


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))

    def upcoming(self, now=None) -> AppointmentQuerySet:
        return self.filter(outcome=AppointmentOutcome.PLANNED, starts_at__gte=now or timezone.now())


class Appointment(models.Model):
    """An appointment, meeting or activity the worker goes to with the person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    title = models.CharField("what", max_length=200)
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices, default=AppointmentKind.HEALTH)
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True)
    goals = models.ManyToManyField(RecoveryGoal, blank=True, related_name="appointments")
    outcome = models.CharField(max_length=20, choices=AppointmentOutcome.choices, default=AppointmentOutcome.PLANNED)
    outcome_note = models.TextField("how it went", max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[goals])
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["worker", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title}, {date_format(timezone.localtime(self.starts_at), 'DATETIME_FORMAT')}"


# DIALOG ---------------------------------------------------------------------------------------


class Rater(models.TextChoices):
    PERSON = "person", "The person's own rating"
    WORKER = "worker", "The worker's rating"


class DialogStage(models.TextChoices):
    START = "start", "Start"
    REVIEW = "review", "Review"
    CLOSURE = "closure", "Closure"


DIALOG_SCALE = [
    (1, "1 Totally dissatisfied"),
    (2, "2 Very dissatisfied"),
    (3, "3 Fairly dissatisfied"),
    (4, "4 In the middle"),
    (5, "5 Fairly satisfied"),
    (6, "6 Very satisfied"),
    (7, "7 Totally satisfied"),
]

# (field, how satisfied are you with ...). The first 8 are life domains, the last 3 treatment aspects.
DIALOG_LIFE_DOMAINS = [
    ("mental_health", "your mental health"),
    ("physical_health", "your physical health"),
    ("job_situation", "your job situation"),
    ("accommodation", "your accommodation"),
    ("leisure", "your leisure activities"),
    ("family", "your relationship with your partner or family"),
    ("friendships", "your friendships"),
    ("safety", "your personal safety"),
]
DIALOG_TREATMENT = [
    ("medication", "your medication"),
    ("practical_help", "the practical help you receive"),
    ("meetings", "meetings with mental health professionals"),
]
DIALOG_ITEMS = DIALOG_LIFE_DOMAINS + DIALOG_TREATMENT


def _dialog_rating(label: str):
    return models.PositiveSmallIntegerField(
        f"satisfaction with {label}", choices=DIALOG_SCALE, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )


def _dialog_help(label: str):
    return models.BooleanField(f"wants more help with {label}", default=False)


class DialogQuerySet(CorrectableQuerySet):
    def visible_to(self, user) -> DialogQuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class DialogAssessment(Amendable):
    """DIALOG: 8 life domains and 3 treatment aspects rated 1-7, each with "do you want more help?"."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dialog_assessments")
    assessed_on = models.DateField(default=timezone.localdate)
    stage = models.CharField(max_length=20, choices=DialogStage.choices, default=DialogStage.REVIEW)
    rater = models.CharField("whose rating", max_length=20, choices=Rater.choices, default=Rater.PERSON)

    mental_health = _dialog_rating("your mental health")
    mental_health_help = _dialog_help("your mental health")
    physical_health = _dialog_rating("your physical health")
    physical_health_help = _dialog_help("your physical health")
    job_situation = _dialog_rating("your job situation")
    job_situation_help = _dialog_help("your job situation")
    accommodation = _dialog_rating("your accommodation")
    accommodation_help = _dialog_help("your accommodation")
    leisure = _dialog_rating("your leisure activities")
    leisure_help = _dialog_help("your leisure activities")
    family = _dialog_rating("your relationship with your partner or family")
    family_help = _dialog_help("your relationship with your partner or family")
    friendships = _dialog_rating("your friendships")
    friendships_help = _dialog_help("your friendships")
    safety = _dialog_rating("your personal safety")
    safety_help = _dialog_help("your personal safety")
    medication = _dialog_rating("your medication")
    medication_help = _dialog_help("your medication")
    practical_help = _dialog_rating("the practical help you receive")
    practical_help_help = _dialog_help("the practical help you receive")
    meetings = _dialog_rating("meetings with mental health professionals")
    meetings_help = _dialog_help("meetings with mental health professionals")

    # Stored so team boards can average them in the database.
    quality_of_life = models.DecimalField("subjective quality of life", max_digits=3, decimal_places=2, editable=False)
    treatment_satisfaction = models.DecimalField(max_digits=3, decimal_places=2, editable=False)

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = DialogQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "recorded_at"]
        verbose_name = "DIALOG assessment"
        # A person's first and latest DIALOG by the same rater, read for every person on the board.
        indexes = [models.Index(fields=["person", "rater", "assessed_on", "recorded_at"], name="dialog_series_idx")]

    def __str__(self) -> str:
        return f"DIALOG ({self.get_stage_display().lower()}) for {self.person} on {date_format(self.assessed_on)}"

    def save(self, *args, **kwargs):
        self.quality_of_life = _mean([getattr(self, name) for name, _ in DIALOG_LIFE_DOMAINS])
        self.treatment_satisfaction = _mean([getattr(self, name) for name, _ in DIALOG_TREATMENT])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "quality_of_life", "treatment_satisfaction"}
        super().save(*args, **kwargs)

    def items(self) -> list[tuple[str, int, bool]]:
        """(label, rating, wants more help) for each of the 11 items, in DIALOG order."""
        return [(label, getattr(self, name), getattr(self, f"{name}_help")) for name, label in DIALOG_ITEMS]


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Safety: lone working and risk concerns (SPEC section 4). Alerts go through the core's outbox.


class EscalationChain(models.TextChoices):
    CONCERN = "concern", "Risk concerns (after the named person)"
    VISIT = "visit", "Overdue visits (after the buddy and manager)"


class EscalationTarget(models.TextChoices):
    MANAGER = "manager", "The worker's team manager"
    DEVELOPMENT_LEAD = "development_lead", "The peer support development lead"
    NAMED = "named", "A named member of staff"


# Used whenever an administrator has left a chain empty: nobody's alert may stop at nobody.
DEFAULT_CHAINS = {
    EscalationChain.CONCERN: [EscalationTarget.MANAGER, EscalationTarget.DEVELOPMENT_LEAD],
    EscalationChain.VISIT: [EscalationTarget.DEVELOPMENT_LEAD],
}


class SafetySettings(models.Model):
    """Grace periods and escalation timers, edited in the admin. One row; safe defaults."""

    visit_grace_minutes = models.PositiveSmallIntegerField(
        "grace period for a visit (minutes)",
        default=15,
        validators=[MaxValueValidator(120)],
        help_text="How long after the expected end a visit counts as overdue and the worker is alerted.",
    )
    visit_escalation_minutes = models.PositiveSmallIntegerField(
        "time to acknowledge a visit alert (minutes)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="An unacknowledged visit alert goes to the next people after this long.",
    )
    concern_high_minutes = models.PositiveIntegerField(
        "time to acknowledge a high concern (minutes)", default=30, validators=[MinValueValidator(1)]
    )
    concern_moderate_minutes = models.PositiveIntegerField(
        "time to acknowledge a moderate concern (minutes)", default=240, validators=[MinValueValidator(1)]
    )
    concern_low_minutes = models.PositiveIntegerField(
        "time to acknowledge a low concern (minutes)", default=1440, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "safety settings"
        verbose_name_plural = "safety settings"

    def __str__(self) -> str:
        return "Lone-working and risk-concern settings"

    @classmethod
    def load(cls) -> SafetySettings:
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row

    def concern_timer(self, severity: str) -> timedelta:
        minutes = {
            ConcernSeverity.HIGH: self.concern_high_minutes,
            ConcernSeverity.MODERATE: self.concern_moderate_minutes,
        }.get(severity, self.concern_low_minutes)
        return timedelta(minutes=minutes)

    @property
    def visit_grace(self) -> timedelta:
        return timedelta(minutes=self.visit_grace_minutes)

    @property
    def visit_escalation(self) -> timedelta:
        return timedelta(minutes=self.visit_escalation_minutes)

    def chain(self, chain: str) -> list[tuple[str, int | None]]:
        """The steps of a chain as (target, named user id), or the default when none are set."""
        steps = [(step.target, step.user_id) for step in self.steps.filter(chain=chain).order_by("position", "pk")]
        return steps or [(target, None) for target in DEFAULT_CHAINS[chain]]


class EscalationStep(models.Model):
    safety_settings = models.ForeignKey(SafetySettings, on_delete=models.CASCADE, related_name="steps")
    chain = models.CharField(max_length=20, choices=EscalationChain.choices)
    position = models.PositiveSmallIntegerField(default=1)
    target = models.CharField(max_length=30, choices=EscalationTarget.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only for 'a named member of staff', e.g. the on-call senior manager.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "position", "pk"]

    def __str__(self) -> str:
        who = self.user if self.target == EscalationTarget.NAMED else self.get_target_display()
        return f"{self.get_chain_display()}: step {self.position}, {who}"

    def clean(self):
        super().clean()
        if self.target == EscalationTarget.NAMED and not self.user_id:
            raise ValidationError({"user": "Choose the member of staff for this step."})
        if self.target != EscalationTarget.NAMED and self.user_id:
            raise ValidationError({"user": "Only a 'named member of staff' step names someone."})


class LoneWorkingBuddy(models.Model):
    """The colleague a worker names as their lone-working buddy: alerted when a visit runs over."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lone_working_buddy")
    buddy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buddy_for")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lone-working buddy"

    def __str__(self) -> str:
        return f"{self.buddy} is buddy for {self.worker}"

    def clean(self):
        super().clean()
        if self.worker_id and self.worker_id == self.buddy_id:
            raise ValidationError({"buddy": "A worker cannot be their own buddy."})


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
            pk__in=SafetyEvent.objects.filter(kind="alert", recipient=user, visit__isnull=False).values("visit")
        )
        if user.managed_team_ids:
            scope |= Q(team_id__in=user.managed_team_ids)
        return self.filter(scope)

    def open(self) -> VisitQuerySet:
        return self.filter(status=VisitStatus.OPEN)

    def close_for_contact(self, contact: Contact) -> Visit | None:
        """Logging the contact for a visit closes it: call after saving a new contact."""
        visit = self.open().filter(worker_id=contact.worker_id, person_id=contact.person_id).first()
        if visit is not None:
            visit.close(by=contact.worker, reason=VisitCloseReason.CONTACT_LOGGED, contact=contact)
        return visit


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
            models.UniqueConstraint(fields=["worker"], condition=Q(status="open"), name="one_open_visit_per_worker")
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
        return self.events.filter(kind="alert", recipient=user).exists()

    def can_respond(self, user) -> bool:
        """Acknowledge or close with a note: those alerted (not the worker) and the team's managers."""
        if not self.is_open or user.pk == self.worker_id:
            return False
        return self.team_id in user.managed_team_ids or self.was_alerted(user)

    def close(self, *, by, reason: str, note: str = "", contact: Contact | None = None) -> bool:
        """Close the visit once; False if it was already closed (by someone else, just now)."""
        from .safety import visit_closed

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
        visit_closed(self, by=by)
        return True


class ConcernSeverity(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Awaiting acknowledgement"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class EscalationRole(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisor"
    DUTY_WORKER = "duty_worker", "Duty worker"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"


class RiskConcernQuerySet(models.QuerySet):
    def visible_to(self, user) -> RiskConcernQuerySet:
        """Concerns about people the user may see, and concerns escalated to them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(person__in=Person.objects.visible_to(user))
            | Q(escalated_to=user)
            | Q(
                pk__in=SafetyEvent.objects.filter(kind="alert", recipient=user, concern__isnull=False).values("concern")
            )
        )

    def unresolved(self) -> RiskConcernQuerySet:
        return self.exclude(status=ConcernStatus.RESOLVED)


class RiskConcern(models.Model):
    """A risk concern about a person, escalated to a named person who must acknowledge it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="risk_concerns")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    description = models.TextField("what is the concern?", max_length=5000)
    severity = models.CharField(max_length=10, choices=ConcernSeverity.choices)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_escalated_to_me"
    )
    escalated_to_role = models.CharField("their role", max_length=20, choices=EscalationRole.choices)
    status = models.CharField(max_length=15, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    # 0 the named person; 1 onwards the chain's steps.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(max_length=5000, blank=True)

    history = HistoricalRecords()
    objects = RiskConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} risk concern about {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("caseload:concern-detail", kwargs={"concern_pk": self.pk})

    def was_alerted(self, user) -> bool:
        return self.escalated_to_id == user.pk or self.events.filter(kind="alert", recipient=user).exists()

    def can_acknowledge(self, user) -> bool:
        return self.status == ConcernStatus.OPEN and self.was_alerted(user)

    def can_resolve(self, user) -> bool:
        if self.status == ConcernStatus.RESOLVED:
            return False
        return self.person.team_id in user.managed_team_ids or self.was_alerted(user)


class SafetyEventKind(models.TextChoices):
    STARTED = "started", "Visit started"
    EXTENDED = "extended", "Visit extended"
    ALERT = "alert", "Alert sent"
    ALARM = "alarm", "Alarm raised"
    ACKNOWLEDGED = "acknowledged", "Alert acknowledged"
    CLOSED = "closed", "Visit closed"
    RAISED = "raised", "Concern raised"
    RESOLVED = "resolved", "Concern resolved"


class SafetyEvent(models.Model):
    """Every event in a visit's or a concern's life, alerts included, kept for good."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    concern = models.ForeignKey(RiskConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    kind = models.CharField(max_length=15, choices=SafetyEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, concern__isnull=True) | Q(visit__isnull=True, concern__isnull=False),
                name="safety_event_for_a_visit_or_a_concern",
            ),
            models.UniqueConstraint(
                fields=["visit", "recipient", "stage"], condition=Q(kind="alert"), name="one_visit_alert_per_stage"
            ),
            models.UniqueConstraint(
                fields=["concern", "recipient", "stage"], condition=Q(kind="alert"), name="one_concern_alert_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {timezone.localtime(self.at):%d %b %Y %H:%M}"


# Cover: time-limited access to another worker's caseload ----------------------------------------


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


class PersonSummary(models.Model):
    """Figures derived from a person's records, refreshed whenever one of those records is saved
    (caseload/summaries.py), so the team board reads one row per person instead of searching years
    of contacts. Derived data, not a record: it can always be rebuilt from the records."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    last_seen_at = models.DateTimeField(null=True, blank=True)
    plan_review_on = models.DateField(null=True, blank=True)
    # The person's own DIALOG ratings (quality of life): first, latest and how many.
    dialog_first = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    dialog_latest = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    dialog_count = models.PositiveIntegerField(default=0)
    # Goal-based outcomes: the total of latest minus first rating over the goals rated twice or more.
    gbo_change_total = models.IntegerField(default=0)
    gbo_goals = models.PositiveIntegerField(default=0)
    # Counts for a period are kept with the period they were counted in (its first day): once the
    # month or quarter has passed they read as none, and the next change counts the new period.
    contacts_month = models.DateField(null=True, blank=True)
    contacts_in_month = models.PositiveIntegerField(default=0)
    goals_quarter = models.DateField(null=True, blank=True)
    goals_achieved_in_quarter = models.PositiveIntegerField(default=0)
    open_risk_concerns = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Summary of {self.person_id}"


class GoalSummary(models.Model):
    """A goal's first and latest current rating and how many it has, refreshed on every rating save."""

    goal = models.OneToOneField(RecoveryGoal, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    first_score = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_score = models.PositiveSmallIntegerField(null=True, blank=True)
    ratings = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Summary of goal {self.goal_id}"
