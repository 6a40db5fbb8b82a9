import datetime as dt

import icalendar
import pytest

from devdays.tests.factories import DayFactory
from training.tests.factories import TraineeFactory, completed_enrolment


@pytest.fixture
def trained(db):
    """Someone who completed the peer support training, is not in role and agreed to be contacted."""

    def make(name: str, email: str, **fields):
        trainee = TraineeFactory(full_name=name, email=email, **fields)
        completed_enrolment(trainee)
        return trainee

    return make


@pytest.fixture
def day(trust):
    return DayFactory(date=dt.date(2027, 2, 10), capacity=60, created_by=trust.dev_lead)


def calendar_of(message) -> icalendar.Calendar:
    """The .ics attached to an email, parsed back."""
    files = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(files) == 1, message.attachments
    _filename, content, mimetype = files[0]
    assert mimetype.startswith("text/calendar; method=")
    return icalendar.Calendar.from_ical(content)


def event_of(message):
    cal = calendar_of(message)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    return cal, events[0]
