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

from . import plugins
from .models import EmailPreference, Notification


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
        chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
        for kind in plugins.kinds():
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=kind.safety or chosen.get(kind.value, kind.email_default),
                disabled=kind.safety,
                help_text="Safety alerts are always emailed." if kind.safety else "",
            )

    def save(self, user) -> None:
        for kind in plugins.kinds():
            if not kind.safety:
                EmailPreference.objects.update_or_create(
                    user=user, kind=kind.value, defaults={"email": self.cleaned_data[kind.value]}
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
