"""Signing up without an account: the address first, the same answer for every address.

The owner of an address that has an account gets a mail telling them how to
log in; anyone else gets the link to the sign-up form. The page never says which.
"""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.test import Client

from allocation import signup
from allocation.models import Registration
from allocation.tests.test_reacting import region_001
from allocation.tests.test_registration import form
from conftest import client_for, make_person
from portal.models import User

LINK = re.compile(r"http://127\.0\.0\.1:8000(/woningzoekend/inschrijven/[^/\s]+/)")


@pytest.fixture
def hw(woonkracht):
    return region_001(woonkracht)


@pytest.fixture(autouse=True)
def _mails_go_out(monkeypatch, django_capture_on_commit_callbacks):
    """Each request's mails go out when it commits, as in production."""
    from django.test import client as test_client

    request = test_client.Client.request

    def request_and_commit(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(test_client.Client, "request", request_and_commit)


def page(text: str) -> str:
    """A page without what differs on every request (the CSP nonce, the CSRF token)."""
    text = re.sub(r'nonce="[^"]+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def start(email, client=None, ip="198.51.100.1"):
    return (client or Client()).post(
        "/woningzoekend/inschrijven/", form(regions=["1"], email=email), follow=True, REMOTE_ADDR=ip
    )


def test_the_answer_is_the_same_for_an_address_with_and_without_an_account(hw, mailoutbox):
    make_person("bestaand@example.nl", first_name="Bea")
    known = start("bestaand@example.nl")
    unknown = start("nieuw@example.nl")

    assert known.redirect_chain == unknown.redirect_chain == [("/woningzoekend/inschrijven/verstuurd/", 302)]
    assert page(known.text) == page(unknown.text.replace("nieuw@example.nl", "bestaand@example.nl"))
    assert not User.objects.filter(email="nieuw@example.nl").exists()  # not before the link is used
    assert not Registration.objects.exists()


def test_the_owner_of_an_account_is_told_how_to_log_in(hw, mailoutbox):
    make_person("bestaand@example.nl", first_name="Bea")
    start("bestaand@example.nl")
    (mail,) = mailoutbox
    assert mail.to == ["bestaand@example.nl"]
    assert "Iemand wilde zich met dit e-mailadres (bestaand@example.nl) inschrijven" in mail.body
    assert "/accounts/login/?next=%2Fwoningzoekend%2Finschrijven%2F" in mail.body
    assert "/accounts/password/reset/" in mail.body
    assert not LINK.search(mail.body)


def test_the_link_leads_to_the_form_and_makes_the_account(hw, mailoutbox):
    start("Nieuw@Example.nl")
    link = LINK.search(mailoutbox[0].body).group(1)
    client = Client()
    assert "nieuw@example.nl" in client.get(link).text
    response = client.post(link, form(regions=[hw.pk], email="iemand@anders.nl"))
    assert response.url == "/woningzoekend/mijn/"
    user = User.objects.get(email="nieuw@example.nl")  # the address the link went to, not a typed one
    assert user.first_name == "Noor" and user.registrations.get().state == "active"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")) == [
        ("nieuw@example.nl", True, True)
    ]
    assert client.get("/woningzoekend/mijn/").status_code == 200  # logged in


def test_a_link_used_once_says_there_is_an_account_now(hw):
    link = f"/woningzoekend/inschrijven/{signup.signup_token('nieuw@example.nl')}/"
    Client().post(link, form(regions=[hw.pk]))
    again = Client().post(link, form(regions=[hw.pk]))
    assert "U heeft al een account" in again.text
    assert User.objects.filter(email="nieuw@example.nl").count() == 1


def test_a_forged_or_day_old_link_does_not_work(hw):
    forged = signing.dumps("nieuw@example.nl")  # signed, but not as a sign-up link

    class DayOld(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 25 * 3600)

    old = DayOld(salt=signup.SALT).sign_object("nieuw@example.nl")
    for token in (forged, old):
        response = Client().post(f"/woningzoekend/inschrijven/{token}/", form(regions=[hw.pk]))
        assert response.status_code == 400 and "Deze link werkt niet meer" in response.text
    assert not User.objects.exists()


def test_one_address_gets_at_most_three_mails_an_hour(hw, mailoutbox):
    for n in range(3):
        start("nieuw@example.nl", ip=f"198.51.100.{n}")
    refused = start("nieuw@example.nl", ip="198.51.100.9")
    assert "U heeft dit te vaak geprobeerd" in refused.text
    assert 'value="nieuw@example.nl"' in refused.text
    assert len(mailoutbox) == 3


def test_one_visitor_may_ask_thirty_times_an_hour(hw, mailoutbox):
    for n in range(30):
        start(f"persoon{n}@example.nl")
    assert "U heeft dit te vaak geprobeerd" in start("nog-een@example.nl").text
    assert len(mailoutbox) == 30
    assert "U heeft dit te vaak geprobeerd" not in start("nog-een@example.nl", ip="203.0.113.5").text


def test_a_logged_in_tenant_signs_up_at_once(hw, huurder):
    response = client_for(huurder).post("/woningzoekend/inschrijven/", form(regions=[hw.pk]))
    assert response.url == "/woningzoekend/mijn/"
    assert Registration.objects.get().seeker == huurder


def test_an_address_longer_than_any_mailbox_is_refused_in_dutch(hw, mailoutbox):
    from conftest import TOO_LONG, TOO_LONG_EMAIL

    response = Client().post("/woningzoekend/inschrijven/", {"email": TOO_LONG_EMAIL})
    assert response.status_code == 200 and TOO_LONG in response.text
    assert mailoutbox == []
