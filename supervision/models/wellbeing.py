"""The wellbeing at work plan: the worker's own, optional, private unless they choose to share it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import Membership, Role

from .agreements import Agreement


class WellbeingPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> WellbeingPlanQuerySet:
        """The worker; their supervisors only while the worker shares it with them; their team only
        while they share it with the team. Nobody else, administrators included. Read on every request,
        so that withdrawing a share takes effect at once."""
        if not user.is_authenticated:
            return self.none()
        today = timezone.localdate()
        supervised = Agreement.objects.active_on(today).filter(supervisor=user).values("supervisee_id")
        my_teams = Membership.objects.filter(user=user).values("team_id")
        team_mates = Membership.objects.filter(team_id__in=my_teams, role=Role.PSW).values("user_id")
        return self.filter(
            Q(worker=user)
            | Q(share_with_supervisors=True, worker_id__in=supervised)
            | Q(share_with_team=True, worker_id__in=team_mates)
        )


class WellbeingPlan(models.Model):
    """One per worker, who owns it. Its words are in versions; nobody is ever reminded about it."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wellbeing_plan")
    share_with_supervisors = models.BooleanField("share with my supervisors", default=False)
    share_with_team = models.BooleanField("share with my team", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = WellbeingPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Wellbeing at work plan of {self.worker}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:wellbeing-shared", args=[self.pk])

    @property
    def is_shared(self) -> bool:
        return self.share_with_supervisors or self.share_with_team

    def current(self) -> WellbeingPlanVersion | None:
        return self.versions.order_by("-number").first()


class WellbeingPlanVersion(models.Model):
    """One version of the plan, never changed: a new version is written instead."""

    plan = models.ForeignKey(WellbeingPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    keeps_me_well = models.TextField("what keeps me well at work", blank=True)
    early_signs = models.TextField("early signs that I may not be coping", blank=True)
    triggers = models.TextField("triggers and situations I may find difficult", blank=True)
    what_helps = models.TextField("what helps", blank=True)
    manager_can_do = models.TextField("what my manager can do", blank=True)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_wellbeing_version_number")]

    def __str__(self) -> str:
        return f"Version {self.number}"

    TEXT_FIELDS = ("keeps_me_well", "early_signs", "triggers", "what_helps", "manager_can_do")

    def sections(self) -> list[tuple[str, str]]:
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.TEXT_FIELDS]
