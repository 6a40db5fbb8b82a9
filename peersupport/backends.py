"""Signing in and loading the signed-in user on each request.

`StaffBackend` is Django's ModelBackend, except that the user loaded for each request carries their
trust-wide governance roles (information governance lead, clinical reviewer, audit search) and, on
PostgreSQL, their (team, role) memberships in the same query: every page asks the user's roles (the
menu, the scoped querysets), and without this each page paid a query of its own for them.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat

from .models import GOVERNANCE_CODENAMES, Membership


def _governance_permissions():
    return Permission.objects.filter(
        content_type__app_label="peersupport", codename__in=GOVERNANCE_CODENAMES, group__user=OuterRef("pk")
    )


def role_annotations() -> dict:
    """What the user holds, read with the user. On PostgreSQL two arrays: the governance permissions
    their groups give, and their memberships as "team_id:role" texts (PostgreSQL plans one array in a
    quarter of the time it plans an EXISTS for each permission, and plans them on every request).
    Elsewhere an EXISTS for each permission, and the memberships load when first asked."""
    if connection.vendor != "postgresql":
        permissions = _governance_permissions()
        return {f"holds_{code}": Exists(permissions.filter(codename=code)) for code in GOVERNANCE_CODENAMES}
    pairs = (
        Membership.objects.filter(user=OuterRef("pk"))
        .order_by("team__name", "role")
        .values(pair=Concat(Cast("team_id", CharField()), Value(":"), "role", output_field=CharField()))
    )
    return {
        "governance_codenames": ArraySubquery(_governance_permissions().values("codename")),
        "membership_pairs": ArraySubquery(pairs),
    }


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.annotate(**role_annotations()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        if hasattr(user, "governance_codenames"):
            user._governance_codenames = set(user.governance_codenames)
            pairs = (pair.split(":", 1) for pair in user.membership_pairs)
            user.remember_memberships([(int(team_id), role) for team_id, role in pairs])
        else:
            user._governance_codenames = {code for code in GOVERNANCE_CODENAMES if getattr(user, f"holds_{code}")}
        return user if self.user_can_authenticate(user) else None
