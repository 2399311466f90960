"""Login data (M1): forgot password, change password, log out."""

import re

from django.test import Client


def test_the_reset_link_lets_the_tenant_choose_a_new_password(
    anoniem, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anoniem.post("/accounts/password/reset/", {"email": "huurder@example.nl"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mailoutbox[0].body).group(1)
    form_page = anoniem.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    anoniem.post(action, {"password1": "nieuw-wachtwoord-42", "password2": "nieuw-wachtwoord-42"})
    assert Client().login(email="huurder@example.nl", password="nieuw-wachtwoord-42")


def test_the_reset_email_is_formal_plain_dutch(
    anoniem, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anoniem.post("/accounts/password/reset/", {"email": "huurder@example.nl"})
    assert mailoutbox[0].subject == "Nieuw wachtwoord kiezen"
    assert mailoutbox[0].body.startswith("Beste Sanne de Vries,")


def test_an_unknown_address_learns_nothing_about_accounts(
    anoniem, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anoniem.post("/accounts/password/reset/", {"email": "onbekend@example.nl"}, follow=True)
    assert "Als wij dit e-mailadres kennen" in response.text
    assert "Wij kennen geen account" in mailoutbox[0].body


def test_a_used_reset_link_says_so(anoniem, db):
    response = anoniem.get("/accounts/password/reset/key/1-xx-yy/", follow=True)
    assert "Deze link werkt niet meer" in response.text


def test_the_tenant_changes_their_password_and_is_told_by_email(
    huurder_client, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = huurder_client.post(
            "/accounts/password/change/",
            {
                "oldpassword": "correct-horse-battery",
                "password1": "ander-wachtwoord-7",
                "password2": "ander-wachtwoord-7",
            },
        )
    assert response.status_code == 302
    huurder.refresh_from_db()
    assert huurder.check_password("ander-wachtwoord-7")
    assert mailoutbox[-1].subject == "Uw wachtwoord is gewijzigd"


def test_a_wrong_current_password_is_refused(huurder_client, huurder):
    response = huurder_client.post(
        "/accounts/password/change/",
        {"oldpassword": "fout", "password1": "ander-wachtwoord-7", "password2": "ander-wachtwoord-7"},
    )
    assert "Uw huidige wachtwoord klopt niet." in response.text


def test_logging_out_ends_the_session(huurder_client):
    huurder_client.post("/accounts/logout/")
    assert huurder_client.get("/mijn/").status_code == 302


def test_login_is_confirmed_formally(anoniem, huurder):
    response = anoniem.post(
        "/accounts/login/", {"login": "huurder@example.nl", "password": "correct-horse-battery"}, follow=True
    )
    assert "U bent ingelogd als Sanne de Vries." in response.text
