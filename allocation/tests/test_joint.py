"""A co-applicant (A4): joining by invitation, the longest date counts, splitting with a fee."""

import re
from datetime import date

import pytest

from allocation import registrations
from allocation.models import Registration
from allocation.tests.test_reacting import region_002, registration, seeker
from conftest import client_for, make_person
from payments.models import OpenItem


@pytest.fixture
def zw(waardwonen):
    return region_002(waardwonen)


@pytest.fixture
def pair(zw):
    main = seeker("hoofd@example.nl")
    partner = seeker("partner@example.nl", birth=date(1991, 2, 3))
    mine = registration(main, zw, registered_on=date(2024, 1, 1))
    theirs = registration(partner, zw, registered_on=date(2022, 6, 1))
    return main, partner, mine, theirs


def join(main, partner, mine):
    response = client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "PARTNER@example.nl"}
    )
    assert response.status_code == 302
    return client_for(partner).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/accepteren/")


def test_joining_counts_the_longest_date_and_ends_the_partners_own(pair):
    main, partner, mine, theirs = pair
    assert "Verzoek medeaanvrager" not in client_for(partner).get("/woningzoekend/mijn/").content.decode()
    client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "partner@example.nl"}
    )
    page = client_for(partner).get("/woningzoekend/mijn/").content.decode()
    assert "Verzoek medeaanvrager" in page and mine.number in page
    assert (
        client_for(partner).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/accepteren/").status_code
        == 302
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.co_applicant == partner and theirs.state == "ended"
    assert registrations.counted_since(mine) == date(2022, 6, 1)
    assert "(medeaanvrager)" in client_for(partner).get("/woningzoekend/mijn/").content.decode()


def test_only_the_invited_seeker_can_accept_and_unknown_emails_are_refused(pair, zw):
    main, partner, mine, _theirs = pair
    other = seeker("ander@example.nl")
    registration(other, zw)
    client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "partner@example.nl"}
    )
    assert (
        client_for(other).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/accepteren/").status_code
        == 404
    )
    # Inviting from someone else's registration is a 404 too.
    assert (
        client_for(other)
        .post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "x@y.nl"})
        .status_code
        == 404
    )
    partner_page = client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "partner@example.nl"}, follow=True
    )
    nobody_page = client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "niemand@example.nl"}, follow=True
    )
    # The answer does not tell whether an address belongs to a seeker.
    said = [[m.message for m in page.context["messages"]] for page in (partner_page, nobody_page)]
    assert said[0] == said[1] and len(said[0]) == 1
    mine.refresh_from_db()
    assert mine.search_profile["co_invite"]["seeker"] == partner.pk  # unchanged by the refused invitation


def test_split_keeps_each_date_and_activates_the_split_off_after_paying(pair, settings):
    settings.MOLLIE_API_KEY = ""
    main, partner, mine, _theirs = pair
    join(main, partner, mine)
    outsider = seeker("buiten@example.nl")
    assert client_for(outsider).post(f"/woningzoekend/mijn/{mine.number}/splitsen/").status_code == 404
    client = client_for(partner)
    response = client.post(f"/woningzoekend/mijn/{mine.number}/splitsen/")
    assert response.status_code == 302 and "/betalen/demo/" in response.url
    mine.refresh_from_db()
    assert mine.co_applicant is None and mine.registered_on == date(2024, 1, 1)
    new = Registration.objects.get(seeker=partner, state="pending")
    assert new.registered_on == date(2022, 6, 1)
    item = OpenItem.objects.get(reference=f"SPL-{new.number}")
    assert item.amount == zw_fee(mine) and item.tenant == partner
    back = client.post(response.url, {"action": "pay", "bank": "ing"})
    client.get(back.url)
    new.refresh_from_db()
    assert new.state == "active" and new.registered_on == date(2022, 6, 1)


def zw_fee(registration):
    return registration.region.split_fee


def test_split_without_fee_is_active_at_once_and_deregistering_needs_a_split_first(pair, zw):
    main, partner, mine, _theirs = pair
    zw.split_fee = 0
    zw.save()
    join(main, partner, mine)
    client_for(main).post(f"/woningzoekend/mijn/{mine.number}/uitschrijven/")
    mine.refresh_from_db()
    assert mine.state == "active"
    client_for(main).post(f"/woningzoekend/mijn/{mine.number}/splitsen/")
    new = Registration.objects.get(seeker=partner, state="active")
    assert new.registered_on == date(2022, 6, 1)
    assert not OpenItem.objects.filter(reference__startswith="SPL-").exists()


def test_the_joint_date_counts_in_the_ranking(pair, zw, waardwonen):
    from django.utils import timezone

    from allocation import offers
    from allocation.models import Reaction
    from allocation.tests.test_reacting import listing

    main, partner, mine, _theirs = pair
    rival = registration(seeker("rivaal@example.nl"), zw, registered_on=date(2023, 1, 1))
    home = listing(zw, waardwonen, 1, ordering_policy="inschrijfduur")
    for reg in (mine, rival):
        Reaction.objects.create(listing=home, registration=reg, seeker=reg.seeker, reacted_at=timezone.now())
    assert offers.candidates(home)[0].reaction.registration == rival
    join(main, partner, mine)
    assert offers.candidates(home)[0].reaction.registration == mine


def test_the_invited_seeker_can_decline_and_the_inviter_is_told(pair, zw):
    from portal.models import Message

    main, partner, mine, theirs = pair
    other = seeker("ander@example.nl")
    registration(other, zw)
    client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "partner@example.nl"}
    )
    assert "weigeren" in client_for(partner).get("/woningzoekend/mijn/").content.decode()
    url = f"/woningzoekend/mijn/{mine.number}/medeaanvrager/weigeren/"
    # Someone else, or the inviter on their own number, gets a 404 and nothing changes.
    for person in (other, main):
        assert client_for(person).post(url).status_code == 404
        mine.refresh_from_db()
        assert registrations.CO_INVITE in mine.search_profile
    assert not Message.objects.filter(person=main).exists()
    assert client_for(partner).post(url).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert registrations.CO_INVITE not in mine.search_profile
    assert mine.co_applicant is None and theirs.state == "active"
    assert Message.objects.filter(person=main, subject="Verzoek medeaanvrager geweigerd").count() == 1
    assert "Verzoek medeaanvrager" not in client_for(partner).get("/woningzoekend/mijn/").content.decode()
    # Declined once, it cannot be accepted or declined again.
    assert client_for(partner).post(url).status_code == 404
    assert (
        client_for(partner).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/accepteren/").status_code
        == 404
    )


def test_the_inviter_can_withdraw_an_open_invitation(pair, zw):
    main, partner, mine, theirs = pair
    other = seeker("ander@example.nl")
    registration(other, zw)
    client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": "partner@example.nl"}
    )
    assert "intrekken" in client_for(main).get("/woningzoekend/mijn/").content.decode()
    url = f"/woningzoekend/mijn/{mine.number}/medeaanvrager/intrekken/"
    # Not the invited seeker nor anyone else: 404 and the invitation stays.
    for person in (other, partner):
        assert client_for(person).post(url).status_code == 404
        mine.refresh_from_db()
        assert registrations.CO_INVITE in mine.search_profile
    assert client_for(main).post(url).status_code == 302
    mine.refresh_from_db()
    assert registrations.CO_INVITE not in mine.search_profile
    assert "Verzoek medeaanvrager" not in client_for(partner).get("/woningzoekend/mijn/").content.decode()
    assert (
        client_for(partner).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/accepteren/").status_code
        == 404
    )
    # Nothing left to withdraw: an error message, no change.
    page = client_for(main).post(url, follow=True)
    assert [m.message for m in page.context["messages"]] == [
        "Er staat geen verzoek aan een medeaanvrager open."
    ]
    theirs.refresh_from_db()
    assert theirs.state == "active"


def _page(text: str, typed: str) -> str:
    """Mijn inschrijving without the address the inviter typed and what differs per request."""
    text = re.sub(r'nonce="[^"]+"', "", text.replace(typed, "ADRES"))
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'name="send_key" value="[^"]+"', "", text)


def test_the_inviters_page_is_the_same_whoever_the_address_belongs_to(pair):
    """A seeker in the region, an account that is no seeker there, an unknown address:
    the same message, the same page with the open invitation, and the same withdrawal."""
    main, _partner, mine, _theirs = pair
    make_person("huurder-elders@example.nl")
    client = client_for(main)
    invite = f"/woningzoekend/mijn/{mine.number}/medeaanvrager/"
    seen = []
    for typed in ("partner@example.nl", "huurder-elders@example.nl", "niemand@example.nl"):
        response = client.post(invite, {"email": typed}, follow=True)
        said = [m.message for m in response.context["messages"]]
        assert f"U heeft {typed} uitgenodigd" in response.text
        withdrawn = client.post(f"{invite}intrekken/", follow=True)
        seen.append(
            (
                response.redirect_chain,
                said,
                _page(response.text, typed),
                [m.message for m in withdrawn.context["messages"]],
            )
        )
    assert seen[0] == seen[1] == seen[2]


def test_only_a_seeker_in_the_region_hears_of_an_invitation(pair):
    from portal.models import Message

    main, partner, mine, _theirs = pair
    other = make_person("huurder-elders@example.nl")
    client_for(main).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": other.email})
    assert not Message.objects.filter(person=other).exists()
    assert "Verzoek medeaanvrager" not in client_for(other).get("/woningzoekend/mijn/").content.decode()


def test_a_second_invitation_waits_until_the_first_is_withdrawn(pair):
    main, _partner, mine, _theirs = pair
    client = client_for(main)
    invite = f"/woningzoekend/mijn/{mine.number}/medeaanvrager/"
    client.post(invite, {"email": "niemand@example.nl"})
    response = client.post(invite, {"email": "partner@example.nl"}, follow=True)
    assert [m.message for m in response.context["messages"]][-1] == (
        "Er staat al een verzoek aan een medeaanvrager open. Trek dat eerst in."
    )
    mine.refresh_from_db()
    assert mine.search_profile["co_invite"]["email"] == "niemand@example.nl"


def test_invitations_are_limited_per_inviter(pair):
    main, _partner, mine, _theirs = pair
    client = client_for(main)
    invite = f"/woningzoekend/mijn/{mine.number}/medeaanvrager/"
    for n in range(5):
        client.post(invite, {"email": f"persoon{n}@example.nl"})
        client.post(f"{invite}intrekken/")
    response = client.post(invite, {"email": "partner@example.nl"}, follow=True)
    assert [m.message for m in response.context["messages"]][-1] == (
        "U heeft dit te vaak geprobeerd. Probeer het over een uur opnieuw."
    )
    mine.refresh_from_db()
    assert "co_invite" not in mine.search_profile


def test_invitations_are_limited_per_visitor(zw):
    inviters = []
    for n in range(21):
        person = seeker(f"zoeker{n}@example.nl")
        inviters.append((person, registration(person, zw)))
    said = []
    for person, reg in inviters:
        response = client_for(person).post(
            f"/woningzoekend/mijn/{reg.number}/medeaanvrager/",
            {"email": "partner@example.nl"},
            follow=True,
            REMOTE_ADDR="198.51.100.4",
        )
        said.append([m.message for m in response.context["messages"]])
    assert said[-1] == ["U heeft dit te vaak geprobeerd. Probeer het over een uur opnieuw."]
    assert said[-2] != said[-1]


def test_something_that_is_no_address_is_refused(pair):
    main, _partner, mine, _theirs = pair
    for typed in ("", "geen adres"):
        response = client_for(main).post(
            f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": typed}, follow=True
        )
        assert [m.message for m in response.context["messages"]][-1] == (
            "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
        )
    # A NUL never reaches the view: the request gets the plain 400 page (portal.middleware).
    nul = {"email": "partner\x00@example.nl"}
    assert client_for(main).post(f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", nul).status_code == 400
    mine.refresh_from_db()
    assert "co_invite" not in mine.search_profile


def test_an_invitation_to_an_address_longer_than_any_mailbox_is_refused_in_dutch(pair):
    from conftest import TOO_LONG, TOO_LONG_EMAIL

    main, _partner, mine, _theirs = pair
    response = client_for(main).post(
        f"/woningzoekend/mijn/{mine.number}/medeaanvrager/", {"email": TOO_LONG_EMAIL}, follow=True
    )
    assert response.status_code == 200 and TOO_LONG in response.content.decode()
    mine.refresh_from_db()
    assert "co_invite" not in (mine.search_profile or {})
