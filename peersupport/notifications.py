"""Views for in-app notifications: the bell, the list, marking read, email preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .models import SAFETY_KINDS, EmailPreference, Notification, NotificationKind


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.visible_to(request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    unread = notifications.unread().count()
    return render(request, "notifications/list.html", {"page": page, "unread_count": unread})


@require_GET
@login_required
def notification_bell(request: HttpRequest) -> HttpResponse:
    unread = Notification.objects.visible_to(request.user).unread().count()
    return render(request, "notifications/_bell_count.html", {"unread_count": unread})


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=notification_pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notification-list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked as read.")
    return redirect("notification-list")


class EmailPreferencesForm(forms.Form):
    """One tick box per kind; safety alerts are shown ticked and cannot be turned off."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        off = set(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
        for kind, label in NotificationKind.choices:
            safety = kind in SAFETY_KINDS
            self.fields[kind] = forms.BooleanField(
                label=label,
                required=False,
                initial=safety or kind not in off,
                disabled=safety,
                help_text="Safety alerts are always emailed." if safety else "",
            )

    def save(self, user) -> None:
        for kind in NotificationKind.values:
            if kind not in SAFETY_KINDS:
                EmailPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"email": self.cleaned_data[kind]}
                )


@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save(request.user)
        messages.success(request, "Your email choices are saved.")
        return redirect("notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form})
