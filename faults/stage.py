"""The app's own models, run in a subprocess against a database the fault runs started (the
settings come from the environment: the production settings with that DATABASE_URL and the web
server's SECRET_KEY). `python faults/stage.py COMMAND '{json params}'` prints one JSON line.

Sessions are made here as `login()` makes them, so the clients skip the password hasher's cost
(hundreds of sign-ins would otherwise be what the runs measure)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from caseload import services  # noqa: E402
from caseload.models import AdvanceStatement, Person, PersonStatus, RecoveryPlan  # noqa: E402
from peersupport import reminders  # noqa: E402
from peersupport.middleware import SESSION_KEY as LAST_ACTIVITY  # noqa: E402
from peersupport.middleware import SIGNED_IN_AT  # noqa: E402
from peersupport.models import Membership, Role, Team, User  # noqa: E402
from peersupport.testing import authenticator_for  # noqa: E402
from peersupport.twofactor import AUTHENTICATED_AT  # noqa: E402

BACKEND = "peersupport.backends.StaffBackend"  # as settings.AUTHENTICATION_BACKENDS signs staff in


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_ACTIVITY] = store[SIGNED_IN_AT] = timezone.now().timestamp()
    # Signed in with the second factor too, as the code page leaves a session.
    store[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    store[AUTHENTICATED_AT] = timezone.now().timestamp()
    store.create()
    return store.session_key


def sessions(params: dict) -> dict:
    """Sessions for existing users by email (the load run's trust, built by bench/board.py)."""
    users = User.objects.in_bulk(params["emails"], field_name="email")
    return {"sessions": {email: session_for(users[email]) for email in params["emails"]}}


@transaction.atomic
def trust(params: dict) -> dict:
    """`teams` teams, each with a manager and `workers` peer support workers, one person each;
    with `documents`, a first plan and advance statement for each person."""
    tag = params.get("tag", "faults")
    out: dict = {"teams": []}
    for t in range(params["teams"]):
        team = Team.objects.create(name=f"{tag} team {t + 1}", service="Community")
        manager = User.objects.create(
            email=f"{tag}.manager{t + 1}@example.nhs.uk", first_name="Manager", last_name=f"{t + 1}", password="!"
        )
        Membership.objects.create(user=manager, team=team, role=Role.MANAGER)
        entry = {"team": team.pk, "manager": session_for(manager), "workers": []}
        for w in range(params["workers"]):
            worker = User.objects.create(
                email=f"{tag}.worker{t + 1}.{w + 1}@example.nhs.uk",
                first_name="Worker",
                last_name=f"{t + 1}.{w + 1}",
                password="!",
            )
            Membership.objects.create(user=worker, team=team, role=Role.PSW)
            person = Person.objects.create(
                given_name="Sam",
                family_name=f"Person {t + 1}.{w + 1}",
                team=team,
                assigned_worker=worker,
                referral_source="care_coordinator",
                referral_date=dt.date(2026, 1, 5),
                referral_reason="Would like support to get back into the community.",
                consent_date=dt.date(2026, 1, 12),
                status=PersonStatus.ACTIVE,
                phone="01234 567890",
                address="1 First Street",
            )
            if params.get("documents"):
                for model, text in ((RecoveryPlan, "wellness_toolbox"), (AdvanceStatement, "wishes")):
                    services.save_version(
                        document=model(
                            **{
                                text: "The first version.",
                                "agreed_on": dt.date(2026, 2, 1),
                                "review_on": dt.date(2027, 2, 1),
                            }
                        ),
                        person=person,
                        by=worker,
                        based_on=0,
                    )
            entry["workers"].append({"session": session_for(worker), "person": person.pk, "user": worker.pk})
        out["teams"].append(entry)
    return out


def queue(params: dict) -> dict:
    """One reminder to a member of staff, due now."""
    user = User.objects.get(pk=params["user"])
    reminders.queue(
        [
            reminders.reminder_for(
                kind=params.get("kind", "lone_working"),
                obj=user,
                recipient_id=user.pk,
                stage=params["stage"],
                title=params.get("title", "A reminder after the restart"),
            )
        ]
    )
    return {"queued": 1}


@transaction.atomic
def records(params: dict) -> dict:
    """`contacts` contacts for each person of the teams (through the ORM, so summaries and history
    are written as the app writes them), and an outbox as a backup finds it: `sent` reminders
    already sent, `pending` due now and `in_flight` claimed by a sender at this moment."""
    from caseload.models import Contact
    from peersupport.models import Reminder, ReminderStatus

    people = list(Person.objects.filter(team_id__in=params["teams"]).select_related("assigned_worker"))
    now = timezone.now()
    for person in people:
        for n in range(params["contacts"]):
            Contact.objects.create(
                person=person,
                worker=person.assigned_worker,
                contact_at=now - dt.timedelta(days=n + 1),
                contact_type="phone",
                duration_minutes=20,
                notes=f"Backup run contact {n + 1}.",
                written_with_person=True,
            )
    states = {"sent": params["sent"], "pending": params["pending"], "in_flight": params["in_flight"]}
    rows = []
    for state, count in states.items():
        for n in range(count):
            worker = people[n % len(people)].assigned_worker
            rows.append(
                reminders.reminder_for(
                    kind="lone_working", obj=worker, recipient_id=worker.pk, stage=f"{state}-{n}", title=f"{state} {n}"
                )
            )
    reminders.queue(rows)
    for state in states:
        batch = Reminder.objects.filter(stage__startswith=f"{state}-")
        if state == "sent":
            batch.update(status=ReminderStatus.SENT, sent_at=now, email_sent_at=now, attempts=1)
        elif state == "in_flight":
            batch.update(status=ReminderStatus.SENDING, claimed_at=now, claim_token="original/abc", attempts=1)
    return {
        "reminders": {
            s: list(Reminder.objects.filter(stage__startswith=f"{s}-").values_list("pk", flat=True)) for s in states
        }
    }


def summaries_agree(params: dict) -> dict:
    """Each person's stored summary against one computed afresh from the records: a contact whose
    summary update was lost (a half-written change) shows as a disagreement."""
    from caseload.models import PersonSummary
    from caseload.summaries import PERSON_FIELDS, _person_rows

    people = Person.objects.filter(team_id__in=params["teams"])
    stored = {s.person_id: s for s in PersonSummary.objects.filter(person__in=people)}
    fresh = {s.person_id: s for s in _person_rows(people)}
    differ = [
        pk
        for pk, summary in fresh.items()
        if pk not in stored or any(getattr(summary, f) != getattr(stored[pk], f) for f in PERSON_FIELDS)
    ]
    return {"people": len(fresh), "differ": differ}


COMMANDS = {
    "sessions": sessions,
    "trust": trust,
    "queue": queue,
    "summaries_agree": summaries_agree,
    "records": records,
}

if __name__ == "__main__":
    print(json.dumps(COMMANDS[sys.argv[1]](json.loads(sys.argv[2]))))
