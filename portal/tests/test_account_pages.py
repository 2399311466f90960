"""Which of allauth's pages the portal offers: login, logout and passwords.

Addresses are changed on Mijn gegevens only, with a link to the new address;
allauth's own address book (add an address, confirm it) is not reachable.
"""

import importlib

import pytest
from allauth.account import urls as allauth_urls
from allauth.account.models import EmailAddress
from django.apps import apps

migration = importlib.import_module("portal.migrations.0004_emailaddress_follows_user_email")


def test_the_address_book_sends_the_tenant_to_mijn_gegevens(huurder_client):
    response = huurder_client.get("/accounts/email/")
    assert (response.status_code, response["Location"]) == (302, "/mijn/gegevens/")


def test_a_tenant_cannot_add_someone_elses_address_to_their_account(
    huurder_client, huurder, medewerker, mailoutbox
):
    huurder_client.post("/accounts/email/", {"action_add": "", "email": "medewerker@example.nl"})
    assert not EmailAddress.objects.filter(user=huurder, email="medewerker@example.nl").exists()
    assert mailoutbox == []


def email_routes():
    return [str(p.pattern) for p in allauth_urls.urlpatterns if "email" in str(p.pattern)]


@pytest.mark.parametrize("route", email_routes())
def test_no_allauth_address_page_is_reachable(huurder_client, anoniem, route):
    path = "/accounts/" + route.lstrip("^").rstrip("$").replace("(?P<key>[-:\\w]+)", "abc")
    for client in (huurder_client, anoniem):
        response = client.get(path)
        assert response.status_code == 404 or response["Location"].startswith("/mijn/gegevens/"), path


@pytest.mark.parametrize("path", ["/accounts/reauthenticate/", "/accounts/login/code/confirm/"])
def test_pages_only_the_address_book_or_login_codes_need_are_not_found(huurder_client, path):
    assert huurder_client.get(path).status_code == 404


def test_the_one_sign_up_is_the_seekers(anoniem, db):
    response = anoniem.get("/accounts/signup/")
    assert (response.status_code, response["Location"]) == (302, "/woningzoekend/inschrijven/")


def test_login_passwords_and_logout_stay(huurder_client, anoniem):
    assert huurder_client.get("/accounts/password/change/").status_code == 200
    assert anoniem.get("/accounts/login/").status_code == 200
    assert anoniem.get("/accounts/password/reset/").status_code == 200
    assert huurder_client.post("/accounts/logout/").status_code == 302


def test_the_migration_keeps_only_the_login_address_in_allauths_book(huurder, buur):
    EmailAddress.objects.create(user=huurder, email="huurder@example.nl", primary=False, verified=True)
    EmailAddress.objects.create(user=huurder, email="medewerker@example.nl", primary=False, verified=False)
    EmailAddress.objects.create(user=buur, email="oud@example.nl", primary=True, verified=True)
    migration.addresses_follow_user_email(apps, None)
    rows = EmailAddress.objects.order_by("user_id").values_list("user__email", "email", "primary", "verified")
    assert list(rows) == [("huurder@example.nl", "huurder@example.nl", True, True)]
