"""Pages for staff. Every view starts with a scoped fetch; what is out of reach answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peersupport import exports
from peersupport.audit import log_view, log_views
from peersupport.models import User

from . import figures, forms, links, schedule, services
from .models import (
    AgendaItem,
    Answer,
    CalendarFeed,
    DayStatus,
    DevelopmentDay,
    Feedback,
    Invitation,
)

GET_POST = require_http_methods(["GET", "POST"])


def _day(request: HttpRequest, day_pk: int) -> DevelopmentDay:
    return get_object_or_404(DevelopmentDay.objects.visible_to(request.user), pk=day_pk)


def _planned_day(request: HttpRequest, day_pk: int) -> DevelopmentDay:
    """A day the user may plan: the development team only (others see 404: planning is not theirs)."""
    day = _day(request, day_pk)
    if not day.can_plan(request.user):
        raise Http404
    return day


def _planner(request: HttpRequest) -> None:
    if not (request.user.is_superuser or request.user.is_development_team):
        raise Http404


def _my_invitation(request: HttpRequest, day: DevelopmentDay) -> Invitation | None:
    return Invitation.objects.filter(day=day, user=request.user).first()


@login_required
@require_GET
def day_list(request: HttpRequest) -> HttpResponse:
    days = DevelopmentDay.objects.visible_to(request.user).with_counts().order_by("-date")
    mine = dict(Invitation.objects.filter(user=request.user).values_list("day_id", "answer"))
    today = timezone.localdate()
    rows = [(day, Answer(mine[day.pk]).label if day.pk in mine else "") for day in days]
    return render(
        request,
        "devdays/day_list.html",
        {
            "upcoming": [r for r in reversed(rows) if r[0].date >= today],
            "past": [r for r in rows if r[0].date < today],
            "can_plan": request.user.is_superuser or request.user.is_development_team,
        },
    )


@login_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    _planner(request)
    data = request.GET if "year" in request.GET else None
    form = forms.ScheduleForm(
        data, initial={"year": timezone.localdate().year + 1, "week": 2, "weekday": 2, "month_in_quarter": 1}
    )
    proposals = []
    if form.is_bound and form.is_valid():
        existing = set(
            DevelopmentDay.objects.filter(date__year=form.cleaned_data["year"]).values_list("date", flat=True)
        )
        proposals = [(p, p.date in existing) for p in schedule.propose(form.cleaned_data["year"], form.rule())]
    return render(request, "devdays/plan.html", {"form": form, "proposals": proposals})


def _day_form_page(request: HttpRequest, form, day: DevelopmentDay | None) -> HttpResponse:
    return render(request, "devdays/day_form.html", {"form": form, "day": day})


@login_required
@GET_POST
def day_create(request: HttpRequest) -> HttpResponse:
    _planner(request)
    initial = {"reminder_offsets": list(forms.DevelopmentDay._meta.get_field("reminder_offsets").default())}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"][:10]
    form = forms.DayForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        day = form.save(commit=False)
        day.created_by = request.user
        day.save()
        form.save_m2m()
        messages.success(request, f"{day} is planned. Add its agenda, then send the invitations.")
        return redirect(day)
    return _day_form_page(request, form, None)


@login_required
@GET_POST
def day_edit(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    if day.status in (DayStatus.CANCELLED, DayStatus.HELD):
        messages.error(request, f"{day} is {day.get_status_display().lower()}: it cannot be changed.")
        return redirect(day)
    form = forms.DayForm(request.POST or None, instance=day, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            day = DevelopmentDay.objects.select_for_update().get(pk=day.pk)
            form.instance.sequence, form.instance.status = day.sequence, day.status
            form.instance.reminders_done = day.reminders_done
            told = services.update_day(day=form.instance, changed=form.changed_data, by=request.user)
            form.instance.facilitators.set(form.cleaned_data["facilitators"])
        messages.success(
            request,
            "Day saved." + (f" {told} people invited are told, with an updated calendar entry." if told else ""),
        )
        return redirect(form.instance)
    return _day_form_page(request, form, day)


@login_required
@GET_POST
def day_cancel(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    if day.status in (DayStatus.CANCELLED, DayStatus.HELD):
        messages.error(request, f"{day} is already {day.get_status_display().lower()}.")
        return redirect(day)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        told = services.cancel_day(day=day, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, f"{day} is cancelled. {told} people invited are told; their calendars drop it.")
        return redirect(day)
    return render(request, "devdays/day_cancel.html", {"day": day, "form": form})


@login_required
@require_GET
def day_detail(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _day(request, day_pk)
    counts = DevelopmentDay.objects.with_counts().get(pk=day.pk)
    mine = _my_invitation(request, day)
    return render(
        request,
        "devdays/day_detail.html",
        {
            "day": day,
            "counts": counts,
            "agenda": list(day.agenda.all()),
            "facilitators": list(day.facilitators.all()),
            "mine": mine,
            "answer_form": forms.AnswerForm.for_invitation(mine) if mine and day.is_open else None,
            "can_plan": day.can_plan(request.user),
        },
    )


@login_required
@GET_POST
def item_create(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    return _item_form(request, day, AgendaItem(day=day))


@login_required
@GET_POST
def item_edit(request: HttpRequest, day_pk: int, item_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    item = get_object_or_404(AgendaItem.objects.visible_to(request.user), pk=item_pk, day=day)
    return _item_form(request, day, item)


def _item_form(request: HttpRequest, day: DevelopmentDay, item: AgendaItem) -> HttpResponse:
    form = forms.AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Agenda item '{item.title}' saved.")
        return redirect(day)
    return render(request, "devdays/item_form.html", {"day": day, "form": form, "item": item})


@login_required
@require_POST
def item_remove(request: HttpRequest, day_pk: int, item_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    item = get_object_or_404(AgendaItem.objects.visible_to(request.user), pk=item_pk, day=day)
    item.delete()  # the agenda holds no personal data; its history keeps the removed item
    messages.success(request, f"'{item.title}' is taken off the agenda.")
    return redirect(day)


@login_required
@GET_POST
def invite(request: HttpRequest, day_pk: int) -> HttpResponse:
    """The audience, with counts, shown before anything is sent."""
    day = _planned_day(request, day_pk)
    people = services.audience()
    already = services.invited_keys(day)
    new = [p for p in people if p.key not in already and ("email", p.email) not in already]
    if request.method == "POST":
        if day.status not in (DayStatus.PLANNED, DayStatus.INVITED) or day.is_past:
            messages.error(request, "Invitations can only go for a day still to come.")
            return redirect(day)
        sent = services.send_invitations(day=day, by=request.user)
        messages.success(request, f"{sent} invitations are on their way, each with a calendar entry.")
        return redirect(day)
    staff = [p for p in new if p.user_id]
    return render(
        request,
        "devdays/invite.html",
        {
            "day": day,
            "new": new,
            "staff_count": len(staff),
            "others_count": len(new) - len(staff),
            "already": Invitation.objects.filter(day=day).count(),
        },
    )


@login_required
@require_GET
def invitation_list(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    invitations = Invitation.objects.visible_to(request.user).filter(day=day).order_by("answer", "full_name")
    answer = request.GET.get("answer", "")
    if answer in Answer.values:
        invitations = invitations.filter(answer=answer)
    log_views(request, invitations)  # the list shows people's access and dietary needs
    return render(
        request,
        "devdays/invitation_list.html",
        {"day": day, "invitations": invitations, "answers": Answer.choices, "chosen": answer},
    )


@login_required
@require_POST
def my_answer(request: HttpRequest, day_pk: int) -> HttpResponse:
    """A member of staff answers from the day's page or their home page."""
    day = _day(request, day_pk)
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), day=day, user=request.user)
    prefix = request.POST.get("prefix") if request.POST.get("prefix") == f"day{day.pk}" else None
    form = forms.AnswerForm(request.POST, prefix=prefix)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = day.get_absolute_url()
    return _answer(request, day, invitation, form, redirect_to=back or day.get_absolute_url())


def _answer(request, day, invitation, form, *, redirect_to: str, template="devdays/day_detail.html", context=None):
    if not day.is_open:
        messages.error(request, "Answers closed when the day began.")
        return redirect(redirect_to)
    if form.is_valid():
        try:
            result = services.give_answer(
                invitation_pk=invitation.pk,
                answer=form.cleaned_data["answer"],
                access_needs=form.cleaned_data["access_needs"],
                dietary_needs=form.cleaned_data["dietary_needs"],
                version=form.cleaned_data["version"],
            )
        except services.AnswerConflict:
            messages.warning(
                request,
                "Your answer was changed from another window just now. Here it is as it stands: check it and "
                "answer again if you need to.",
            )
            return redirect(redirect_to)
        messages.success(request, result.message)
        return redirect(redirect_to)
    messages.error(request, "Your answer was not saved: " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(redirect_to)


@login_required
@GET_POST
def register(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    if request.method == "POST":
        if day.status == DayStatus.CANCELLED:
            messages.error(request, "The day is cancelled: there is no register.")
            return redirect(day)
        if "close" in request.POST:
            services.mark_held(day=day, by=request.user)
            messages.success(request, "The register is closed and the day is marked as held.")
            return redirect(day)
        try:
            invitation_pk = int(request.POST.get("invitation", ""))
        except ValueError:
            raise Http404 from None
        invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=invitation_pk, day=day)
        invitation = services.record_attendance(
            day=day, invitation_pk=invitation.pk, attended=request.POST.get("attended") == "yes", by=request.user
        )
        messages.success(request, f"{invitation.full_name}: {'present' if invitation.attended else 'not present'}.")
        return redirect(reverse("devdays:register", kwargs={"day_pk": day.pk}) + f"#inv-{invitation.pk}")
    return _register_page(request, day, forms.WalkInForm(user=request.user))


def _register_page(request, day, walk_in_form, status=200) -> HttpResponse:
    invitations = (
        Invitation.objects.visible_to(request.user)
        .filter(day=day)
        .exclude(answer=Answer.NOT_ATTENDING, attended__isnull=True)
        .order_by("full_name", "pk")
    )
    log_views(request, invitations)  # the register shows people's access needs
    return render(
        request,
        "devdays/register.html",
        {"day": day, "invitations": invitations, "walk_in_form": walk_in_form},
        status=status,
    )


@login_required
@require_POST
def walk_in(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    form = forms.WalkInForm(request.POST, user=request.user)
    if day.status == DayStatus.CANCELLED:
        messages.error(request, "The day is cancelled: there is no register.")
        return redirect(day)
    if not form.is_valid():
        return _register_page(request, day, form, status=400)
    invitation = services.add_walk_in(
        day=day,
        by=request.user,
        user=form.cleaned_data["user"],
        full_name=form.cleaned_data["full_name"],
        email=form.cleaned_data["email"],
    )
    messages.success(request, f"{invitation.full_name} is on the register as present.")
    return redirect("devdays:register", day_pk=day.pk)


@login_required
@GET_POST
def feedback_give(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _day(request, day_pk)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user), day=day, user=request.user, attended=True
    )
    return feedback_page(request, day, invitation, done_url=day.get_absolute_url())


def feedback_page(request, day, invitation, *, done_url: str, answer_link: str = "") -> HttpResponse:
    if invitation.feedback_given_at:
        messages.info(request, "Thank you: you have already given feedback on this day.")
        return redirect(done_url)
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        anonymous = data.pop("anonymous")
        try:
            services.give_feedback(invitation=invitation, anonymous=anonymous, **data)
        except services.AnswerConflict:
            messages.info(request, "Thank you: your feedback was already saved.")
            return redirect(done_url)
        messages.success(
            request, "Thank you for your feedback." + (" It is kept without your name." if anonymous else "")
        )
        return redirect(done_url)
    return render(request, "devdays/feedback_form.html", {"day": day, "form": form, "answer_link": answer_link})


@login_required
@require_GET
def feedback_summary(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _planned_day(request, day_pk)
    feedback = list(Feedback.objects.visible_to(request.user).filter(day=day).select_related("invitation"))
    ratings = {value: 0 for value, _ in forms.Rating.choices}
    for item in feedback:
        ratings[item.rating] += 1
    average = round(sum(f.rating for f in feedback) / len(feedback), 1) if feedback else None
    return render(
        request,
        "devdays/feedback_summary.html",
        {
            "day": day,
            "feedback": feedback,
            "ratings": [(forms.Rating(v).label, n) for v, n in ratings.items()],
            "average": average,
        },
    )


def _person(request: HttpRequest) -> User:
    """The person whose history or certificate is asked for: oneself, or someone the user may see."""
    person_pk = request.GET.get("person")
    if not person_pk:
        return request.user
    try:
        return get_object_or_404(User.objects.visible_to(request.user), pk=int(person_pk))
    except ValueError:
        raise Http404 from None


@login_required
@require_GET
def certificate(request: HttpRequest, day_pk: int) -> HttpResponse:
    day = _day(request, day_pk)
    person = _person(request)
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), day=day, user=person, attended=True)
    if person != request.user:
        log_view(request, invitation)  # someone else's attendance record, read by their manager or the team
    return _certificate(request, day, invitation)


def _certificate(request, day, invitation) -> HttpResponse:
    return render(
        request, "devdays/certificate.html", {"day": day, "invitation": invitation, "agenda": list(day.agenda.all())}
    )


@login_required
@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    """Attendance per person and per quarter: a worker sees their own; a manager their teams'; the
    development team everyone's. Never feedback."""
    form = forms.HistoryFilterForm(request.GET)
    year = form.year_or_now()
    person = _person(request) if request.GET.get("person") else None
    invitations = Invitation.objects.visible_to(request.user).filter(day__date__year=year).select_related("day")
    if person is not None:
        invitations = invitations.filter(user=person)
    days = list(DevelopmentDay.objects.filter(date__year=year).exclude(status=DayStatus.CANCELLED).order_by("date"))
    people: dict[tuple, dict] = {}
    for inv in invitations.order_by("full_name", "pk"):
        key = ("user", inv.user_id) if inv.user_id else ("email", inv.email or inv.pk)
        row = people.setdefault(
            key, {"name": inv.full_name, "user_id": inv.user_id, "trainee": inv.trainee_id is not None, "days": {}}
        )
        row["days"][inv.day_id] = inv
    rows = [
        {
            **row,
            "cells": [row["days"].get(day.pk) for day in days],
            "attended": sum(1 for i in row["days"].values() if i.attended),
        }
        for row in people.values()
    ]
    return render(
        request,
        "devdays/attendance.html",
        {
            "form": form,
            "year": year,
            "days": days,
            "rows": rows,
            "person": person,
            "everyone": request.user.is_development_team or request.user.is_superuser,
        },
    )


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    _planner(request)
    form = forms.HistoryFilterForm(request.GET)
    year = form.year_or_now()
    rows = figures.day_rows(figures.year_days(year))
    return render(
        request,
        "devdays/figures.html",
        {"form": form, "year": year, "rows": rows, "quarters": figures.quarter_rows(rows)},
    )


def _figures_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _planner(request)
    year = forms.HistoryFilterForm(request.GET).year_or_now()
    rows = figures.day_rows(figures.year_days(year))
    cells = [r.cells() for r in rows] + [r.cells() for r in figures.quarter_rows(rows)]
    stem = f"development-days-{year}"
    if fmt == "csv":
        return exports.csv_response(stem, figures.HEADER, cells)
    return exports.xlsx_response(stem, f"Development days {year}", figures.HEADER, cells)


@login_required
@require_GET
def figures_csv(request: HttpRequest) -> HttpResponse:
    return _figures_download(request, "csv")


@login_required
@require_GET
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    return _figures_download(request, "xlsx")


@login_required
@GET_POST
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The person's secret calendar address: made on request, revocable (a new one can follow)."""
    feed = CalendarFeed.objects.active().filter(user=request.user).first()
    if request.method == "POST":
        if request.POST.get("action") == "revoke" and feed:
            feed.revoke()
            messages.success(request, "Your calendar address is turned off. Calendars subscribed to it stop updating.")
        elif request.POST.get("action") == "create" and not feed:
            CalendarFeed.current_for(user=request.user)
            messages.success(request, "Your calendar address is ready: copy it into Outlook or Google Calendar.")
        return redirect("devdays:my-calendar")
    return render(
        request, "devdays/my_calendar.html", {"feed_url": links.absolute(feed.get_absolute_url()) if feed else ""}
    )
