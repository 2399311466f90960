"""The repair rules of seed 000 ("Hoe vraag ik een reparatie aan?" to "Hoe herstel ik een fout?").

Pure functions over plain values: no database. Each test quotes the sentence it follows.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from repairs import rules
from repairs.rules import AMSTERDAM, Address

#: Tuesday 1 December 2026, 10:00 in Amsterdam.
TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)


# --- "Hoe vraag ik een reparatie aan?" ------------------------------------------


def test_common_areas_can_be_chosen_as_well_as_rooms():
    """ "U kunt ook reparaties aanvragen voor gemeenschappelijke ruimten, zoals de lift of het portiek." """
    assert rules.is_common_area("lift")
    assert rules.is_common_area("portiek")
    assert not rules.is_common_area("woonkamer")
    assert not rules.is_common_area("onbekend")


def test_only_the_common_areas_the_complex_has_are_offered():
    """ "U komt deze optie tegen wanneer u de vragen doorloopt": a lift is offered only in a complex
    with a lift."""
    kind_locations = ["woonkamer", "keuken", "lift", "portiek", "galerij"]
    assert rules.offered_locations(kind_locations, {"lift", "portiek"}) == [
        "woonkamer",
        "keuken",
        "lift",
        "portiek",
    ]
    assert rules.offered_locations(kind_locations, set()) == ["woonkamer", "keuken"]


def test_search_ignores_case():
    """ "Gebruik de zoekfunctie wanneer u een reparatieverzoek wilt indienen": upper or lower case
    does not matter."""
    assert rules.search_matches("verwarming", "CV/Verwarming")
    assert rules.search_matches("RADIATOR", "radiator ketel")


def test_search_ignores_accents():
    """ "Gebruik de zoekfunctie …": 'een' finds 'Eén radiator' and 'creme' finds 'Crème'."""
    assert rules.search_matches("een radiator", "Eén radiator wordt niet warm")
    assert rules.search_matches("creme", "Crème tegels")
    assert rules.search_matches("één", "een radiator")


def test_search_finds_the_start_of_a_word():
    """ "Gebruik de zoekfunctie …": typing part of a word already finds the kind."""
    assert rules.search_matches("radia", "CV/Verwarming radiator ketel")
    assert rules.search_matches("cv", "CV/Verwarming")


def test_search_needs_every_word():
    """ "Gebruik de zoekfunctie …": more words narrow the search down."""
    assert rules.search_matches("ketel storing", "Ketel geeft storing")
    assert not rules.search_matches("ketel lekkage", "Ketel geeft storing")
    assert not rules.search_matches("glas", "CV/Verwarming radiator")


def test_an_empty_search_finds_nothing():
    """ "Gebruik de zoekfunctie …": an empty box is no search."""
    assert not rules.search_matches("", "CV/Verwarming")
    assert not rules.search_matches("   ", "CV/Verwarming")


# --- anonymous reports: postcode and house number ------------------------------

HOME = Address(id=1, letter="", addition="")
PARKING = Address(id=2, letter="", addition="P12")


def test_the_house_number_alone_finds_the_home():
    """ "Hiervoor hoeft u niet eerst in te loggen, dit kan ook op basis van postcode en huisnummer." """
    assert rules.match_address([HOME, PARKING], "") == 1


def test_the_addition_finds_the_unit_whatever_way_it_is_typed():
    """ "… op basis van postcode en huisnummer": 'P12', 'p 12' and '-P12' are one addition."""
    for typed in ("P12", "p12", "p 12", "-P12"):
        assert rules.match_address([HOME, PARKING], typed) == 2, typed


def test_a_house_letter_counts_as_addition():
    """ "… op basis van postcode en huisnummer": 12a is house letter A."""
    assert rules.match_address([Address(id=7, letter="A", addition="")], "a") == 7
    assert rules.addition_key("a", "2") == "A2"


def test_a_wrong_addition_finds_nothing():
    """ "… op basis van postcode en huisnummer": no guessing at an addition that does not exist."""
    assert rules.match_address([HOME, PARKING], "B") is None
    assert rules.match_address([PARKING], "") is None
    assert rules.match_address([], "") is None


def test_a_missing_addition_at_a_number_with_several_flats_finds_nothing():
    """ "… op basis van postcode en huisnummer": 12-1, 12-2 and 12-3 need the addition."""
    flats = [Address(id=i, letter="", addition=str(i)) for i in (1, 2, 3)]
    assert rules.match_address(flats, "") is None
    assert rules.match_address(flats, "2") == 2


def test_two_units_with_the_same_key_find_nothing():
    """ "… op basis van postcode en huisnummer": 12 A-2 and 12-A2 cannot be told apart, so neither
    is chosen."""
    assert rules.match_address([Address(1, "A", "2"), Address(2, "", "A2")], "A2") is None


# --- "Hoe maak ik een afspraak?" ------------------------------------------------


def test_blocks_are_two_hours():
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur." """
    assert rules.BLOCK_HOURS == 2
    assert all(end - start == 2 for start, end in rules.BLOCKS)
    assert [start for start, _end in rules.BLOCKS] == [8, 10, 12, 14]


def test_only_block_start_hours_can_be_booked():
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur": 9:00 is not a block."""
    day = date(2026, 12, 3)
    assert all(rules.may_book(day, hour, TUESDAY) for hour in (8, 10, 12, 14))
    assert not any(rules.may_book(day, hour, TUESDAY) for hour in (7, 9, 16, 18))


def test_block_times_are_amsterdam_time():
    """ "… tijdsblokken van twee uur": 8:00 in winter is 7:00 UTC, in summer 6:00 UTC."""
    assert rules.block_start(date(2026, 12, 2), 8).astimezone(UTC).hour == 7
    assert rules.block_start(date(2026, 7, 1), 8).astimezone(UTC).hour == 6


def test_the_no_show_fee_is_twenty_euros():
    """ "… zijn wij genoodzaakt om voorrijdkosten van twintig euro in rekening te brengen." """
    assert Decimal("20.00") == rules.NO_SHOW_FEE


def test_the_no_show_fee_only_once_the_mechanic_could_have_come():
    """ "… als de vakman komt voorrijden en u bent niet thuis …": not before the block has begun."""
    starts = rules.block_start(date(2026, 12, 2), 8)
    assert not rules.staff_may_mark_no_show("planned", starts, starts - timedelta(minutes=1))
    assert rules.staff_may_mark_no_show("planned", starts, starts)
    assert rules.staff_may_mark_no_show("fixed", starts, starts + timedelta(hours=1))
    assert not rules.staff_may_mark_no_show("cancelled", starts, starts + timedelta(hours=1))
    assert not rules.staff_may_mark_no_show("completed", starts, starts + timedelta(hours=1))


def test_the_first_blocks_start_on_the_next_working_day():
    """ "U krijgt een blok in beeld met de eerstvolgende mogelijkheden": from tomorrow, never today."""
    assert rules.first_bookable_day(TUESDAY) == date(2026, 12, 2)
    # Friday evening: Monday.
    assert rules.first_bookable_day(datetime(2026, 12, 4, 18, 0, tzinfo=AMSTERDAM)) == date(2026, 12, 7)


def test_the_first_bookable_day_follows_the_amsterdam_date():
    """ "… de eerstvolgende mogelijkheden": at 00:30 in Amsterdam it is already the next day there."""
    half_past_midnight = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # Wednesday 2 December, 00:30
    assert rules.first_bookable_day(half_past_midnight) == date(2026, 12, 3)


def test_a_block_today_cannot_be_booked():
    """ "… de eerstvolgende mogelijkheden": planning has fixed today's routes, so today is never offered."""
    assert not rules.may_book(date(2026, 12, 1), 14, TUESDAY)
    assert rules.may_book(date(2026, 12, 2), 8, TUESDAY)
    assert not rules.may_book(date(2026, 11, 30), 8, TUESDAY)


def test_weekends_cannot_be_booked():
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur": on working days."""
    assert not rules.may_book(date(2026, 12, 5), 10, TUESDAY)  # Saturday
    assert not rules.may_book(date(2026, 12, 6), 10, TUESDAY)  # Sunday
    assert rules.may_book(date(2026, 12, 7), 10, TUESDAY)  # Monday


def test_christmas_cannot_be_booked():
    """ "… tijdsblokken van twee uur" on working days: not on Christmas Day; on Christmas Eve the next
    block is on Monday 28 December."""
    christmas_eve = datetime(2026, 12, 24, 10, 0, tzinfo=AMSTERDAM)
    assert not rules.may_book(date(2026, 12, 25), 8, TUESDAY)
    assert rules.first_bookable_day(christmas_eve) == date(2026, 12, 28)
    assert rules.bookable_days(date(2026, 12, 24), date(2026, 12, 28)) == [
        date(2026, 12, 24),
        date(2026, 12, 28),
    ]


def test_good_friday_and_easter_monday_cannot_be_booked():
    """ "… tijdsblokken van twee uur" on working days: Goede Vrijdag (26 March 2027) and Tweede paasdag."""
    saturday_before = datetime(2027, 3, 20, 10, 0, tzinfo=AMSTERDAM)
    assert rules.may_book(date(2027, 3, 25), 8, saturday_before)
    assert not rules.may_book(date(2027, 3, 26), 8, saturday_before)
    assert not rules.may_book(date(2027, 3, 29), 8, saturday_before)
    assert rules.first_bookable_day(datetime(2027, 3, 25, 12, 0, tzinfo=AMSTERDAM)) == date(2027, 3, 30)


def test_blocks_can_be_booked_up_to_the_horizon():
    """ "Staat de door u gewenste tijd en datum er niet tussen? Klik dan op het kalendericoontje":
    the calendar reaches sixty days ahead, not further."""
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)
    assert rules.last_bookable_day(monday) == date(2027, 1, 29)
    assert rules.may_book(date(2027, 1, 29), 14, monday)
    assert not rules.may_book(date(2027, 2, 1), 8, monday)


@pytest.mark.parametrize(
    ("capacity", "booked", "room"), [(2, 0, True), (2, 1, True), (2, 2, False), (1, 0, True), (0, 0, False)]
)
def test_a_block_takes_as_many_repairs_as_it_has_places(capacity, booked, room):
    """ "Mocht u geen beschikbare tijden kunnen vinden …": a block with all places taken is not available."""
    assert rules.has_room(capacity, booked) is room


def test_the_reminder_goes_out_the_day_before():
    """ "Wij vragen u om deze twee uur vrij te houden en thuis te blijven": a reminder the day before."""
    today = date(2026, 12, 1)
    assert rules.reminder_due(date(2026, 12, 2), today, "planned")
    assert rules.reminder_due(date(2026, 12, 2), today, "fixed")
    assert not rules.reminder_due(date(2026, 12, 1), today, "planned")
    assert not rules.reminder_due(date(2026, 12, 3), today, "planned")


def test_no_reminder_for_an_appointment_that_no_longer_stands():
    """ "… thuis te blijven": not for a cancelled, completed or missed appointment."""
    for state in ("cancelled", "completed", "no_show"):
        assert not rules.reminder_due(date(2026, 12, 2), date(2026, 12, 1), state)


# --- "Hoe herstel ik een fout?" -------------------------------------------------


def test_the_tenant_may_cancel_until_planning_fixes_the_date():
    """ "U kunt totdat onze planning de datum definitief maakt het reparatieverzoek annuleren." """
    starts = rules.block_start(date(2026, 12, 2), 8)
    assert rules.tenant_may_change("planned", starts, TUESDAY)
    assert not rules.tenant_may_change("fixed", starts, TUESDAY)


def test_the_tenant_may_not_change_a_block_that_has_begun():
    """ "U kunt totdat onze planning de datum definitief maakt het reparatieverzoek annuleren":
    once the mechanic is on his way the date is as good as fixed."""
    starts = rules.block_start(date(2026, 12, 2), 8)
    assert rules.tenant_may_change("planned", starts, starts - timedelta(seconds=1))
    assert not rules.tenant_may_change("planned", starts, starts)
    assert not rules.tenant_may_change("planned", starts, starts + timedelta(hours=3))


def test_the_tenant_may_not_change_a_closed_repair():
    """ "Mocht uw reparatieverzoek niet meer te annuleren zijn … Neemt u dan contact op met ons
    klantencentrum." """
    starts = rules.block_start(date(2026, 12, 2), 8)
    for state in ("cancelled", "completed", "no_show"):
        assert not rules.tenant_may_change(state, starts, TUESDAY)


def test_planning_fixes_only_planned_repairs_and_moves_or_completes_open_ones():
    """ "… totdat onze planning de datum definitief maakt": fixing is planning's step; after it only
    staff change it."""
    assert rules.staff_may_fix("planned")
    assert not rules.staff_may_fix("fixed")
    assert all(rules.staff_may_reschedule(s) and rules.staff_may_complete(s) for s in ("planned", "fixed"))
    for state in ("cancelled", "completed", "no_show"):
        assert not rules.staff_may_reschedule(state)
        assert not rules.staff_may_complete(state)
