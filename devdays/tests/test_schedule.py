import datetime as dt

from devdays import schedule


def test_the_rule_gives_one_working_day_per_quarter():
    dates = [p.date for p in schedule.propose(2026, schedule.Rule())]
    assert dates == [dt.date(2026, 2, 11), dt.date(2026, 5, 13), dt.date(2026, 8, 12), dt.date(2026, 11, 11)]
    assert all(d.weekday() == 2 for d in dates)


def test_a_rule_date_on_a_bank_holiday_moves_to_the_next_working_day():
    # The first Monday of May is the early May bank holiday; the last Monday of August another.
    rule = schedule.Rule(week=schedule.WeekOfMonth.FIRST, weekday=schedule.Weekday.MONDAY, month_in_quarter=1)
    may = schedule.propose(2027, rule)[1]
    assert may.rule_date == dt.date(2027, 5, 3)
    assert may.date == dt.date(2027, 5, 4)
    assert "May Day" in may.note
    august = schedule.propose(2027, schedule.Rule(week=-1, weekday=0, month_in_quarter=1))[2]
    assert (august.rule_date, august.date) == (dt.date(2027, 8, 30), dt.date(2027, 8, 31))


def test_no_proposal_is_ever_a_weekend_or_a_bank_holiday():
    for year in range(2025, 2031):
        for week in schedule.WeekOfMonth.values:
            for weekday in schedule.Weekday.values:
                for month in schedule.MonthInQuarter.values:
                    for p in schedule.propose(year, schedule.Rule(week=week, weekday=weekday, month_in_quarter=month)):
                        assert schedule.day_problem(p.date) == "", p


def test_day_problem_names_the_bank_holiday_and_the_weekend():
    assert schedule.day_problem(dt.date(2026, 12, 25)) == "25 Dec 2026 is a bank holiday (Christmas Day)."
    assert schedule.day_problem(dt.date(2026, 12, 5)) == "5 Dec 2026 is a Saturday."
    assert schedule.day_problem(dt.date(2026, 12, 2)) == ""
