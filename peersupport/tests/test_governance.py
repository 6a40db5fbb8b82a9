"""The core's side of subject access and retention: the plug-in points and the pages' templates."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from peersupport import plugins
from peersupport.governance.export import show


def test_subjects_and_their_records_registered_twice_are_refused():
    with pytest.raises(ImproperlyConfigured):
        plugins.register_subject("person", model="caseload.Person", search=None, get=None)
    with pytest.raises(ImproperlyConfigured):
        plugins.register_subject_records("caseload", lambda subject: [])


def test_an_object_no_app_holds_records_about_has_none():
    assert plugins.subject_records(object()) == []


def test_values_are_shown_as_the_export_shows_them():
    import datetime as dt
    from zoneinfo import ZoneInfo

    assert show(dt.date(2026, 11, 23)) == "23 Nov 2026"
    assert show(dt.datetime(2026, 6, 1, 11, 30, tzinfo=ZoneInfo("UTC"))) == "1 Jun 2026, 12:30"
    assert show(True) == "Yes" and show(None) == ""
