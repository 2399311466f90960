"""Browsers that have logged in to an account before: OWASP's "device cookies".

Wrong passwords are counted per client address and account together (an
attacker's failures never keep the owner out elsewhere), but an attacker with
many addresses would then have no ceiling at all. So each account also has a
ceiling of its own (ACCOUNT_RATE_LIMITS["login_failed_account"]) that counts
only the browsers it does not know, and refuses them once it is reached; the
owner's own browser, which logged in with the password before, carries a
signed cookie that binds it to the account and still logs in. A new browser
is pointed at choosing a new password, and a password reset clears the count
(portal.adapters).

The cookie holds a random nonce (naming this browser) and, for up to
`MAX_ACCOUNTS` accounts (a household sharing a computer), a keyed hash of the
login, never the address itself; it is signed with the SECRET_KEY, so it
cannot be made for an account, only earned by logging in. A stolen cookie is
held back by its own ceiling (ACCOUNT_RATE_LIMITS["login_failed_device"]):
once it has guessed too often it counts as any other browser.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

SALT = "portal.devices"
#: Long-lived: the owner's browser should still be known after a holiday; each login renews it.
MAX_AGE = 365 * 24 * 60 * 60
#: The accounts one browser is known for, most recent first.
MAX_ACCOUNTS = 5


def _account(login: str) -> str:
    return salted_hmac(SALT, login.strip().lower(), algorithm="sha256").hexdigest()[:32]


def _read(request) -> tuple[str, list[str]] | None:
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    nonce, accounts = data.get("n"), data.get("a")
    if not isinstance(nonce, str) or not isinstance(accounts, list):
        return None
    return nonce, [account for account in accounts if isinstance(account, str)]


def known_device(request, login: str) -> str | None:
    """The nonce of this browser when it has logged in to `login` before, else None."""
    found = _read(request)
    if found is None or _account(login) not in found[1]:
        return None
    return found[0]


def remember(request, response, login: str) -> None:
    """After a login with `login`: this browser is known for that account from now on."""
    nonce, accounts = _read(request) or (secrets.token_urlsafe(16), [])
    account = _account(login)
    accounts = [account, *(other for other in accounts if other != account)][:MAX_ACCOUNTS]
    response.set_cookie(
        settings.DEVICE_COOKIE_NAME,
        signing.dumps({"n": nonce, "a": accounts}, salt=SALT),
        max_age=MAX_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
