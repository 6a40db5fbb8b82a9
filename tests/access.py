"""The access sweep: every URL pattern, as every role, with ids the role must not see.

URL patterns are discovered from the URLconf, never listed by hand. Each keyword argument in a
pattern is filled by KWARG_FILLERS from an "outsider" world: a team, its staff and a person that no
role in the cast may reach. A pattern whose keyword has no filler fails the guard test, so a new URL
cannot slip past the sweep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from caseload.models import CaseloadCover, Person
from caseload.tests.factories import (
    AdvanceStatementFactory,
    AppointmentFactory,
    ContactFactory,
    DialogAssessmentFactory,
    GoalRatingFactory,
    PersonFactory,
    RecoveryGoalFactory,
    RecoveryPlanFactory,
    ResourceFactory,
)
from peersupport.models import Role, Team, User
from peersupport.tests.factories import TeamFactory, make_worker

# Namespaces guarded by something other than our scoped querysets: Django's admin lets in
# is_staff users only (see test_admin_is_for_administrators_only).
EXCLUDED_NAMESPACES = {"admin"}

# Pages anyone may open without signing in. They hold no records.
PUBLIC_URL_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}

OUTSIDER_MARKER = "Zebedee Quartermaine"

# Keyword arguments naming reference data that every signed-in member of staff may read (the
# signposting directory holds no personal data). Their routes are checked like lists: sign-in
# required, never a 500, never an outsider's personal record.
SHARED_KWARGS = {"resource_pk"}


@dataclass
class Outsider:
    """Records nobody in the cast may see."""

    team: Team
    manager: User
    psw: User
    person: Person
    extra: dict[str, Any] = field(default_factory=dict)


OUTSIDER_BUILDERS: list[Callable[[Outsider], None]] = []


def _caseload_records(outsider: Outsider) -> None:
    person = outsider.person
    goal = RecoveryGoalFactory(person=person, created_by=outsider.psw)
    outsider.extra.update(
        contact=ContactFactory(person=person, worker=outsider.psw, notes=OUTSIDER_MARKER),
        goal=goal,
        rating=GoalRatingFactory(goal=goal, recorded_by=outsider.psw),
        plan=RecoveryPlanFactory(person=person, written_by=outsider.psw),
        statement=AdvanceStatementFactory(person=person, written_by=outsider.psw),
        appointment=AppointmentFactory(person=person, worker=outsider.psw),
        dialog=DialogAssessmentFactory(person=person, recorded_by=outsider.psw),
        resource=ResourceFactory(name="Hidden Valley allotments"),
    )


OUTSIDER_BUILDERS.append(_caseload_records)


def _manager_review_records(outsider: Outsider) -> None:
    """A colleague of the outsider worker covers their caseload, now."""
    colleague = make_worker(outsider.team, first_name="Harriet", last_name="Hidden")
    outsider.extra["cover"] = CaseloadCover.objects.create(
        team=outsider.team,
        absent_worker=outsider.psw,
        covering_worker=colleague,
        starts_on=dt.date(2000, 1, 1),
        ends_on=dt.date(2999, 12, 31),
        granted_by=outsider.manager,
    )


OUTSIDER_BUILDERS.append(_manager_review_records)


def build_outsider() -> Outsider:
    team = TeamFactory(name="Hidden Valley CMHT")
    manager = make_worker(team, Role.MANAGER, first_name="Hugo", last_name="Hidden")
    psw = make_worker(team, first_name="Hattie", last_name="Hidden")
    given, family = OUTSIDER_MARKER.split()
    person = PersonFactory(team=team, assigned_worker=psw, given_name=given, family_name=family)
    outsider = Outsider(team=team, manager=manager, psw=psw, person=person)
    for build in OUTSIDER_BUILDERS:
        build(outsider)
    return outsider


KWARG_FILLERS: dict[str, Callable[[Outsider], Any]] = {
    "person_pk": lambda o: o.person.pk,
    "contact_pk": lambda o: o.extra["contact"].pk,
    "goal_pk": lambda o: o.extra["goal"].pk,
    "rating_pk": lambda o: o.extra["rating"].pk,
    "plan_pk": lambda o: o.extra["plan"].pk,
    "statement_pk": lambda o: o.extra["statement"].pk,
    "appointment_pk": lambda o: o.extra["appointment"].pk,
    "dialog_pk": lambda o: o.extra["dialog"].pk,
    "resource_pk": lambda o: o.extra["resource"].pk,
    "cover_pk": lambda o: o.extra["cover"].pk,
    # Password reset links: a made-up link must show "this link does not work", never a 500.
    "uidb64": lambda o: "MQ",
    "token": lambda o: "set-password",
}


@dataclass
class Route:
    name: str
    kwargs: tuple[str, ...]

    @property
    def url_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]


def discover_routes(urlconf: str | None = None) -> Iterator[Route]:
    def walk(patterns, namespace: str | None, inherited: tuple[str, ...]):
        for entry in patterns:
            groups = tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.namespace in EXCLUDED_NAMESPACES:
                    continue
                ns = (
                    entry.namespace
                    if not namespace
                    else (f"{namespace}:{entry.namespace}" if entry.namespace else namespace)
                )
                yield from walk(entry.url_patterns, ns, inherited + groups)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name=name, kwargs=inherited + groups)

    seen = set()
    for route in walk(get_resolver(urlconf).url_patterns, None, ()):
        if route.name not in seen:
            seen.add(route.name)
            yield route


def unfillable(urlconf: str | None = None) -> list[str]:
    return [
        f"{route.name}: no filler for {kwarg}"
        for route in discover_routes(urlconf)
        for kwarg in route.kwargs
        if kwarg not in KWARG_FILLERS
    ]


def _is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def sweep(client: Client, users: dict[str, User | None], outsider: Outsider, urlconf: str | None = None) -> list[str]:
    """Request every route as every user; return what leaked or broke (empty means safe)."""
    failures = []
    for route in discover_routes(urlconf):
        missing = [k for k in route.kwargs if k not in KWARG_FILLERS]
        if missing:
            failures.append(f"{route.name}: no filler for {', '.join(missing)}")
            continue
        kwargs = {k: KWARG_FILLERS[k](outsider) for k in route.kwargs}
        url = reverse(route.name, kwargs=kwargs, urlconf=urlconf)
        for role, user in users.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            status = response.status_code
            where = f"{route.name} as {role} ({url}) -> {status}"
            body = response.content.decode(errors="replace") if status == 200 else ""
            if route.url_name in PUBLIC_URL_NAMES:
                if status >= 500 or OUTSIDER_MARKER in body:
                    failures.append(where)
            elif user is None:
                if not _is_sign_in_redirect(response):
                    failures.append(where + ": anonymous must be sent to sign in")
            elif route.kwargs and not set(route.kwargs) <= SHARED_KWARGS:
                if status != 404:
                    failures.append(where + ": an out-of-reach record must answer 404")
            elif status >= 500 or OUTSIDER_MARKER in body:
                failures.append(where + ": list leaked an out-of-reach record or broke")
    return failures


# Safety and notifications: a visit, a concern and a notification that belong to the outsider.
def _build_safety(outsider: Outsider) -> None:
    from caseload.models import ConcernSeverity, EscalationRole
    from caseload.safety import raise_concern, start_visit
    from peersupport.models import Notification, NotificationKind

    outsider.extra["visit"] = start_visit(
        worker=outsider.psw,
        person=outsider.person,
        location=f"{OUTSIDER_MARKER}'s home",
        expected_end=timezone.now() + timedelta(hours=1),
        buddy=outsider.manager,
    )
    outsider.extra["concern"] = raise_concern(
        person=outsider.person,
        contact=None,
        raised_by=outsider.psw,
        description=f"{OUTSIDER_MARKER} said something worrying.",
        severity=ConcernSeverity.HIGH,
        escalated_to=outsider.manager,
        escalated_to_role=EscalationRole.SUPERVISOR,
    )
    outsider.extra["notification"] = Notification.objects.create(
        recipient=outsider.psw, kind=NotificationKind.CONCERN_UPDATE, title=f"About {OUTSIDER_MARKER}"
    )


OUTSIDER_BUILDERS.append(_build_safety)
KWARG_FILLERS |= {
    "visit_pk": lambda o: o.extra["visit"].pk,
    "concern_pk": lambda o: o.extra["concern"].pk,
    "notification_pk": lambda o: o.extra["notification"].pk,
}
