"""Migration 0009 counts this month's contacts, this quarter's goals achieved and open risk concerns
for the summaries that already exist, so the board is right straight after the upgrade."""

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from caseload.models import GoalStatus, PersonSummary
from caseload.tests.factories import ContactFactory, RecoveryGoalFactory
from caseload.tests.safety_helpers import concern_for

migration = importlib.import_module("caseload.migrations.0009_summary_period_counts")


def test_existing_summaries_get_their_counts(trust):
    ContactFactory(person=trust.person, contact_at=timezone.now() - dt.timedelta(hours=2))
    RecoveryGoalFactory(person=trust.person, status=GoalStatus.ACHIEVED, status_changed_on=timezone.localdate())
    concern_for(trust)
    fields = ["contacts_month", "contacts_in_month", "goals_quarter", "goals_achieved_in_quarter", "open_risk_concerns"]
    kept = PersonSummary.objects.filter(person=trust.person).values(*fields).get()
    assert (kept["contacts_in_month"], kept["goals_achieved_in_quarter"], kept["open_risk_concerns"]) == (1, 1, 1)
    PersonSummary.objects.update(
        contacts_month=None, contacts_in_month=0, goals_quarter=None, goals_achieved_in_quarter=0, open_risk_concerns=0
    )
    migration.count_for_existing_summaries(apps, None)
    assert PersonSummary.objects.filter(person=trust.person).values(*fields).get() == kept
