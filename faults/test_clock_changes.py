"""Clock changes in Europe/London (the last Sundays of March and October 2027): daily and one-off
reminders through the registered scans and the outbox, with the beat simulated every 5 minutes by
time_machine over three days around each change. None skipped, none doubled, each at its London
time; one set for 01:30 on the October day (a time that happens twice) fires once, at the first.
A daily time that does not exist on the March day (01:30) fires at the instant it would have been,
02:30 BST, which is 01:30 GMT.

No app has a daily reminder yet, so this one is defined here through peersupport.plugins, as an app
would. The lone-working alert (caseload's own scan) is timed across the October change too."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from caseload.kinds import NotificationKind
from caseload.models import SafetySettings, Visit
from faults.conftest import record
from peersupport import plugins, reminders
from peersupport.models import Notification, Reminder, ReminderStatus

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
DAILY = "faults_daily_check_in"
ONE_OFF = "faults_one_off"
TICK = dt.timedelta(minutes=5)
SPRING, AUTUMN = dt.date(2027, 3, 28), dt.date(2027, 10, 31)  # the last Sundays of March and October
STATE: dict = {"daily": []}  # (user pk, London time of day); empty outside these tests


def london(day: dt.date, at: dt.time) -> dt.datetime:
    """A London wall-clock time as an aware datetime, as Django's make_aware gives it: a time that
    happens twice is the first (BST); one that never happens is read in the offset before the change
    (01:30 on the March day is 01:30 GMT, 02:30 BST)."""
    return dt.datetime.combine(day, at, tzinfo=LONDON)


def scan_daily(now: dt.datetime) -> int:
    """Each daily reminder of today (London), due at its London time; keyed by the day, so it is
    queued once per day however often the scan runs."""
    if not STATE["daily"]:
        return 0
    today = timezone.localdate(now)
    from peersupport.models import User

    users = User.objects.in_bulk([pk for pk, _ in STATE["daily"]])
    return reminders.queue(
        [
            reminders.reminder_for(
                kind=DAILY,
                obj=users[pk],
                recipient_id=pk,
                stage=f"{at:%H%M}-{today.isoformat()}",
                title=f"Your {at:%H:%M} check-in",
                due_at=london(today, at),
            )
            for pk, at in STATE["daily"]
        ]
    )


plugins.register_kind(DAILY, "Daily check-in (fault run)")
plugins.register_kind(ONE_OFF, "One-off reminder (fault run)")
plugins.register_scan(scan_daily, every=dt.timedelta(hours=1), order=900, name="faults.daily")


def run_beat(start: dt.datetime, end: dt.datetime, every_tick=None) -> int:
    """Beat every TICK from start to end: the scans, then the sender, as run_reminder_scans and
    send_reminders do. The clock moves in UTC: arithmetic on London times is wall-clock arithmetic,
    which would skip October's repeated hour and step back in March's missing one."""
    ticks = 0
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    with time_machine.travel(start, tick=False) as clock:
        now = start
        while now < end:
            if every_tick:
                every_tick(now)
            reminders.run_scans(now)
            reminders.send_due_reminders()
            now += TICK
            clock.move_to(now)
            ticks += 1
    return ticks


@pytest.fixture
def daily(trust):
    STATE["daily"] = [(trust.psw.pk, dt.time(9, 0)), (trust.colleague.pk, dt.time(1, 30))]
    yield STATE["daily"]
    STATE["daily"] = []


def sent_times(kind: str) -> dict[str, list[dt.datetime]]:
    times: dict[str, list[dt.datetime]] = {}
    for stage, sent_at in Reminder.objects.filter(kind=kind, status=ReminderStatus.SENT).values_list(
        "stage", "sent_at"
    ):
        times.setdefault(stage, []).append(sent_at)
    return times


@pytest.mark.django_db
@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["march", "october"])
def test_daily_and_one_off_reminders_across_a_clock_change(trust, daily, mailoutbox, change):
    days = [change - dt.timedelta(days=1), change, change + dt.timedelta(days=1)]
    one_offs = {
        "noon": london(change, dt.time(12, 0)),
        "0130": london(change, dt.time(1, 30)),  # twice in October (fold 0 is the first); never in March
        "0059": london(change, dt.time(0, 59)),
        "0300": london(change, dt.time(3, 0)),
    }
    reminders.queue(
        [
            reminders.reminder_for(
                kind=ONE_OFF, obj=trust.psw, recipient_id=trust.psw.pk, stage=name, title=name, due_at=due
            )
            for name, due in one_offs.items()
        ]
    )
    start = london(days[0], dt.time(0, 0))
    ticks = run_beat(start, london(days[-1] + dt.timedelta(days=1), dt.time(0, 0)))
    assert ticks == (72 + (1 if change == AUTUMN else -1)) * 12  # three days, one of them 25 or 23 hours

    daily_sent = sent_times(DAILY)
    expected = {f"{at:%H%M}-{day.isoformat()}": london(day, at) for _, at in daily for day in days}
    assert set(daily_sent) == set(expected)  # none skipped, none extra
    for stage, due in expected.items():
        assert len(daily_sent[stage]) == 1  # none doubled
        assert due <= daily_sent[stage][0] < due + TICK, (stage, daily_sent[stage][0].astimezone(LONDON))
    # Each at its London time: 09:00 on the clock every day, before and after the change.
    for day in days:
        assert timezone.localtime(daily_sent[f"0900-{day.isoformat()}"][0]).time() == dt.time(9, 0)

    one_off_sent = sent_times(ONE_OFF)
    assert {name: len(times) for name, times in one_off_sent.items()} == dict.fromkeys(one_offs, 1)
    for name, due in one_offs.items():
        assert due <= one_off_sent[name][0] < due + TICK
    half_past_one = one_off_sent["0130"][0]
    if change == AUTUMN:
        # 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT): it goes at the first, once.
        assert half_past_one.astimezone(UTC).time() == dt.time(0, 30)
    else:
        # 01:30 never happens on the March day: it goes at 01:30 GMT, when the clock reads 02:30 BST.
        assert timezone.localtime(half_past_one).time() == dt.time(2, 30)

    emails = Counter(m.extra_headers["Message-ID"] for m in mailoutbox)
    assert set(emails.values()) == {1}  # each reminder emailed once (the apps' own scans' too)
    ours = {reminders.message_id(r) for r in Reminder.objects.filter(kind__in=[DAILY, ONE_OFF])}
    assert len(ours & set(emails)) == len(expected) + len(one_offs)
    record(
        f"3. Clock change {change:%d %b %Y}",
        beat_ticks=ticks,
        daily_reminders_due=len(expected),
        daily_sent_once_on_time=sum(len(t) == 1 for t in daily_sent.values()),
        one_offs_sent_once_on_time=sum(len(t) == 1 for t in one_off_sent.values()),
        one_off_0130_sent_at_utc=half_past_one.astimezone(UTC).strftime("%H:%M"),
        emails=len(mailoutbox),
    )


@pytest.mark.django_db
def test_a_lone_working_visit_overdue_in_the_repeated_hour_alerts_once_per_step_on_time(trust, mailoutbox):
    """The visit ends at 01:20 BST on the October day; with 15 minutes' grace the worker is alerted
    at 01:35 BST (00:35 UTC), then each step 15 minutes on, through the hour that repeats."""
    cfg = SafetySettings.load()
    end = london(AUTUMN, dt.time(1, 20))  # the first 01:20 (BST)
    grace = dt.timedelta(minutes=cfg.visit_grace_minutes)
    step = dt.timedelta(minutes=cfg.visit_escalation_minutes)
    created = []

    def open_visit(now: dt.datetime) -> None:
        if not created and now >= end - dt.timedelta(hours=1):
            created.append(
                Visit.objects.create(
                    worker=trust.psw,
                    person=trust.person,
                    team=trust.north,
                    location="12 Oak Road",
                    expected_end=end,
                    buddy=trust.colleague,
                    next_alert_at=end + grace,
                )
            )

    run_beat(london(AUTUMN, dt.time(0, 0)), london(AUTUMN, dt.time(4, 0)), every_tick=open_visit)
    alerts = list(
        Reminder.objects.filter(kind=NotificationKind.LONE_WORKING).order_by("sent_at").values_list("stage", "sent_at")
    )
    assert alerts, "no lone-working alert went"
    stages = Counter(stage for stage, _ in alerts)
    assert all(n <= 3 for n in stages.values())  # a step may alert several people, never one twice
    first = alerts[0][1]
    assert end + grace <= first < end + grace + TICK  # 00:35 UTC, not an hour late or early
    steps = sorted({sent for _, sent in alerts})
    for earlier, later in itertools.pairwise(steps):
        assert step <= later - earlier < step + TICK  # each step 15 minutes on, through the repeated hour
    per_person = Counter(
        (n.recipient_id, n.reminder.stage) for n in Notification.objects.select_related("reminder").all()
    )
    assert set(per_person.values()) == {1}
    record(
        "3. Lone-working alert, October change",
        first_alert_utc=first.astimezone(UTC).strftime("%H:%M"),
        steps=len(steps),
        alerts=len(alerts),
    )
