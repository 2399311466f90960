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


# --- the account's own ceiling, and the browsers it knows (OWASP's device cookies) --------

WRONG = "Het e-mailadres of het wachtwoord klopt niet"


def address(n: int) -> str:
    return f"10.9.{n // 200}.{n % 200 + 1}"


def guess_from_many_addresses(count: int, email: str = "buur@example.nl") -> list[str]:
    """`count` wrong passwords for `email`, each from a browser of its own at an address of its own."""
    return [log_in(Client(), email, "geraden", address(n)).text for n in range(count)]


def reset_password(client, email, password, mailoutbox, capture):
    with capture(execute=True):
        client.post("/accounts/password/reset/", {"email": email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mailoutbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    with capture(execute=True):
        done = client.post(action, {"password1": password, "password2": password})
    assert done.status_code == 302


def test_many_addresses_guessing_one_account_are_refused_after_the_accounts_limit(buur):
    answers = guess_from_many_addresses(60)
    assert sum(WRONG in answer for answer in answers) == 20
    assert all(TOO_MANY in answer for answer in answers[20:])


def test_after_the_accounts_limit_a_new_browser_is_refused_even_with_the_right_password(buur):
    guess_from_many_addresses(25)
    response = log_in(Client(), "buur@example.nl", PASSWORD, OWNER)
    assert response.status_code == 200
    assert TOO_MANY in response.text
    assert "kies een nieuw wachtwoord" in response.text
    assert "_auth_user_id" not in Client().session


def test_the_owners_browser_that_logged_in_before_still_logs_in_after_the_accounts_limit(buur):
    owner = Client()
    assert log_in(owner, "buur@example.nl", PASSWORD, OWNER).status_code == 302
    owner.post("/accounts/logout/")
    guess_from_many_addresses(25)

    # From another address too: the browser counts, not where it is.
    response = log_in(owner, "buur@example.nl", PASSWORD, "198.51.100.9")
    assert response.status_code == 302
    assert owner.get("/mijn/").status_code == 200


def test_a_browser_known_for_another_account_is_a_new_browser_for_this_one(buur, huurder):
    household = Client()
    assert log_in(household, "huurder@example.nl", PASSWORD, OWNER).status_code == 302
    household.post("/accounts/logout/")
    guess_from_many_addresses(25)
    assert TOO_MANY in log_in(household, "buur@example.nl", PASSWORD, OWNER).text
    # The account the browser knows is not touched by the other's limit.
    assert log_in(household, "huurder@example.nl", PASSWORD, OWNER).status_code == 302


def test_the_browsers_cookie_is_signed_http_only_and_secure_where_cookies_are(buur, huurder, settings):
    owner = Client()
    log_in(owner, "buur@example.nl", PASSWORD, OWNER)
    cookie = owner.cookies[settings.DEVICE_COOKIE_NAME]
    assert cookie["httponly"] and cookie["max-age"] >= 180 * 24 * 3600
    assert "buur@example.nl" not in cookie.value
    owner.post("/accounts/logout/")
    guess_from_many_addresses(25)

    forged = Client()
    forged.cookies[settings.DEVICE_COOKIE_NAME] = cookie.value[:-3] + "abc"
    assert TOO_MANY in log_in(forged, "buur@example.nl", PASSWORD, OWNER).text

    settings.SESSION_COOKIE_SECURE = True
    secure = Client()
    log_in(secure, "huurder@example.nl", PASSWORD, OWNER)
    assert secure.cookies[settings.DEVICE_COOKIE_NAME]["secure"]


def test_a_known_browser_that_guesses_too_often_loses_its_pass(buur):
    stolen = Client()
    log_in(stolen, "buur@example.nl", PASSWORD, OWNER)
    stolen.post("/accounts/logout/")
    guess_from_many_addresses(25)
    for n in range(10):
        assert WRONG in log_in(stolen, "buur@example.nl", "geraden", address(100 + n)).text
    assert TOO_MANY in log_in(stolen, "buur@example.nl", PASSWORD, address(200)).text


def test_after_a_password_reset_a_new_browser_logs_in(buur, mailoutbox, django_capture_on_commit_callbacks):
    guess_from_many_addresses(25)
    new_password = "nieuw-wachtwoord-42"
    reset_password(
        Client(REMOTE_ADDR=OWNER),
        "buur@example.nl",
        new_password,
        mailoutbox,
        django_capture_on_commit_callbacks,
    )

    response = log_in(Client(), "buur@example.nl", new_password, "203.0.113.5")
    assert response.status_code == 302
