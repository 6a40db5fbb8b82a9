"""The signposting directory: resources inside the trust and in the community."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


def may_keep_directory(user) -> bool:
    """Staff who signpost keep the directory current: they add resources and edit any of them."""
    return user.is_authenticated and (user.is_psw or user.is_manager or user.is_superuser)


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
        return may_keep_directory(user)

    def needs_checking(self, today: date | None = None) -> bool:
        return self.checked_on < (today or timezone.localdate()) - RESOURCE_CHECK_EVERY


# Appointments and activities -----------------------------------------------------------------
