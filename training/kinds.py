"""The training app's notification kinds, registered in TrainingConfig.ready()."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from peersupport import plugins


class NotificationKind(models.TextChoices):
    EXPIRY = "training_expiry", "Mandatory training about to expire or expired"
    EXPIRED_FOR_MANAGER = "training_expired_team", "A team member's mandatory training expired"
    INVITATION = "training_invitation", "Invitation to a training course"


def _invitation_still_wanted(reminder) -> bool:
    """Nobody who withdrew consent after the invitation was queued is written to."""
    from .models import Trainee

    trainee_id = (reminder.context or {}).get("trainee_id")
    return Trainee.objects.filter(pk=trainee_id).contactable().exists()


def _invitation_context(reminder) -> dict:
    return {"trainee_name": (reminder.context or {}).get("trainee_name", "")}


def register() -> None:
    plugins.register_kind(NotificationKind.EXPIRY, NotificationKind.EXPIRY.label)
    plugins.register_kind(NotificationKind.EXPIRED_FOR_MANAGER, NotificationKind.EXPIRED_FOR_MANAGER.label)
    plugins.register_kind(
        NotificationKind.INVITATION,
        NotificationKind.INVITATION.label,
        email_templates="training/emails/invitation",
        email_context=_invitation_context,
        still_wanted=_invitation_still_wanted,
    )


def content_type_of(model) -> ContentType:
    return ContentType.objects.get_for_model(model)
