"""Staff see the same suitability as the seeker got when reacting: one mapping of the data to the rules."""

from django.utils import timezone

from allocation import offers, reacting
from allocation.models import Reaction
from allocation.tests.test_reacting import listing, region_001, registration, seeker


def test_a_single_person_is_too_small_a_household_for_four_rooms_on_both_sides(woonkracht):
    """A8: "at most household size + 2 rooms". The applicant is one member of the household, not two."""
    person = seeker()
    region = region_001(woonkracht)
    reg = registration(person, region)  # the household: only the applicant
    home = listing(region, woonkracht, 1, rooms=4)
    assert reacting.refusal_for(reg, home, now=timezone.now(), rules_only=True)
    Reaction.objects.create(listing=home, registration=reg, seeker=person, reacted_at=timezone.now())
    [row] = offers.candidates(home)
    assert not row.suitable.ok


def test_three_rooms_suit_a_single_person_on_both_sides(woonkracht):
    person = seeker()
    region = region_001(woonkracht)
    reg = registration(person, region)
    home = listing(region, woonkracht, 2, rooms=3)
    assert reacting.refusal_for(reg, home, now=timezone.now(), rules_only=True) is None
    Reaction.objects.create(listing=home, registration=reg, seeker=person, reacted_at=timezone.now())
    [row] = offers.candidates(home)
    assert row.suitable.ok
