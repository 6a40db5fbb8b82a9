"""Amending an entry: the original stays, marked amended, and its replacement points at it."""

from __future__ import annotations

from django.db import transaction

from peersupport.models import User

from ..models import Amendable


@transaction.atomic
def amend(*, original: Amendable, replacement: Amendable, by: User, reason: str, m2m: dict | None = None) -> Amendable:
    """Replace an entry with an amended copy; the original stays, marked amended, with the reason."""
    original.mark_amended(by=by, reason=reason)
    replacement.pk = None
    replacement.amends = original
    replacement.save()
    for name, values in (m2m or {}).items():
        getattr(replacement, name).set(values)
    return replacement
