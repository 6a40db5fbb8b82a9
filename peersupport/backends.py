"""Signing in and loading the signed-in user on each request.

`StaffBackend` is Django's ModelBackend, except that the user loaded for each request carries their
trust-wide governance roles (information governance lead, clinical reviewer, audit search) in the same
query, so the menu can offer the audit search without a query of its own on every page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef

from .models import GOVERNANCE_CODENAMES


def governance_annotations() -> dict:
    permissions = Permission.objects.filter(content_type__app_label="peersupport", group__user=OuterRef("pk"))
    return {f"holds_{code}": Exists(permissions.filter(codename=code)) for code in GOVERNANCE_CODENAMES}


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.annotate(**governance_annotations()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        user._governance_codenames = {code for code in GOVERNANCE_CODENAMES if getattr(user, f"holds_{code}")}
        return user if self.user_can_authenticate(user) else None
