"""Mijn gegevens is the one place to change the login address, confirmed by a link.

The new address counts only once its owner clicks the link sent to it; the
page answers the same whether or not someone else has the address.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from conftest import PASSWORD, client_for, make_person, send_key
from portal.models import EmailChange

CONTACT = {"phone_private": "06 12345678", "phone_work": "", "phone_mobile": ""}
#: A new address needs the current password (a stolen session must not move the login).
PASSWORD_GIVEN = {"current_password": PASSWORD}
LINK = re.compile(r"http://127\.0\.0\.1:8000(/mijn/gegevens/e-mail/\S+/)")


@pytest.fixture(autouse=True)
def _mails_go_out(monkeypatch, django_capture_on_commit_callbacks):
    """Each request's mails go out when it commits, as in production (the test's own
    transaction would otherwise hold them until the end)."""
    from django.test import client as test_client

    request = test_client.Client.request

    def request_and_commit(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(test_client.Client, "request", request_and_commit)


def ask(client, email):
    return client.post("/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": email}, follow=True)


def page(text: str) -> str:
    """A page without what differs on every request (the CSP nonce, the CSRF token, the
    form's one-time key)."""
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'name="send_key" value="[^"]+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def link_in(mail) -> str:
    return LINK.search(mail.body).group(1)


def test_the_address_changes_only_when_the_link_is_clicked(huurder_client, huurder, mailoutbox):
    ask(huurder_client, "Nieuw@Example.nl")
    huurder.refresh_from_db()
    assert huurder.email == "huurder@example.nl"
    assert mailoutbox[-1].to == ["nieuw@example.nl"]

    link = link_in(mailoutbox[-1])
    assert "nieuw@example.nl" in huurder_client.get(link).text
    huurder.refresh_from_db()
    assert huurder.email == "huurder@example.nl"  # opening the link (a mail scanner) changes nothing

    response = huurder_client.post(link, follow=True)
    huurder.refresh_from_db()
    assert huurder.email == "nieuw@example.nl"
    assert "Uw e-mailadres is gewijzigd" in response.text
    assert list(EmailAddress.objects.filter(user=huurder).values_list("email", "primary", "verified")) == [
        ("nieuw@example.nl", True, True)
    ]
    assert Client().login(email="nieuw@example.nl", password="correct-horse-battery")


def test_the_old_address_is_told_once_it_is_done(huurder_client, huurder, mailoutbox):
    ask(huurder_client, "nieuw@example.nl")
    assert [m.to for m in mailoutbox] == [["nieuw@example.nl"]]
    Client().post(link_in(mailoutbox[-1]))
    assert mailoutbox[-1].to == ["huurder@example.nl"]
    assert "nieuw@example.nl" in mailoutbox[-1].body


def test_mijn_gegevens_says_a_confirmation_is_waiting(huurder_client):
    ask(huurder_client, "nieuw@example.nl")
    page = huurder_client.get("/mijn/gegevens/").text
    assert "Er wacht een bevestiging voor uw nieuwe e-mailadres nieuw@example.nl" in page


def test_the_answer_is_the_same_whether_or_not_the_address_is_taken(huurder_client, buur, mailoutbox):
    taken = ask(huurder_client, "buur@example.nl")
    taken_page = huurder_client.get("/mijn/gegevens/").text
    free = ask(huurder_client, "vrij@example.nl")
    free_page = huurder_client.get("/mijn/gegevens/").text

    def said(response):
        return [str(m.message).replace("vrij@", "buur@") for m in response.context["messages"]]

    assert taken.redirect_chain == free.redirect_chain
    assert said(taken) == said(free)
    assert page(taken_page) == page(free_page.replace("vrij@example.nl", "buur@example.nl"))
    # The owner of the taken address hears that it cannot be used; nothing to click.
    to_buur = next(m for m in mailoutbox if m.to == ["buur@example.nl"])
    assert "Daarom kan het niet worden gebruikt" in to_buur.body and not LINK.search(to_buur.body)
    assert "Huurder" not in to_buur.body and "huurder@" not in to_buur.body


def test_an_address_taken_before_the_click_is_refused(huurder_client, huurder, mailoutbox):
    ask(huurder_client, "nieuw@example.nl")
    make_person("nieuw@example.nl")
    response = huurder_client.post(link_in(mailoutbox[-1]))
    huurder.refresh_from_db()
    assert huurder.email == "huurder@example.nl"
    assert "Dit e-mailadres hoort inmiddels bij een ander account" in response.text


def test_the_link_works_for_a_day(huurder_client, huurder, mailoutbox):
    ask(huurder_client, "nieuw@example.nl")
    EmailChange.objects.update(requested_at=EmailChange.objects.get().requested_at - timedelta(hours=25))
    response = huurder_client.post(link_in(mailoutbox[-1]))
    huurder.refresh_from_db()
    assert (response.status_code, huurder.email) == (400, "huurder@example.nl")
    assert "Deze link werkt niet meer" in response.text
    assert "Er wacht een bevestiging" not in huurder_client.get("/mijn/gegevens/").text


def test_a_link_stops_working_once_the_address_was_changed_otherwise(huurder_client, huurder, mailoutbox):
    """Asked from huurder@, then staff changed the address (a lost mailbox, say): the link no
    longer changes it, and Mijn gegevens no longer says a confirmation is waiting."""
    ask(huurder_client, "nieuw@example.nl")
    huurder.email = "ander@example.nl"
    huurder.save(update_fields=["email"])

    assert "Er wacht een bevestiging" not in huurder_client.get("/mijn/gegevens/").text
    response = huurder_client.post(link_in(mailoutbox[-1]))
    huurder.refresh_from_db()
    assert (response.status_code, huurder.email) == (400, "ander@example.nl")
    assert "Deze link werkt niet meer" in response.text


def test_a_link_works_once_and_a_newer_request_replaces_an_older_one(huurder_client, huurder, mailoutbox):
    ask(huurder_client, "eerste@example.nl")
    first = link_in(mailoutbox[-1])
    ask(huurder_client, "tweede@example.nl")
    second = link_in(mailoutbox[-1])
    assert huurder_client.post(first).status_code == 400
    huurder_client.post(second)
    huurder.refresh_from_db()
    assert huurder.email == "tweede@example.nl"
    assert huurder_client.post(second).status_code == 400


def test_a_forged_link_changes_nothing(huurder_client, huurder, mailoutbox):
    ask(huurder_client, "nieuw@example.nl")
    link = link_in(mailoutbox[-1])
    assert huurder_client.post(link[:-3] + "xx/").status_code == 400
    huurder.refresh_from_db()
    assert huurder.email == "huurder@example.nl"


def test_another_persons_session_cannot_change_the_address(huurder, buur_client, mailoutbox):
    """The link is the proof: whoever holds it confirms the change of the person who asked."""
    client_for(huurder).post("/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": "nieuw@example.nl"})
    assert EmailChange.objects.get().user == huurder
    buur_client.post("/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": "buur2@example.nl"})
    assert EmailChange.objects.filter(user=huurder).count() == 1


def test_phone_numbers_still_change_at_once(huurder_client, huurder, mailoutbox):
    huurder_client.post("/mijn/gegevens/", CONTACT | {"phone_mobile": "06 11122233", "email": huurder.email})
    huurder.refresh_from_db()
    assert huurder.phone_mobile == "06 11122233" and mailoutbox == []


def test_address_changes_are_limited(huurder_client, huurder, mailoutbox):
    for n in range(5):
        ask(huurder_client, f"adres{n}@example.nl")
    response = ask(huurder_client, "adres5@example.nl")
    assert "U heeft dit te vaak geprobeerd" in response.text
    assert 'value="adres5@example.nl"' in response.text
    assert len(mailoutbox) == 5


# --- one form, one request ---------------------------------------------------------------


def test_the_change_sent_twice_makes_one_request_one_mail_and_the_same_answer(
    huurder_client, huurder, mailoutbox
):
    data = (
        CONTACT
        | PASSWORD_GIVEN
        | {"email": "nieuw@example.nl"}
        | send_key(huurder_client.get("/mijn/gegevens/"))
    )
    first = huurder_client.post("/mijn/gegevens/", data, follow=True)
    again = huurder_client.post("/mijn/gegevens/", data, follow=True)

    assert EmailChange.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["nieuw@example.nl"]]
    assert [str(m.message) for m in first.context["messages"]] == [
        str(m.message) for m in again.context["messages"]
    ]
    # The one link the mail holds works.
    huurder_client.post(link_in(mailoutbox[0]))
    huurder.refresh_from_db()
    assert huurder.email == "nieuw@example.nl"


def test_the_same_page_sent_again_with_another_address_asks_for_that_one(huurder_client, mailoutbox):
    key = send_key(huurder_client.get("/mijn/gegevens/"))
    huurder_client.post("/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": "eerste@example.nl"} | key)
    huurder_client.post("/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": "tweede@example.nl"} | key)
    assert [m.to for m in mailoutbox] == [["eerste@example.nl"], ["tweede@example.nl"]]


# --- the current password (a stolen session must not move the login to another mailbox) -----


def test_a_new_address_needs_the_current_password_and_keeps_what_was_typed(
    huurder_client, huurder, mailoutbox
):
    typed = CONTACT | {"phone_mobile": "06 11122233", "email": "aanvaller@example.nl"}
    response = huurder_client.post("/mijn/gegevens/", typed)
    assert response.status_code == 200
    assert "Vul uw huidige wachtwoord in" in response.text
    assert 'value="aanvaller@example.nl"' in response.text and 'value="06 11122233"' in response.text
    assert not EmailChange.objects.exists() and mailoutbox == []
    huurder.refresh_from_db()
    assert huurder.phone_mobile == ""  # nothing is saved until the form is right


def test_a_wrong_current_password_is_refused_with_a_clear_message(huurder_client, huurder, mailoutbox):
    response = huurder_client.post(
        "/mijn/gegevens/", CONTACT | {"email": "aanvaller@example.nl", "current_password": "geraden"}
    )
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet" in response.text
    assert 'value="aanvaller@example.nl"' in response.text
    assert not EmailChange.objects.exists() and mailoutbox == []


def test_guessing_the_password_here_is_limited_as_at_the_login(huurder_client, huurder):
    for _ in range(5):
        huurder_client.post(
            "/mijn/gegevens/", CONTACT | {"email": "aanvaller@example.nl", "current_password": "geraden"}
        )
    response = huurder_client.post(
        "/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": "aanvaller@example.nl"}
    )
    assert "U heeft te vaak een verkeerd wachtwoord ingevuld" in response.text
    assert not EmailChange.objects.exists()


def test_a_phone_number_needs_no_password(huurder_client, huurder):
    response = huurder_client.post(
        "/mijn/gegevens/", CONTACT | {"phone_mobile": "06 11122233", "email": huurder.email}
    )
    assert response.status_code == 302
    huurder.refresh_from_db()
    assert huurder.phone_mobile == "06 11122233"


def test_a_link_opened_while_someone_else_is_logged_in_changes_nothing(huurder, buur_client, mailoutbox):
    """The page would say "U logt voortaan in met …" to the wrong person, and confirming would
    change another account's login: the logged-in visitor is told to log out first."""
    client_for(huurder).post("/mijn/gegevens/", CONTACT | PASSWORD_GIVEN | {"email": "nieuw@example.nl"})
    link = link_in(mailoutbox[-1])
    shown = buur_client.get(link)
    assert shown.status_code == 403 and "hoort bij een ander account" in shown.text
    assert "nieuw@example.nl" not in shown.text
    assert buur_client.post(link).status_code == 403
    huurder.refresh_from_db()
    assert huurder.email == "huurder@example.nl"
    # Logged out (or on the owner's own device) the same link still works.
    assert Client().post(link).status_code == 302
    huurder.refresh_from_db()
    assert huurder.email == "nieuw@example.nl"
