"""Corrections of clinical entries (SPEC section 3): never edited in place, never deleted.

A saved entry is corrected by an amendment (a new row that replaces it, with a reason) or marked
"entered in error" (with a reason). The original row stays, so the record's history shows what was
written, what replaced it, who corrected it, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EntryStatus(models.TextChoices):
    CURRENT = "current", "Current"
    AMENDED = "amended", "Amended"
    ENTERED_IN_ERROR = "entered_in_error", "Entered in error"


class CorrectableQuerySet(models.QuerySet):
    def current(self):
        return self.filter(entry_status=EntryStatus.CURRENT)

    def corrected(self):
        return self.exclude(entry_status=EntryStatus.CURRENT)


class Correctable(models.Model):
    """An entry that can be marked entered in error. The reason sits on the corrected row."""

    entry_status = models.CharField(
        max_length=20, choices=EntryStatus.choices, default=EntryStatus.CURRENT, editable=False, db_index=True
    )
    correction_reason = models.TextField("reason for the correction", max_length=1000, blank=True, editable=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.entry_status == EntryStatus.CURRENT

    def mark_entered_in_error(self, *, by, reason: str) -> None:
        self._close(EntryStatus.ENTERED_IN_ERROR, by=by, reason=reason)

    def _close(self, status: str, *, by, reason: str) -> None:
        if not self.is_current:
            raise ValueError("Only a current entry can be corrected.")
        self.entry_status = status
        self.correction_reason = reason
        self.corrected_by = by
        self.corrected_at = timezone.now()
        self._change_reason = f"{EntryStatus(status).label}: {reason}"[:100]
        self.save(update_fields=["entry_status", "correction_reason", "corrected_by", "corrected_at"])


class Amendable(Correctable):
    """An entry that can also be amended: the new version points back at the one it replaces."""

    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="amended_by"
    )

    class Meta:
        abstract = True

    def draft_amendment(self):
        """An unsaved copy to edit into the amendment; the original is left untouched until saved."""
        fields = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}
        return type(self)(**fields)

    def mark_amended(self, *, by, reason: str) -> None:
        self._close(EntryStatus.AMENDED, by=by, reason=reason)
