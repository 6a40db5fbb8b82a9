"""Imports of historic training records from CSV."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportBatchQuerySet:
        """The development team imports records and sees the imports."""
        if not user.is_authenticated:
            return self.none()
        return self.all() if user.is_development_team else self.none()


class ImportBatch(models.Model):
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows_in_file = models.PositiveIntegerField()
    rows_added = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows_added} added)"
