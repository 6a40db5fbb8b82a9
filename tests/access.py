"""The access sweep: every URL pattern, as every role, with ids the role must not see.

URL patterns are discovered from the URLconf, never listed by hand. Each keyword argument in a
pattern is filled from an "outsider" world: a team, its staff and the records that no role in the
cast may reach. Each app brings its part of that world, its keyword fillers and its extra roles in
its test plug-in (peersupport.plugins.register_tests); this module imports no app. A pattern
whose keyword has no filler fails the guard test, so a new URL cannot slip past the sweep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peersupport import plugins
from peersupport.models import Role, Team, User
from peersupport.tests.factories import OUTSIDER_MARKER, TeamFactory, make_worker

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
    "health",
}

# Pages that show the whole trust's records to the roles allowed them (the audit, to administrators
# and the information governance lead): the outsider's name may appear there for those roles only.
TRUST_WIDE: dict[str, Callable[[User], bool]] = {
    name: lambda user: user.can_search_audit for name in ("audit-search", "audit-search-csv", "audit-search-xlsx")
}

# Keyword arguments naming reference data that every signed-in member of staff may read. Their
# routes are checked like lists: sign-in required, never a 500, never an outsider's record.
SHARED_KWARGS: set[str] = set()


@dataclass
class Outsider:
    """Records nobody in the cast may see. Apps add theirs as attributes or in `extra`."""

    team: Team
    manager: User
    psw: User
    extra: dict[str, Any] = field(default_factory=dict)


OUTSIDER_BUILDERS: list[Callable[[Outsider], None]] = []

KWARG_FILLERS: dict[str, Callable[[Outsider], Any]] = {
    # Password reset links: a made-up link must show "this link does not work", never a 500.
    "uidb64": lambda o: "MQ",
    "token": lambda o: "set-password",
}


def plugin_modules() -> list:
    return [import_module(path) for path in plugins.registered_test_modules()]


for _module in plugin_modules():
    if hasattr(_module, "build_outsider"):
        OUTSIDER_BUILDERS.append(_module.build_outsider)
    KWARG_FILLERS |= getattr(_module, "FILLERS", {})
    SHARED_KWARGS |= set(getattr(_module, "SHARED_KWARGS", ()))
    PUBLIC_URL_NAMES |= set(getattr(_module, "PUBLIC_URL_NAMES", ()))
    TRUST_WIDE |= getattr(_module, "TRUST_WIDE", {})


def build_outsider() -> Outsider:
    team = TeamFactory(name="Hidden Valley CMHT")
    manager = make_worker(team, Role.MANAGER, first_name="Hugo", last_name="Hidden")
    psw = make_worker(team, first_name="Hattie", last_name="Hidden")
    outsider = Outsider(team=team, manager=manager, psw=psw)
    for build in OUTSIDER_BUILDERS:
        build(outsider)
    return outsider


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
                # 503 is the health page's honest answer when a part is down; any other 5xx broke.
                if (status >= 500 and status != 503) or OUTSIDER_MARKER in body:
                    failures.append(where)
            elif user is None:
                if not _is_sign_in_redirect(response):
                    failures.append(where + ": anonymous must be sent to sign in")
            elif route.kwargs and not set(route.kwargs) <= SHARED_KWARGS:
                if status != 404:
                    failures.append(where + ": an out-of-reach record must answer 404")
            elif status >= 500:
                failures.append(where + ": list broke")
            elif OUTSIDER_MARKER in body and not TRUST_WIDE.get(route.url_name, lambda user: False)(user):
                failures.append(where + ": list leaked an out-of-reach record")
    return failures


def sweep_one_session(
    client: Client, outsider: Outsider, allowed: set[str], redirect_to: str, urlconf: str | None = None
) -> list[str]:
    """Request every route in the client's one session (signed in as the test arranged); each route
    whose name is not in `allowed` must redirect to `redirect_to`, and none may break."""
    failures = []
    for route in discover_routes(urlconf):
        if any(k not in KWARG_FILLERS for k in route.kwargs):
            failures.append(f"{route.name}: no filler")
            continue
        url = reverse(route.name, kwargs={k: KWARG_FILLERS[k](outsider) for k in route.kwargs}, urlconf=urlconf)
        response = client.get(url)
        if response.status_code == 405 and route.url_name != "logout":  # signing out would end the sweep
            response = client.post(url)
        where = f"{route.name} ({url}) -> {response.status_code}"
        if response.status_code >= 500 and route.url_name != "health":
            failures.append(where + ": broke")
        elif route.url_name not in allowed and not (
            response.status_code == 302 and response["Location"].startswith(redirect_to)
        ):
            failures.append(where + f": must redirect to {redirect_to}")
    return failures
