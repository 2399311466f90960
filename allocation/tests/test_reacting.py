"""Reacting (A5): every refusal with its reason, the regions' limits, withdrawing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from allocation import reacting
from allocation.models import Block, Offer, Reaction
from conftest import client_for, make_person, make_unit
from portal.errors import DomainError
from portal.tests.files import pdf_bytes

# --- shared set-up (test_registration and the concurrency test use it too) ---


def region_001(corporation):
    from allocation.models import Region

    region = Region.objects.create(
        name="Hoeksche Waard", slug="hw", limit_kind="reactions", max_reactions=2, default_ordering="reacties"
    )
    region.corporations.add(corporation)
    return region


def region_002(corporation):
    from allocation.models import Region

    region = Region.objects.create(
        name="Zuidwest",
        slug="zw",
        limit_kind="offers",
        max_provisional_offers=2,
        unregistered_rent_threshold=Decimal("720.42"),
        registration_fee=Decimal("17.50"),
        renewal_fee=Decimal("17.50"),
        split_fee=Decimal("35.00"),
    )
    region.corporations.add(corporation)
    return region


def listing(region, corporation, n, **fields):
    from allocation.models import Listing

    unit = make_unit(corporation, None, 100 + n, postcode=f"3{n:03d} AB")
    defaults = {
        "title": f"Woning {n}",
        "rooms": 3,
        "base_rent": Decimal("600.00"),
        "ordering_policy": region.default_ordering,
        "state": "published",
        "published_at": timezone.now() - timedelta(hours=1),
        "reaction_deadline": timezone.now() + timedelta(days=7),
    }
    return Listing.objects.create(
        region=region, corporation=corporation, unit=unit, number=f"A{n:04d}", **(defaults | fields)
    )


def seeker(email="zoeker@example.nl", birth=date(1990, 5, 1)):
    return make_person(email, None, birth_date=birth)


def registration(person, region, documents=True, **fields):
    from allocation.models import Document, HouseholdMember, Registration

    defaults = {
        "number": f"WZ-{person.pk}-{region.slug}",
        "state": "active",
        "registered_on": date(2024, 1, 1),
        "renew_by": timezone.localdate() + timedelta(days=200),
        "household_income": Decimal("30000"),
        "lived_in_region_since": date(2015, 1, 1),
    }
    reg = Registration.objects.create(seeker=person, region=region, **(defaults | fields))
    HouseholdMember.objects.create(
        registration=reg, name="Zelf", birth_date=person.birth_date, relation="aanvrager"
    )
    if documents:
        for kind in ("id", "income"):
            doc = Document(registration=reg, kind=kind, original_name=f"{kind}.pdf")
            doc.file.save(f"{kind}.pdf", ContentFile(pdf_bytes()), save=False)
            doc.save()
    return reg


@pytest.fixture
def hw(woonkracht):
    return region_001(woonkracht)


@pytest.fixture
def zw(waardwonen):
    return region_002(waardwonen)


@pytest.fixture
def zoeker(hw):
    person = seeker()
    registration(person, hw)
    return person


def refused(person, home) -> str:
    with pytest.raises(DomainError) as info:
        reacting.react(person, home)
    return str(info.value)


def test_it_reacts(zoeker, hw, woonkracht):
    reaction = reacting.react(zoeker, listing(hw, woonkracht, 1))
    assert reaction.state == "active" and reaction.registration.seeker == zoeker


def test_it_refuses_without_registration(hw, woonkracht):
    assert "niet ingeschreven" in refused(seeker("ander@example.nl"), listing(hw, woonkracht, 1))


def test_it_lets_react_without_registration_above_the_threshold(zw, waardwonen):
    home = listing(zw, waardwonen, 1, base_rent=Decimal("800"), ordering_policy="eerste-reactie")
    assert reacting.react(seeker("ander@example.nl"), home).registration is None


def test_it_refuses_without_documents(hw, woonkracht):
    person = seeker("ander@example.nl")
    registration(person, hw, documents=False)
    assert "documenten" in refused(person, listing(hw, woonkracht, 1))


def test_it_refuses_while_blocked(zoeker, hw, woonkracht):
    reg = zoeker.registrations.get()
    today = timezone.localdate()
    Block.objects.create(registration=reg, starts_on=today, ends_on=today + timedelta(days=7), reason="x")
    assert "geblokkeerd" in refused(zoeker, listing(hw, woonkracht, 1))


def test_it_ignores_a_block_past_its_end(zoeker, hw, woonkracht):
    reg = zoeker.registrations.get()
    today = timezone.localdate()
    Block.objects.create(registration=reg, starts_on=today - timedelta(days=8), ends_on=today, reason="x")
    assert reacting.react(zoeker, listing(hw, woonkracht, 1))


def test_it_refuses_when_not_admitted(hw, woonkracht):
    person = seeker("ander@example.nl")
    registration(person, hw, lived_in_region_since=timezone.localdate() - timedelta(days=30))
    assert "geen jaar in de regio" in refused(person, listing(hw, woonkracht, 1))


def test_it_refuses_under_18(hw, woonkracht):
    person = seeker("jong@example.nl", birth=timezone.localdate() - timedelta(days=365 * 17))
    registration(person, hw)
    assert "jonger dan 18" in refused(person, listing(hw, woonkracht, 1))


def test_it_refuses_the_wrong_category(zoeker, hw, woonkracht):
    assert "doorstromers" in refused(zoeker, listing(hw, woonkracht, 1, category="doorstromer"))


def test_it_refuses_too_many_rooms(zoeker, hw, woonkracht):
    assert "te veel kamers" in refused(zoeker, listing(hw, woonkracht, 1, rooms=4))


def test_it_refuses_a_rent_too_high_for_the_income(hw, woonkracht):
    person = seeker("ander@example.nl")
    registration(person, hw, household_income=Decimal("20000"))
    assert "huur is te hoog" in refused(person, listing(hw, woonkracht, 1, base_rent=Decimal("800")))


def test_it_refuses_below_the_minimum_age(zoeker, hw, woonkracht):
    assert "55 jaar" in refused(zoeker, listing(hw, woonkracht, 1, min_age=55))


def test_it_refuses_after_the_deadline(zoeker, hw, woonkracht):
    home = listing(hw, woonkracht, 1, reaction_deadline=timezone.now() - timedelta(minutes=1))
    assert "reactietermijn" in refused(zoeker, home)


def test_it_refuses_a_second_reaction_to_one_listing(zoeker, hw, woonkracht):
    home = listing(hw, woonkracht, 1)
    reacting.react(zoeker, home)
    assert "al op deze woning" in refused(zoeker, home)


def test_it_refuses_a_third_reaction_in_001(zoeker, hw, woonkracht):
    reacting.react(zoeker, listing(hw, woonkracht, 1))
    reacting.react(zoeker, listing(hw, woonkracht, 2))
    assert "2 woningen tegelijk" in refused(zoeker, listing(hw, woonkracht, 3))


def test_it_frees_a_place_on_withdrawal(zoeker, hw, woonkracht):
    first = reacting.react(zoeker, listing(hw, woonkracht, 1))
    reacting.react(zoeker, listing(hw, woonkracht, 2))
    reacting.reaction_withdraw(seeker=zoeker, pk=first.pk)
    assert reacting.react(zoeker, listing(hw, woonkracht, 3))


def test_it_allows_unlimited_reactions_in_002_until_two_offers(zw, waardwonen):
    person = seeker("zw@example.nl")
    registration(person, zw)
    reactions = [reacting.react(person, listing(zw, waardwonen, n)) for n in range(1, 6)]
    assert len(reactions) == 5
    for reaction in reactions[:2]:
        Offer.objects.create(
            reaction=reaction,
            kind="provisional",
            sent_at=timezone.now(),
            deadline=timezone.now() + timedelta(1),
        )
    assert "2 voorlopige aanbiedingen" in refused(person, listing(zw, waardwonen, 9))


def test_it_reacts_through_the_page(zoeker, hw, woonkracht):
    home = listing(hw, woonkracht, 1)
    client = client_for(zoeker)
    assert client.get(f"/woningzoekend/reageren/{home.number}/").status_code == 200
    response = client.post(f"/woningzoekend/reageren/{home.number}/")
    assert response.status_code == 302
    assert Reaction.objects.filter(listing=home, seeker=zoeker).exists()
    page = client.get("/woningzoekend/mijn/reacties/").content.decode()
    assert home.title in page


def test_it_shows_where_the_seeker_ended(zoeker, hw, woonkracht):
    home = listing(hw, woonkracht, 1)
    mine = reacting.react(zoeker, home)
    other = seeker("winnaar@example.nl")
    registration(other, hw)
    winner = reacting.react(other, home)
    Reaction.objects.filter(pk=winner.pk).update(position=1, deciding_value="12 correcte reacties")
    Reaction.objects.filter(pk=mine.pk).update(position=2)
    home.state = "allocated"
    home.save()
    page = client_for(zoeker).get("/woningzoekend/mijn/reacties/").content.decode()
    assert "Plaats 2" in page and "12 correcte reacties" in page


def test_it_hides_another_seekers_reactions(zoeker, hw, woonkracht):
    reaction = reacting.react(zoeker, listing(hw, woonkracht, 1))
    other = client_for(seeker("ander@example.nl"))
    assert other.post(f"/woningzoekend/mijn/reacties/{reaction.pk}/intrekken/").status_code == 404
    assert "Woning 1" not in other.get("/woningzoekend/mijn/reacties/").content.decode()
