import datetime as dt

import pytest
from django.utils import timezone

from peersupport.tests.factories import make_worker
from supervision.tests.factories import ActionFactory, ContentFactory


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def content(trust):
    """What Sasha and Priya discussed on 'the trust's session, with one action for Priya."""
    ContentFactory(session=trust.session, updated_by=trust.supervisor)
    ActionFactory(session=trust.session, owner=trust.psw)
    return trust.session.content


@pytest.fixture
def new_worker(trust):
    return make_worker(trust.north, first_name="Nia", last_name="Newton", email="nia@example.nhs.uk")


def form_data(response, **changes) -> dict:
    """The values a form shows, as a browser would post them back, with some changed."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value if not hasattr(value, "isoformat") else value.isoformat()
    data.update(changes)
    return data
