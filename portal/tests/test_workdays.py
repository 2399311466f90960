from datetime import date

from portal.workdays import add_working_days, is_working_day, working_days_between


def test_it_skips_good_friday_and_easter_monday():
    """A case opened on the Thursday before Easter 2026 (2 April) with two
    working days: Good Friday 3 April, the weekend and Easter Monday 6 April
    do not count, so it is due on Wednesday 8 April."""
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 8)


def test_it_skips_the_weekend():
    """Friday plus one working day is Monday."""
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_it_does_not_count_the_day_of_the_request():
    """A request on Monday with two working days is due on Wednesday."""
    assert add_working_days(date(2026, 11, 23), 2) == date(2026, 11, 25)


def test_it_counts_from_a_saturday_as_from_friday():
    assert add_working_days(date(2026, 11, 21), 2) == date(2026, 11, 24)


def test_it_skips_christmas_and_new_year():
    """Thursday 24 December 2026 plus two working days: Christmas (25th), the
    weekend and Boxing Day fall out, so Monday 28 and Tuesday 29 December."""
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 29)


def test_it_knows_kings_day_and_ascension_day():
    assert not is_working_day(date(2026, 4, 27))
    assert not is_working_day(date(2026, 5, 14))
    assert is_working_day(date(2026, 5, 13))


def test_zero_days_is_the_same_day():
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_it_counts_working_days_between_two_dates():
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 8)) == 2
