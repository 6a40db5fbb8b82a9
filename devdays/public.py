"""Pages reached without signing in: the answer link (signed, one invitation only), the certificate
behind it, the secret calendar feed and the public-safe list of dates."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import calendar, links
from .forms import AnswerForm
from .models import CalendarFeed, DayStatus, DevelopmentDay, Invitation
from .views import _answer, _certificate, feedback_page

GET_POST = require_http_methods(["GET", "POST"])


def _signed_invitation(invitation_pk: int, answer_token: str) -> Invitation:
    """The invitation the link was made for, and only that one: a link for another invitation or a
    changed link answers 404, exactly as a missing invitation does."""
    if not links.token_matches(invitation_pk, answer_token):
        raise Http404
    invitation = Invitation.objects.select_related("day").filter(pk=invitation_pk, withdrawn_at__isnull=True).first()
    if invitation is None:
        raise Http404
    return invitation


@GET_POST
def answer(request: HttpRequest, invitation_pk: int, answer_token: str) -> HttpResponse:
    invitation = _signed_invitation(invitation_pk, answer_token)
    day = invitation.day
    here = request.path
    if day.status == DayStatus.CANCELLED or (not day.is_open and not invitation.attended):
        return render(request, "devdays/answer_closed.html", {"day": day, "invitation": invitation}, status=410)
    if not day.is_open:  # the day is over and they came: the link now asks for feedback
        return feedback_page(request, day, invitation, done_url=here + "certificate/", answer_link=here)
    if request.method == "POST":
        return _answer(request, day, invitation, AnswerForm(request.POST), redirect_to=here)
    feed = _feed_for(invitation)
    return render(
        request,
        "devdays/answer.html",
        {
            "day": day,
            "invitation": invitation,
            "agenda": list(day.agenda.all()),
            "form": AnswerForm.for_invitation(invitation),
            "feed_url": links.absolute(feed.get_absolute_url()) if feed else "",
        },
    )


def _feed_for(invitation: Invitation) -> CalendarFeed | None:
    feeds = CalendarFeed.objects.active()
    if invitation.user_id:
        return feeds.filter(user_id=invitation.user_id).first()
    return feeds.filter(user__isnull=True, email=invitation.email).first()


@require_POST
def answer_calendar(request: HttpRequest, invitation_pk: int, answer_token: str) -> HttpResponse:
    """Someone without an account makes or turns off their calendar address from their answer link."""
    invitation = _signed_invitation(invitation_pk, answer_token)
    answer_page = reverse("devdays:answer", kwargs={"invitation_pk": invitation_pk, "answer_token": answer_token})
    feed = _feed_for(invitation)
    if request.POST.get("action") == "revoke" and feed:
        feed.revoke()
        messages.success(request, "Your calendar address is turned off.")
    elif request.POST.get("action") == "create" and not feed:
        if invitation.user_id:
            CalendarFeed.current_for(user=invitation.user)
        else:
            CalendarFeed.current_for(email=invitation.email)
        messages.success(request, "Your calendar address is ready: copy it into Outlook or Google Calendar.")
    return redirect(answer_page)


@require_GET
def answer_certificate(request: HttpRequest, invitation_pk: int, answer_token: str) -> HttpResponse:
    invitation = _signed_invitation(invitation_pk, answer_token)
    if not invitation.attended:
        raise Http404
    return _certificate(request, invitation.day, invitation)


@require_GET
def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """The person's days, each with their answer. A revoked address says so (410), and never 500s."""
    feed = CalendarFeed.objects.filter(token=feed_token).first()
    if feed is None:
        raise Http404
    if feed.revoked_at:
        return render(request, "devdays/feed_revoked.html", status=410)
    invitations = (
        feed.invitations()
        .filter(day__date__gte=timezone.localdate() - dt.timedelta(days=365))
        .select_related("day", "user")
        .prefetch_related("day__agenda")
        .order_by("day__date")
    )
    response = HttpResponse(calendar.feed_ics(invitations), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="peer-development-days.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def dates(request: HttpRequest) -> HttpResponse:
    """Upcoming dates, safe to send to anyone who asks: no names, no online links."""
    days = DevelopmentDay.objects.upcoming()
    return render(request, "devdays/dates.html", {"days": days})
