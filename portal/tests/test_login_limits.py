"""Wrong passwords are limited per address and account together, and per address.

Someone guessing a tenant's password from one address must never keep the
tenant out when they log in from elsewhere, and a password reset always works.
"""

import re

from django.test import Client

from conftest import PASSWORD

ATTACKER = "10.0.0.1"
OWNER = "192.0.2.7"
TOO_MANY = "U heeft te vaak een verkeerd wachtwoord ingevuld"


def log_in(client, email, password, ip):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_an_attackers_failures_do_not_lock_the_owner_out_elsewhere(buur):
    attacker = Client()
    for _ in range(6):
        log_in(attacker, "buur@example.nl", "geraden", ATTACKER)
    assert TOO_MANY in log_in(attacker, "buur@example.nl", "geraden", ATTACKER).text

    owner = Client()
    response = log_in(owner, "buur@example.nl", PASSWORD, OWNER)
    assert response.status_code == 302
    assert owner.get("/mijn/").status_code == 200


def test_the_attackers_address_is_limited_for_that_account_even_with_the_right_password(buur):
    attacker = Client()
    for _ in range(5):
        log_in(attacker, "buur@example.nl", "geraden", ATTACKER)
    assert TOO_MANY in log_in(attacker, "buur@example.nl", PASSWORD, ATTACKER).text


def test_one_address_is_limited_after_many_failures_for_many_accounts(buur):
    attacker = Client()
    for n in range(10):
        log_in(attacker, f"persoon{n}@example.nl", "geraden", ATTACKER)
    assert TOO_MANY in log_in(attacker, "buur@example.nl", PASSWORD, ATTACKER).text
    # Another address is not touched by it.
    assert log_in(Client(), "buur@example.nl", PASSWORD, OWNER).status_code == 302


def test_a_reset_from_the_limited_address_works_and_clears_its_failures(
    buur, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(10):
        log_in(client, "buur@example.nl" if n < 6 else f"persoon{n}@example.nl", "geraden", ATTACKER)
    assert TOO_MANY in log_in(client, "buur@example.nl", PASSWORD, ATTACKER).text

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "buur@example.nl"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mailoutbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": "nieuw-wachtwoord-42", "password2": "nieuw-wachtwoord-42"})
    assert done.status_code == 302
    client.post("/accounts/logout/")

    response = log_in(client, "buur@example.nl", "nieuw-wachtwoord-42", ATTACKER)
    assert response.status_code == 302


def test_behind_a_proxy_the_forwarded_client_address_counts(buur, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "172.16.0.1"
    attacker, owner = Client(), Client()
    for _ in range(6):
        attacker.post(
            "/accounts/login/",
            {"login": "buur@example.nl", "password": "geraden"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    response = owner.post(
        "/accounts/login/",
        {"login": "buur@example.nl", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OWNER,
    )
    assert response.status_code == 302
