"""What a person's page shows on its first screen before any section is opened: when they were last
seen, their next appointment, how many goals are active, when their plans are due for review, how
many risk concerns are open and the user's own visit in progress (the page reads the concerns and
the visit themselves only when there are some).

Written by hand, as the board's query is: it runs on every view of a person's page, and the ORM took
longer to build its six subqueries (about 3 ms) than the database takes to run them (well under 1 ms).
The person comes from the role-scoped queryset first; this reads only that person's records. The same
figures come from `PersonQuerySet.with_summary()` for lists, and a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import (
    NOT_SEEN_TYPES,
    AdvanceStatement,
    Appointment,
    AppointmentOutcome,
    ConcernStatus,
    Contact,
    EntryStatus,
    GoalStatus,
    Person,
    RecoveryGoal,
    RecoveryPlan,
    RiskConcern,
    Visit,
    VisitStatus,
)

# Names and values from the models and their choices, never from input; the person and the time are
# parameters. Ties on an appointment's time go to the earlier one booked, as in a list ordered by time.
_CONTACT, _APPOINTMENT, _GOAL = Contact._meta.db_table, Appointment._meta.db_table, RecoveryGoal._meta.db_table
_PLAN, _STATEMENT = RecoveryPlan._meta.db_table, AdvanceStatement._meta.db_table
_CONCERN, _VISIT = RiskConcern._meta.db_table, Visit._meta.db_table
_CURRENT, _PLANNED, _ACTIVE = EntryStatus.CURRENT.value, AppointmentOutcome.PLANNED.value, GoalStatus.ACTIVE.value
_NOT_SEEN = ", ".join(f"'{kind.value}'" for kind in NOT_SEEN_TYPES)

# When the person in the parameter was last seen, as PersonQuerySet.with_summary() has it.
LAST_SEEN_SQL = (
    f"SELECT max(c.contact_at) FROM {_CONTACT} c "  # noqa: S608
    f"WHERE c.person_id = %s AND c.entry_status = '{_CURRENT}' AND c.contact_type NOT IN ({_NOT_SEEN})"
)
ATTENTION_SQL = f"""
SELECT
    ({LAST_SEEN_SQL}),
    (SELECT a.starts_at FROM {_APPOINTMENT} a WHERE a.person_id = %s AND a.outcome = '{_PLANNED}'
        AND a.starts_at >= %s ORDER BY a.starts_at, a.id LIMIT 1),
    (SELECT a.title FROM {_APPOINTMENT} a WHERE a.person_id = %s AND a.outcome = '{_PLANNED}'
        AND a.starts_at >= %s ORDER BY a.starts_at, a.id LIMIT 1),
    (SELECT count(*) FROM {_GOAL} g
        WHERE g.person_id = %s AND g.entry_status = '{_CURRENT}' AND g.status = '{_ACTIVE}'),
    (SELECT v.review_on FROM {_PLAN} v WHERE v.person_id = %s AND v.entry_status = '{_CURRENT}'
        ORDER BY v.version DESC LIMIT 1),
    (SELECT v.review_on FROM {_STATEMENT} v WHERE v.person_id = %s AND v.entry_status = '{_CURRENT}'
        ORDER BY v.version DESC LIMIT 1),
    (SELECT count(*) FROM {_CONCERN} r WHERE r.person_id = %s AND r.status <> '{ConcernStatus.RESOLVED.value}'),
    (SELECT v.id FROM {_VISIT} v WHERE v.worker_id = %s AND v.status = '{VisitStatus.OPEN.value}'
        ORDER BY v.started_at DESC, v.id DESC LIMIT 1)
"""  # noqa: S608


@dataclass(frozen=True)
class Attention:
    last_seen_at: dt.datetime | None
    next_appointment_at: dt.datetime | None
    next_appointment_title: str | None
    active_goals: int
    plan_review_on: dt.date | None
    statement_review_on: dt.date | None
    open_concerns: int
    my_visit_id: int | None


def review_overdue(review_on: dt.date | None, today: dt.date) -> bool:
    """A plan or statement whose review date has passed."""
    return bool(review_on and review_on < today)


def _moment(value) -> dt.datetime | None:
    """A time as the database gave it: PostgreSQL an aware datetime, SQLite a text in UTC."""
    if value is None or isinstance(value, dt.datetime):
        return value
    moment = parse_datetime(value)
    return timezone.make_aware(moment, dt.UTC) if timezone.is_naive(moment) else moment


def _day(value) -> dt.date | None:
    return parse_date(value) if isinstance(value, str) else value


def attention_for(person: Person, user, now: dt.datetime | None = None) -> Attention:
    """The first screen's figures for one person, as `user` sees the page, in one query."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(now or timezone.now())
    pk = person.pk
    with connection.cursor() as cursor:
        cursor.execute(ATTENTION_SQL, [pk, pk, now, pk, now, pk, pk, pk, pk, user.pk])
        seen, next_at, next_title, goals, plan_on, statement_on, concerns, visit = cursor.fetchone()
    return Attention(
        last_seen_at=_moment(seen),
        next_appointment_at=_moment(next_at),
        next_appointment_title=next_title,
        active_goals=goals or 0,
        plan_review_on=_day(plan_on),
        statement_review_on=_day(statement_on),
        open_concerns=concerns or 0,
        my_visit_id=visit,
    )
