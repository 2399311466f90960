"""What makes a server unfit to face the public, as Django system checks.

Checks tagged `PRODUCTION` are deployment checks: `manage.py check --deploy`
reports them beside Django's own, and the WSGI entry point (portal/wsgi.py:
gunicorn, the image) runs them before it serves and refuses to start on an
error (`refuse_unfit_start`). So a deployment that forgets DEBUG=0 or its own
SECRET_KEY, or has no payment provider, does not quietly run as a laptop.

`ALLOW_DEMO=1` says "this server is a demonstration, not a live portal": the
same findings are then warnings, and it starts. `manage.py demo` and
runserver do not load portal/wsgi.py (settings.WSGI_APPLICATION is None) and
need no setting.

Each app registers the findings it owns (payments: the demo bank) with
`unfit()`, so that the entry point needs to know none of them.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "production"


def unfit(app: str, number: int, msg: str, hint: str) -> checks.CheckMessage:
    """A finding that stops a public server: an error, or a warning where ALLOW_DEMO is set.

    The id follows Django's convention (E for errors, W for warnings), so
    `app.E001` becomes `app.W001` on a demonstration server.
    """
    if settings.ALLOW_DEMO:
        return checks.Warning(msg, hint=hint, id=f"{app}.W{number:03}")
    return checks.Error(msg, hint=hint, id=f"{app}.E{number:03}")


@checks.register(PRODUCTION, checks.Tags.security, deploy=True)
def check_debug_and_secret_key(app_configs, **kwargs):
    findings = []
    if settings.DEBUG:
        findings.append(
            unfit(
                "portal",
                1,
                "DEBUG is on: error pages show code, settings and data to anyone, and the "
                "development key and the demo bank are allowed.",
                "Set DEBUG=0.",
            )
        )
    if settings.SECRET_KEY.startswith("django-insecure-"):
        findings.append(
            unfit(
                "portal",
                2,
                "SECRET_KEY is the development key (or another key made for development): "
                "anyone can sign sessions and password-reset links with it.",
                "Set SECRET_KEY to a long random value of your own, for example the output of "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
            )
        )
    return findings


def refuse_unfit_start() -> None:
    """Raise ImproperlyConfigured, naming every cause and its remedy, when a production
    check fails. Runs after django.setup(), when every app has registered its checks."""
    errors = [
        message
        for message in checks.run_checks(tags=[PRODUCTION], include_deployment_checks=True)
        if message.is_serious() and not message.is_silenced()
    ]
    errors.sort(key=lambda message: message.id)
    if errors:
        causes = "\n".join(f"- {message.msg} {message.hint}" for message in errors)
        raise ImproperlyConfigured(
            "The portal refuses to serve with these settings:\n"
            f"{causes}\n"
            "For a demonstration server that takes no real payments, set ALLOW_DEMO=1."
        )
