"""Who may do what in training. Sight is decided by each model's visible_to(user); these say who may
change things among those who can see them.

Administrators keep the system (Django admin, users, teams, reference data, SPEC section 1); training
records are the development team's and managers' business, so an administrator's own training
record is all they reach here, like any member of staff without a team role."""

from __future__ import annotations

from peersupport.models import SERVICE_ROLES, User


def runs_training(user) -> bool:
    """The development team runs peer support training and keeps every peer worker's training record."""
    return user.is_authenticated and user.is_development_team


def staff_in_reach(user):
    """Staff whose training a user may see: themselves; a manager their teams'; the development team
    every peer worker and the development team (the core's rule, without the administrator's reach)."""
    if not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser and not (user.is_manager or user.is_development_team):
        return User.objects.filter(pk=user.pk)
    return User.objects.visible_to(user)


def may_record_for(user, worker) -> bool:
    """Mandatory training completions: the development team for anyone they see, a manager for their
    teams' staff. A worker's own record is kept for them, not by them (it is evidence of compliance)."""
    if runs_training(user):
        return True
    return bool(user.managed_team_ids & worker.team_ids_with_role(*SERVICE_ROLES))
