import datetime as dt

import time_machine
from django.utils import timezone

from peersupport.templatetags.display import ago, nhs_number


@time_machine.travel(dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC))
def test_days_ago_reads_today_and_yesterday_in_london():
    now = timezone.now()
    assert ago(now) == "today"
    assert ago(now - dt.timedelta(hours=1)) == "yesterday"  # 23:30 on the 22nd in London
    assert ago(dt.date(2026, 11, 20)) == "3 days ago"
    assert ago(None) == ""


def test_nhs_numbers_are_shown_in_three_groups():
    assert nhs_number("9434765919") == "943 476 5919"
    assert nhs_number("943 476 5919") == "943 476 5919"
    assert nhs_number("") == "" and nhs_number(None) == ""
    assert nhs_number("12345") == "12345"
