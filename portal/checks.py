"""What makes a server unfit to face the public, as Django system checks.

Checks tagged `PRODUCTION` are deployment checks: `manage.py check --deploy`
reports them beside Django's own, and the WSGI entry point (portal/wsgi.py:
gunicorn, the image) runs them before it serves, refuses to start on an
error and logs the warnings (`refuse_unfit_start`). So a deployment that
forgets DEBUG=0 or its own SECRET_KEY, or has no payment provider, does not
quietly run as a laptop.

`ALLOW_DEMO=1` says "this server is a demonstration, not a live portal": it
excuses only what makes no money move (the demo bank, a Mollie test key,
see `unfit()`), which then are warnings. DEBUG on and the development key
are refused whatever it says: the development key is published, so with it
anyone can sign sessions and links (a sign-up, an address change, an
activation), and DEBUG shows code and settings to anyone. `manage.py demo`
and runserver do not load portal/wsgi.py (settings.WSGI_APPLICATION is
None) and need no setting.

Each app registers the findings it owns (payments: the demo bank) with
`unfit()`, so that the entry point needs to know none of them.
"""

import logging

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "production"


log = logging.getLogger(__name__)


def unfit(app: str, number: int, msg: str, hint: str) -> checks.CheckMessage:
    """A finding that stops a public server taking real payments: an error, or a warning
    where ALLOW_DEMO is set. Only for what moves no money on a demonstration server.

    The id follows Django's convention (E for errors, W for warnings), so
    `app.E001` becomes `app.W001` on a demonstration server.
    """
    if settings.ALLOW_DEMO:
        return checks.Warning(msg, hint=hint, id=f"{app}.W{number:03}")
    return checks.Error(msg, hint=hint, id=f"{app}.E{number:03}")


@checks.register(PRODUCTION, checks.Tags.security, deploy=True)
def check_debug_and_secret_key(app_configs, **kwargs):
    """Errors whatever ALLOW_DEMO says: no demonstration needs them."""
    findings = []
    if settings.DEBUG:
        findings.append(
            checks.Error(
                "DEBUG is on: error pages show code, settings and data to anyone, and the "
                "development key and the demo bank are allowed.",
                hint="Set DEBUG=0 (a demonstration server too).",
                id="portal.E001",
            )
        )
    if settings.SECRET_KEY.startswith("django-insecure-"):
        findings.append(
            checks.Error(
                "SECRET_KEY is the development key (or another key made for development): "
                "anyone can sign sessions, password-reset, sign-up and e-mail links with it.",
                hint="Set SECRET_KEY to a long random value of your own (a demonstration server "
                "too), for example the output of "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="portal.E002",
            )
        )
    return findings


@checks.register(PRODUCTION, checks.Tags.security, deploy=True)
def check_client_addresses(app_configs, **kwargs):
    """With DEBUG off the settings assume a TLS proxy in front (SECURE_PROXY_SSL_HEADER).
    Without TRUSTED_PROXY_COUNT every request then comes from the proxy's address, and
    the limits per address (logins, resets, sign-ups, address lookups) count all visitors
    together: one person's wrong passwords would stop everyone logging in."""
    if (
        settings.DEBUG
        or settings.ALLAUTH_TRUSTED_PROXY_COUNT
        or getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    ):
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is 0: behind the TLS proxy every visitor has the proxy's address, "
            "so the limits on logins, password resets, sign-ups and address lookups count all "
            "visitors together, and one visitor's failures stop everyone.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the portal that "
            "append the client's address to X-Forwarded-For (usually 1), and let clients reach "
            "gunicorn only through them.",
            id="portal.W003",
        )
    ]


def refuse_unfit_start() -> None:
    """Raise ImproperlyConfigured, naming every cause and its remedy, when a production
    check fails, and log the warnings. Runs after django.setup(), when every app has
    registered its checks."""
    found = [
        message
        for message in checks.run_checks(tags=[PRODUCTION], include_deployment_checks=True)
        if not message.is_silenced()
    ]
    found.sort(key=lambda message: message.id)
    for message in found:
        if not message.is_serious():
            log.warning("%s: %s %s", message.id, message.msg, message.hint)
    errors = [message for message in found if message.is_serious()]
    if errors:
        causes = "\n".join(f"- {message.msg} {message.hint}" for message in errors)
        raise ImproperlyConfigured(
            "The portal refuses to serve with these settings:\n"
            f"{causes}\n"
            "ALLOW_DEMO=1 (a demonstration server that takes no real payments) allows only the "
            "demo bank and a Mollie test key; DEBUG=0 and a SECRET_KEY of its own it needs too."
        )
