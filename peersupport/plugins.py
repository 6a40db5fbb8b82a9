"""Registration points for the apps, so that a new app never edits the core.

After pretix's signals (register_notification_types, periodic_task, nav_event): each app's
`AppConfig.ready()` registers its notification kinds, reminder scans, home-page sections,
navigation entries and test plug-in (sweep fillers and cast) here. The core reads the registry
and imports no app.

    from peersupport import plugins

    plugins.register_kind("training_expiry", "Training about to expire", email_default=True)
    plugins.register_scan(scan_expiring_training, every=timedelta(hours=1), order=50)  # default: every beat
    plugins.register_home_section("training", template="training/home/_mine.html", context=my_training)
    plugins.register_nav("Training", "training:overview", visible=lambda user: user.is_authenticated)
    plugins.register_tests("training.tests.plugin")
    plugins.register_audit_subjects("training", {"Enrolment": "trainee", "Course": None})
    plugins.register_audit_search("training.Trainee", find_trainees)
    plugins.register_escalation_contact("supervision", supervisor_of)

Registration is idempotent per name only in the sense that a second registration of the same name is
an error raised at start-up (ImproperlyConfigured), never a silent override.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.http import HttpRequest

# A reminder (peersupport.models.Reminder): not imported, as the models import this registry.
Reminder = Any

# Scans that protect people run before every other scan in a run.
SAFETY_ORDER = 0
DEFAULT_ORDER = 100


# Notification kinds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str | bytes
    mimetype: str


@dataclass(frozen=True)
class Kind:
    """A kind of notification. `safety` kinds are always emailed, whatever the recipient prefers.

    `email_templates` is a path prefix: PREFIX_subject.txt, PREFIX_body.txt and PREFIX_body.html
    (the html is optional). `email_context(reminder)` adds to the templates' context (answer or
    unsubscribe links for recipients without an account); `attachments(reminder)` returns the
    files to attach (an .ics calendar file). `headers(reminder)` adds email headers.
    `still_wanted(reminder)` is asked just before sending: False drops the message (someone who
    withdrew their consent to be contacted after it was queued is never contacted)."""

    value: str
    label: str
    safety: bool = False
    email_default: bool = True
    email_templates: str = "emails/reminder"
    email_context: Callable[[Reminder], dict] | None = None
    attachments: Callable[[Reminder], list[Attachment]] | None = None
    headers: Callable[[Reminder], dict[str, str]] | None = None
    still_wanted: Callable[[Reminder], bool] | None = None


_kinds: dict[str, Kind] = {}


def register_kind(value: str, label: str, **options: Any) -> Kind:
    if not value or len(value) > 30:
        raise ImproperlyConfigured(f"A notification kind needs a name of 1 to 30 characters, not {value!r}.")
    if value in _kinds:
        raise ImproperlyConfigured(f"The notification kind {value!r} is registered twice.")
    kind = Kind(value=value, label=label, **options)
    _kinds[value] = kind
    return kind


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind(value: str) -> Kind:
    """The registered kind; a row left by an app that was removed still reads, as a plain kind."""
    return _kinds.get(value) or Kind(value=value, label=value.replace("_", " ").capitalize())


def safety_kinds() -> frozenset[str]:
    return frozenset(k.value for k in _kinds.values() if k.safety)


# Reminder scans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """A plain function `scan(now) -> int` (rows queued), run in `order` (safety scans first) on every
    beat, or, when `every` is given, at most that often (an hourly or daily scan)."""

    name: str
    function: Callable[..., int]
    every: timedelta | None
    order: int


_scans: dict[str, Scan] = {}


def register_scan(
    function: Callable[..., int] | str,
    *,
    every: timedelta | None = None,
    order: int = DEFAULT_ORDER,
    name: str | None = None,
) -> Scan:
    if isinstance(function, str):
        function = import_string(function)
    name = name or f"{function.__module__}.{function.__qualname__}"
    if name in _scans:
        raise ImproperlyConfigured(f"The reminder scan {name!r} is registered twice.")
    if every is not None and every <= timedelta(0):
        raise ImproperlyConfigured(f"The reminder scan {name!r} must run every so often, not every {every}.")
    scan = Scan(name=name, function=function, every=every, order=order)
    _scans[name] = scan
    return scan


def scans() -> list[Scan]:
    return sorted(_scans.values(), key=lambda scan: (scan.order, scan.name))


# Home-page sections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSection:
    """A section of the role-aware home page. `context(request)` returns the section's context, merged
    into the page's, or None to leave the section out for this user."""

    name: str
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int


_home_sections: dict[str, HomeSection] = {}


def register_home_section(
    name: str, *, template: str, context: Callable[[HttpRequest], dict | None], order: int = DEFAULT_ORDER
) -> HomeSection:
    if name in _home_sections:
        raise ImproperlyConfigured(f"The home section {name!r} is registered twice.")
    section = HomeSection(name=name, template=template, context=context, order=order)
    _home_sections[name] = section
    return section


def home_sections() -> list[HomeSection]:
    return sorted(_home_sections.values(), key=lambda section: (section.order, section.name))


# Navigation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu, shown when `visible(user)`. `label` may depend on the user. The entry is
    marked as the current page when the URL name (namespace included) starts with one of `active`."""

    name: str
    label: str | Callable[[Any], str]
    url_name: str
    visible: Callable[[Any], bool]
    order: int
    active: tuple[str, ...] = field(default=())

    def label_for(self, user) -> str:
        return self.label(user) if callable(self.label) else self.label

    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, view_name: str) -> bool:
        prefixes = self.active or (self.url_name,)
        return any(view_name == prefix or view_name.startswith(prefix) for prefix in prefixes)


_nav: dict[str, NavEntry] = {}


def register_nav(
    label: str | Callable[[Any], str],
    url_name: str,
    *,
    visible: Callable[[Any], bool],
    order: int = DEFAULT_ORDER,
    active: tuple[str, ...] = (),
    name: str | None = None,
) -> NavEntry:
    name = name or url_name
    if name in _nav:
        raise ImproperlyConfigured(f"The navigation entry {name!r} is registered twice.")
    entry = NavEntry(name=name, label=label, url_name=url_name, visible=visible, order=order, active=active)
    _nav[name] = entry
    return entry


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda entry: (entry.order, entry.name))


# Demo data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSeeder:
    """`seed(staff)` adds the app's demo records (safe to run again) and returns lines to print."""

    name: str
    seed: Callable[[Any], list[str] | None]
    order: int


_demo: dict[str, DemoSeeder] = {}


def register_demo(name: str, seed: Callable[[Any], list[str] | None], *, order: int = DEFAULT_ORDER) -> None:
    if name in _demo:
        raise ImproperlyConfigured(f"The demo seeder {name!r} is registered twice.")
    _demo[name] = DemoSeeder(name=name, seed=seed, order=order)


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_demo.values(), key=lambda seeder: (seeder.order, seeder.name))


# Audit: whom each record is about ----------------------------------------------------------------

# Model label ("caseload.Contact") -> the paths to whom the record is about, tried in order (the first
# that is set wins): "" is the record itself (a person, a member of staff), "person" a foreign key,
# "session__agreement__supervisee" a chain of them. An empty tuple: the record is about nobody.
_audit_subjects: dict[str, tuple[str, ...]] = {}


def register_audit_subjects(app_label: str, subjects: dict[str, str | tuple[str, ...] | None]) -> None:
    """Say, for each of an app's models, whom its records are about (see `audit_subject_paths`).
    Every model with history needs an entry (None for records about nobody in particular)."""
    for model_name, paths in subjects.items():
        label = f"{app_label}.{model_name}"
        if label.lower() in _audit_subjects:
            raise ImproperlyConfigured(f"Whom {label} is about is registered twice.")
        _audit_subjects[label.lower()] = () if paths is None else (paths,) if isinstance(paths, str) else tuple(paths)


def audit_subject_paths(model) -> tuple[str, ...] | None:
    """The registered paths for a model (class or label); None when its app said nothing about it."""
    label = model if isinstance(model, str) else model._meta.label
    return _audit_subjects.get(label.lower())


# Model label -> `find(text) -> QuerySet` of that model's records matching a search of the audit by
# whom it is about (a person by name or NHS number). The core finds members of staff itself.
_audit_searches: dict[str, Callable[[str], Any]] = {}


def register_audit_search(label: str, find: Callable[[str], Any]) -> None:
    if label.lower() in _audit_searches:
        raise ImproperlyConfigured(f"The audit search for {label} is registered twice.")
    _audit_searches[label.lower()] = find


def audit_searches() -> dict[str, Callable[[str], Any]]:
    return dict(_audit_searches)


# Escalation contacts -----------------------------------------------------------------------------

# Name -> `find(worker, person, among) -> (user, role) | None`: whom a worker raising a risk concern
# about a person escalates it to by default, from their own setup (their supervisor), and the role
# that user holds for it (an EscalationRole value, "supervisor"). `among` is a queryset of the staff
# the form offers: a suggestion is one of them, or none. One query at most; the form keeps the choice
# open and falls back to the manager of the person's team when no plug-in suggests anyone.
_escalation_contacts: dict[str, Callable[[Any, Any, Any], tuple[Any, str] | None]] = {}


def register_escalation_contact(name: str, find: Callable[[Any, Any, Any], tuple[Any, str] | None]) -> None:
    if name in _escalation_contacts:
        raise ImproperlyConfigured(f"The escalation contact {name!r} is registered twice.")
    _escalation_contacts[name] = find


def escalation_contact(worker, person, among) -> tuple[Any, str] | None:
    """The first registered plug-in's suggestion (in registration order), or None."""
    for find in _escalation_contacts.values():
        suggestion = find(worker, person, among)
        if suggestion is not None:
            return suggestion
    return None


# Tests -------------------------------------------------------------------------------------------

# Dotted paths of each app's test plug-in module (imported by the tests only). A module may define:
#   extend_trust(trust)            add the app's records and people to the fixed cast;
#   cast(trust) -> dict[str, User] extra roles the access sweep signs in as (a supervisor, a mentor);
#   build_outsider(outsider)       records nobody in the cast may reach;
#   FILLERS: dict[str, Callable]   URL keyword -> value taken from the outsider;
#   SHARED_KWARGS: set[str]        keywords naming reference data every member of staff may read;
#   PUBLIC_URL_NAMES: set[str]     pages anyone may open without signing in (signed links).
_test_modules: list[str] = []


def register_tests(module: str) -> None:
    if module in _test_modules:
        raise ImproperlyConfigured(f"The test plug-in {module!r} is registered twice.")
    _test_modules.append(module)


def registered_test_modules() -> list[str]:
    return list(_test_modules)


# Subject access and retention --------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSet:
    """One type of record held about one person, for a subject access export and a retention review.

    `rows` is a queryset of the records about that person only; `history` their django-simple-history
    rows. `exclude` names fields never exported (they hold nothing about the person, or could name
    someone else). A reviewed destruction blanks the free text of the rows and of their history (who
    and when stay), unless `destroy` is False (records about staff, such as a cover of their caseload)."""

    slug: str
    title: str
    rows: Any
    history: Any | None = None
    exclude: tuple[str, ...] = ()
    destroy: bool = True

    @property
    def model(self):
        return self.rows.model


@dataclass(frozen=True)
class Subject:
    """A kind of person the trust holds records about (the caseload's person supported).

    `model` is "app_label.ModelName". `search(user, words, born_on)` returns the matching subjects the
    user may govern (a queryset; none for anyone but the information governance lead); `get(user, pk)`
    one of them or None. `retention(today)` yields (subject, last_activity, basis, due_on) for each
    subject whose records are due for a retention review."""

    name: str
    model: str
    search: Callable[..., Any]
    get: Callable[[Any, int], Any]
    retention: Callable[..., Any] | None = None


_subjects: dict[str, Subject] = {}
_subject_records: dict[str, tuple[int, Callable[[Any], list[RecordSet]]]] = {}


def register_subject(name: str, **options: Any) -> Subject:
    if name in _subjects:
        raise ImproperlyConfigured(f"The subject {name!r} is registered twice.")
    subject = Subject(name=name, **options)
    _subjects[name] = subject
    return subject


def subjects() -> list[Subject]:
    return list(_subjects.values())


def register_subject_records(name: str, records: Callable[[Any], list[RecordSet]], *, order: int = DEFAULT_ORDER):
    """`records(subject)` returns the RecordSets an app holds about that subject (an empty list for a
    subject it holds nothing about). Every model with a key to the subject must be in one of them."""
    if name in _subject_records:
        raise ImproperlyConfigured(f"The subject records {name!r} are registered twice.")
    _subject_records[name] = (order, records)


def subject_records(subject) -> list[RecordSet]:
    found: list[RecordSet] = []
    for _order, records in sorted(_subject_records.values(), key=lambda item: item[0]):
        found.extend(records(subject))
    return found
