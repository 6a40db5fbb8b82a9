"""Signing in and out in the audit, and the end of every session at signing out.

Django's auth signals: a sign-in, a sign-out (which also ends the account's other sessions), a failed
sign-in with the email typed (never the password). django-axes: a lockout, and an unlock (a locked
account's failed attempts removed, by an administrator or a command).
"""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from . import audit


def _real(request):
    """The request, unless it is one made up outside a page (a test client's force_login has no method)."""
    return request if getattr(request, "method", None) else None


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def audit_sign_in(sender, request, user, **kwargs):
    audit.record(audit.SIGN_IN, request=_real(request), actor=user)


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def audit_sign_out(sender, request, user, **kwargs):
    if user is None:
        return
    user.end_all_sessions()
    audit.record(audit.SIGN_OUT, request=_real(request), actor=user)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit.record(audit.SIGN_IN_FAILED, request=_real(request), actor_email=email)


@receiver(user_locked_out, dispatch_uid="audit-locked-out")
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record(
        audit.LOCKED_OUT, request=_real(request), actor_email=str(username or "")[:254], detail="sign-in locked"
    )


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="audit-unlocked")
def audit_unlocked(sender, instance, **kwargs):
    if instance.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return  # a failure or two forgotten at a good sign-in: nothing was locked
    request = getattr(HistoricalRecords.context, "request", None)
    audit.record(
        audit.UNLOCKED,
        request=_real(request),
        detail=f"sign-in unlocked for {instance.username or ''} from {instance.ip_address or ''}"[:255],
    )
