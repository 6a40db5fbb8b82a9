"""Codes of conduct (the peer worker code and the bands 2-4 code), their versions and acknowledgements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peersupport.models import Band

CODE_BANDS = {Band.BAND_2, Band.BAND_3, Band.BAND_4}


class CodeKind(models.TextChoices):
    PEER_WORKER = "peer_worker", "Peer worker code of conduct"
    BANDS_2_4 = "bands_2_4", "Code of conduct for bands 2-4"


def codes_for(user) -> list[str]:
    """Which codes a member of staff must acknowledge: peer workers the peer worker code, staff on
    bands 2 to 4 the bands 2-4 code (a band 3 PSW both)."""
    kinds = []
    if user.is_psw:
        kinds.append(CodeKind.PEER_WORKER)
    if user.afc_band in CODE_BANDS:
        kinds.append(CodeKind.BANDS_2_4)
    return kinds


class CodeVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CodeVersionQuerySet:
        """Every member of staff may read the codes."""
        return self.all() if user.is_authenticated else self.none()

    def current(self) -> list[CodeVersion]:
        """The version in force of each code (the latest published), one query."""
        latest = {}
        for version in self.filter(published_on__lte=timezone.localdate()).order_by("kind", "-published_on", "-pk"):
            latest.setdefault(version.kind, version)
        return list(latest.values())


class CodeVersion(models.Model):
    kind = models.CharField("code", max_length=20, choices=CodeKind.choices)
    version = models.CharField(max_length=20, help_text="For example “2026.1”.")
    text = models.TextField()
    published_on = models.DateField(default=timezone.localdate)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = CodeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-published_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="unique_code_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"


class AcknowledgementQuerySet(models.QuerySet):
    def visible_to(self, user) -> AcknowledgementQuerySet:
        if not user.is_authenticated:
            return self.none()
        from ..rules import staff_in_reach

        return self.filter(user__in=staff_in_reach(user))


class Acknowledgement(models.Model):
    version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="code_acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="acknowledge_once")]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.version}"
