"""The development days' section of the home page: the next days and the worker's own answer."""

from __future__ import annotations

from django.http import HttpRequest

from peersupport import plugins

from .forms import AnswerForm
from .models import DevelopmentDay, Invitation

HOME_DAYS = 2


def my_days(request: HttpRequest) -> dict | None:
    user = request.user
    if not (user.is_psw or user.is_development_team):
        return None
    days = list(DevelopmentDay.objects.visible_to(user).upcoming()[:HOME_DAYS])
    mine = {inv.day_id: inv for inv in Invitation.objects.filter(user=user, day__in=[d.pk for d in days])}
    rows = []
    for day in days:
        inv = mine.get(day.pk)
        form = AnswerForm.for_invitation(inv, prefix=f"day{day.pk}") if inv and day.is_open else None
        rows.append((day, inv, form))
    return {"devdays_rows": rows}


def register() -> None:
    plugins.register_home_section("devdays", template="devdays/home/_days.html", context=my_days, order=500)
