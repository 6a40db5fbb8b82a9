"""The development days' part of the shared test world (registered in DevdaysConfig.ready()).

Days are open to every member of staff (dates are given to anyone who asks), and the development team
sees every invitation, so the sweep treats a day and its agenda items as shared. The signed pages are
public: the sweep opens the outsider's answer link with the token of another invitation (it must not
show the outsider's name) and a revoked calendar address."""

from __future__ import annotations

import datetime as dt

from devdays import links
from devdays.models import CalendarFeed, DayStatus
from devdays.tests.factories import AgendaItemFactory, DayFactory, InvitationFactory
from peersupport.tests.factories import OUTSIDER_MARKER

SHARED_KWARGS = {"day_pk", "item_pk"}
PUBLIC_URL_NAMES = {"answer", "answer-calendar", "answer-certificate", "feed", "dates"}


def build_outsider(outsider) -> None:
    day = DayFactory(date=dt.date(2099, 2, 11), status=DayStatus.INVITED, venue="Hidden Valley hall")
    other = InvitationFactory(day=day, user=outsider.psw, email="", full_name="Hattie Hidden")
    # On a day no list of this year shows: only a broken answer link could put this name on a page.
    far_day = DayFactory(date=dt.date(2098, 5, 13), status=DayStatus.INVITED, venue="Hidden Valley hall")
    marked = InvitationFactory(day=far_day, full_name=OUTSIDER_MARKER, access_needs=OUTSIDER_MARKER)
    feed = CalendarFeed.objects.create(email=marked.email)
    feed.revoke()
    outsider.extra.update(
        devday=day,
        devday_item=AgendaItemFactory(day=day),
        devday_invitation=marked,
        devday_other_invitation=other,
        devday_feed=feed,
    )


FILLERS = {
    "day_pk": lambda o: o.extra["devday"].pk,
    "item_pk": lambda o: o.extra["devday_item"].pk,
    "invitation_pk": lambda o: o.extra["devday_invitation"].pk,
    # A genuine signature, but for another invitation: the link must reach nothing.
    "answer_token": lambda o: links.answer_token(o.extra["devday_other_invitation"].pk),
    "feed_token": lambda o: o.extra["devday_feed"].token,
}
