"""The offer cycle end to end: listing → reactions → close → ranking → offer → expiry → block →
next candidate → accept → deregistration (A9–A13, A16)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from allocation import offers
from allocation.models import (
    Block,
    Listing,
    ListingState,
    Offer,
    OfferKind,
    Reaction,
    ReactionState,
    Region,
    Registration,
    RegistrationState,
)
from conftest import make_person, make_unit
from portal.errors import DomainError

AMS = ZoneInfo("Europe/Amsterdam")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=AMS)  # a Monday


def make_region(slug="hw", refusal_policy="warning", corporation=None):
    region = Region.objects.create(
        name=slug.upper(), slug=slug, limit_kind="reactions", max_reactions=2, refusal_policy=refusal_policy
    )
    if corporation:
        region.corporations.add(corporation)
    return region


def make_listing(
    region, corporation, number="A-1", kind="home", temporary=False, policy="reacties", **fields
):
    unit = make_unit(corporation, number=int(number.split("-")[1]) + 100, kind=kind)
    return Listing.objects.create(
        region=region,
        corporation=corporation,
        unit=unit,
        number=number,
        title=f"Woning {number}",
        rooms=2 if kind == "home" else None,
        base_rent=Decimal("550.00"),
        temporary=temporary,
        ordering_policy=policy,
        state=ListingState.PUBLISHED,
        published_at=T0 - timedelta(days=14),
        reaction_deadline=T0 - timedelta(hours=1),
        **fields,
    )


def make_seeker(region, name, *, correct=0, born=date(1980, 1, 1), watch=False, urgent=False):
    person = make_person(f"{name}@example.nl", birth_date=born)
    registration = Registration.objects.create(
        seeker=person,
        region=region,
        number=f"W-{name}",
        state=RegistrationState.ACTIVE,
        registered_on=date(2020, 1, 1),
        household_income=Decimal("30000"),
        lived_in_region_since=date(2010, 1, 1),
        correct_reactions=correct,
        watch_list=watch,
        urgent=urgent,
    )
    return registration


def react(listing, registration, minutes=0):
    return Reaction.objects.create(
        listing=listing,
        registration=registration,
        seeker=registration.seeker,
        reacted_at=T0 - timedelta(days=3, minutes=-minutes),
    )


@pytest.fixture
def setup(woonkracht, medewerker):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    first = make_seeker(region, "eerste", correct=12)
    second = make_seeker(region, "tweede", correct=11)
    third = make_seeker(region, "derde", correct=3)
    reactions = [react(listing, r, i) for i, r in enumerate([third, first, second])]
    return region, listing, [first, second, third], reactions


def test_the_offer_cycle_end_to_end(setup, medewerker):
    region, listing, (first, second, third), _ = setup

    offers.reaction_period_close(listing, medewerker, now=T0)
    listing.refresh_from_db()
    assert listing.state == ListingState.CLOSED
    ranked = Reaction.objects.filter(listing=listing).order_by("position")
    assert [r.registration for r in ranked] == [first, second, third]
    assert ranked[0].deciding_value == "12 correcte reacties"

    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    assert offer.reaction.registration == first
    assert offer.deadline == T0 + timedelta(hours=24)
    assert first.seeker.messages.filter(subject__contains="Voorlopige aanbieding").exists()

    # No answer in 24 hours: the job expires the offer, blocks a week and offers to the next.
    assert offers.offers_expire(now=T0 + timedelta(hours=23)) == 0
    later = T0 + timedelta(hours=24, minutes=15)
    assert offers.offers_expire(now=later) == 1
    offer.refresh_from_db()
    assert offer.expired_at == later
    block = Block.objects.get(registration=first)
    assert (block.starts_on, block.ends_on) == (date(2026, 3, 3), date(2026, 3, 10))
    second_offer = Offer.objects.get(reaction__registration=second)
    assert second_offer.kind == OfferKind.PROVISIONAL

    # The job run twice changes nothing.
    assert offers.offers_expire(now=later) == 0
    assert Block.objects.count() == 1 and Offer.objects.count() == 2

    offers.offer_answer(second_offer, True, now=later + timedelta(hours=1))
    final = offers.offer_send(listing, medewerker, OfferKind.FINAL, now=later + timedelta(hours=2))
    assert final.reaction.registration == second
    assert final.deadline == later + timedelta(hours=50)
    offers.offer_answer(final, True, now=later + timedelta(hours=3))

    listing.refresh_from_db()
    assert listing.state == ListingState.ALLOCATED
    states = dict(Reaction.objects.filter(listing=listing).values_list("registration__number", "state"))
    assert states == {"W-eerste": "expired", "W-tweede": "accepted", "W-derde": "not_chosen"}
    second.refresh_from_db()
    assert second.state == RegistrationState.ENDED


@pytest.mark.parametrize(("kind", "temporary"), [("garage", False), ("home", True)])
def test_accepting_a_garage_or_a_temporary_home_keeps_the_registration(
    woonkracht, medewerker, kind, temporary
):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht, kind=kind, temporary=temporary)
    seeker = make_seeker(region, "zoeker")
    react(listing, seeker)
    offers.reaction_period_close(listing, medewerker, now=T0)
    offer = offers.offer_send(listing, medewerker, OfferKind.FINAL, now=T0)
    offers.offer_answer(offer, True, now=T0 + timedelta(hours=1))
    seeker.refresh_from_db()
    assert seeker.state == RegistrationState.ACTIVE
    assert Listing.objects.get(pk=listing.pk).state == ListingState.ALLOCATED


def test_the_period_closes_early_only_by_choice(woonkracht, medewerker):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    with pytest.raises(DomainError):
        offers.reaction_period_close(listing, medewerker, now=T0 - timedelta(days=1))
    offers.reaction_period_close(listing, medewerker, now=T0 - timedelta(days=1), early=True)
    assert Listing.objects.get(pk=listing.pk).state == ListingState.CLOSED


def test_a_blocked_seeker_is_skipped_and_a_block_past_its_end_does_not_block(setup, medewerker):
    _, listing, (first, second, _third), _ = setup
    Block.objects.create(
        registration=first, starts_on=date(2026, 2, 1), ends_on=date(2026, 3, 10), reason="x"
    )
    offers.reaction_period_close(listing, medewerker, now=T0)
    assert offers.offer_send(listing, medewerker, OfferKind.POLL, now=T0).reaction.registration == second
    # On the block's end date it no longer blocks, though no job closed it.
    on_end = datetime(2026, 3, 10, 9, 0, tzinfo=AMS)
    assert offers.offer_send(listing, medewerker, OfferKind.POLL, now=on_end).reaction.registration == first


def test_a_second_missed_offer_blocks_a_month(setup, medewerker):
    _, listing, (first, *_), _ = setup
    Block.objects.create(
        registration=first, starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 8), reason="eerder"
    )
    offers.reaction_period_close(listing, medewerker, now=T0)
    offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    offers.offers_expire(now=T0 + timedelta(hours=25))
    block = Block.objects.get(registration=first, closed=False)
    assert (block.starts_on, block.ends_on) == (date(2026, 3, 3), date(2026, 4, 3))
    assert Block.objects.filter(registration=first).count() == 2


def test_refusing_in_001_warns_then_resets_the_count_in_the_same_year(setup, medewerker):
    _, listing, (first, second, third), _ = setup
    offers.reaction_period_close(listing, medewerker, now=T0)
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    offers.offer_answer(offer, False, reason="Te ver weg", now=T0 + timedelta(hours=1))
    first.refresh_from_db()
    assert first.correct_reactions == 12
    assert first.seeker.messages.filter(body__contains="waarschuwing").exists()
    # The next candidate got the offer at once; they refuse for a reason about the home: no sanction.
    offer = Offer.objects.get(reaction__registration=second)
    offers.offer_answer(offer, False, reason="Geen lift", concerns_home=True, now=T0 + timedelta(hours=2))
    second.refresh_from_db()
    assert second.correct_reactions == 11

    # A second refusal without such a reason in the same calendar year: the count goes to 0.
    other = make_listing(listing.region, listing.corporation, number="A-2")
    react(other, first)
    offers.reaction_period_close(other, medewerker, now=T0)
    offer = offers.offer_send(other, medewerker, OfferKind.PROVISIONAL, now=T0 + timedelta(days=2))
    offers.offer_answer(offer, False, reason="Toch niet", now=T0 + timedelta(days=2, hours=1))
    first.refresh_from_db()
    assert first.correct_reactions == 0


def test_refusing_in_002_costs_priority(woonkracht, medewerker):
    region = make_region("zw", refusal_policy="priority", corporation=woonkracht)
    listing = make_listing(region, woonkracht, policy="inschrijfduur")
    seeker = make_seeker(region, "urgent", urgent=True)
    react(listing, seeker)
    offers.reaction_period_close(listing, medewerker, now=T0)
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    offers.offer_answer(offer, False, reason="Toch niet", now=T0 + timedelta(hours=1))
    seeker.refresh_from_db()
    assert seeker.urgent is False and seeker.correct_reactions == 0


def refuse_final_after_accepting(region, corporation, medewerker, name):
    listing = make_listing(region, corporation, policy="inschrijfduur")
    seeker = make_seeker(region, name)
    react(listing, seeker)
    offers.reaction_period_close(listing, medewerker, now=T0)
    offers.offer_answer(offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0), True, now=T0)
    final = offers.offer_send(listing, medewerker, OfferKind.FINAL, now=T0 + timedelta(hours=2))
    offers.offer_answer(final, False, reason="Toch niet", now=T0 + timedelta(hours=3))
    return listing, seeker


def test_refusing_in_002_after_accepting_blocks_but_charges_no_fine_by_itself(woonkracht, medewerker):
    """002: "… kan de verhuurder … u een boete in rekening brengen en/of een blokkade … aanbrengen."
    The block follows; a fine is the corporation's own decision (no amount in the seed)."""
    from payments.models import OpenItem

    region = make_region("zw", refusal_policy="priority", corporation=woonkracht)
    listing, seeker = refuse_final_after_accepting(region, woonkracht, medewerker, "spijt")
    block = Block.objects.get(registration=seeker)
    assert "geweigerd na accepteren" in block.reason and block.ends_on == date(2026, 3, 9)
    assert not OpenItem.objects.filter(reference__startswith="BOE-").exists()


def test_refusing_after_accepting_in_001_or_a_provisional_offer_in_002_neither_blocks_nor_fines(
    woonkracht, medewerker
):
    from payments.models import OpenItem

    refuse_final_after_accepting(make_region(corporation=woonkracht), woonkracht, medewerker, "eenmaal")
    region = make_region("zw", refusal_policy="priority", corporation=woonkracht)
    listing = make_listing(region, woonkracht, number="A-2", policy="inschrijfduur")
    react(listing, make_seeker(region, "voorlopig"))
    offers.reaction_period_close(listing, medewerker, now=T0)
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    offers.offer_answer(offer, False, reason="Toch niet", now=T0 + timedelta(hours=1))
    assert not Block.objects.exists()
    assert not OpenItem.objects.filter(reference__startswith="BOE-").exists()


def test_a_watch_list_seeker_gets_no_offer_before_the_talk(woonkracht, medewerker):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    flagged = make_seeker(region, "gesignaleerd", correct=20, watch=True)
    other = make_seeker(region, "ander", correct=2)
    reaction = react(listing, flagged)
    react(listing, other)
    offers.reaction_period_close(listing, medewerker, now=T0)
    with pytest.raises(DomainError, match="signaleringslijst"):
        offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    assert not Offer.objects.exists()
    offers.watch_talk_record(reaction, medewerker, "Afspraken gemaakt over de huur.", now=T0)
    reaction.refresh_from_db()
    assert (reaction.watch_talk_at, reaction.watch_talk_by, reaction.watch_talk_offer) == (
        T0,
        medewerker,
        True,
    )
    assert reaction.watch_talk_note == "Afspraken gemaakt over de huur."
    flagged.refresh_from_db()
    assert "_watch_talks" not in (flagged.search_profile or {})
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    assert offer.reaction == reaction


def test_a_talk_that_says_no_passes_the_seeker_by(woonkracht, medewerker):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    flagged = make_seeker(region, "gesignaleerd", correct=20, watch=True)
    other = make_seeker(region, "ander", correct=2)
    reaction = react(listing, flagged)
    react(listing, other)
    offers.reaction_period_close(listing, medewerker, now=T0)
    offers.watch_talk_record(reaction, medewerker, "Niet aanbieden.", offer=False, now=T0)
    reaction.refresh_from_db()
    assert reaction.watch_talk_offer is False and reaction.state == ReactionState.NOT_CHOSEN
    assert (
        offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0).reaction.registration == other
    )


def test_an_expired_offer_is_no_refusal_for_the_001_sanction(setup, medewerker):
    """001 sanctions refusing ("u weigert … de woning"); not answering is blocked (A11), not counted."""
    _, listing, (first, *_), _ = setup
    offers.reaction_period_close(listing, medewerker, now=T0)
    offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    offers.offers_expire(now=T0 + timedelta(hours=25))
    assert Reaction.objects.get(registration=first).state == ReactionState.EXPIRED
    first.refresh_from_db()
    assert first.correct_reactions == 12
    assert not first.seeker.messages.filter(body__contains="waarschuwing").exists()
    # After the week's block, a refusal in the same year is the first refusal: a warning, the count stays.
    other = make_listing(listing.region, listing.corporation, number="A-2")
    react(other, first)
    offers.reaction_period_close(other, medewerker, now=T0)
    offer = offers.offer_send(other, medewerker, OfferKind.PROVISIONAL, now=T0 + timedelta(days=9))
    offers.offer_answer(offer, False, reason="Toch niet", now=T0 + timedelta(days=9, hours=1))
    first.refresh_from_db()
    assert first.correct_reactions == 12
    assert first.seeker.messages.filter(body__contains="waarschuwing").exists()


def test_a_late_answer_is_refused(setup, medewerker):
    _, listing, *_ = setup
    offers.reaction_period_close(listing, medewerker, now=T0)
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL, now=T0)
    with pytest.raises(DomainError):
        offers.offer_answer(offer, True, now=T0 + timedelta(hours=25))


def test_a_seeker_holding_the_maximum_of_provisional_offers_is_passed_over(woonkracht, medewerker):
    """002: "maximaal 2 voorlopige aanbiedingen tegelijk": a third one goes to the next candidate."""
    region = make_region("zw", corporation=woonkracht)
    region.max_provisional_offers = 2
    region.save()
    best = make_seeker(region, "beste", correct=12)
    next_one = make_seeker(region, "volgende", correct=11)
    homes = [make_listing(region, woonkracht, number=f"A-{n}") for n in (1, 2, 3)]
    for home in homes:
        react(home, best)
        react(home, next_one, 1)
        offers.reaction_period_close(home, medewerker, now=T0)
    first, second = (offers.offer_send(home, medewerker, OfferKind.PROVISIONAL, now=T0) for home in homes[:2])
    assert first.reaction.registration == best and second.reaction.registration == best
    third = offers.offer_send(homes[2], medewerker, OfferKind.PROVISIONAL, now=T0)
    assert third.reaction.registration == next_one
