"""Production settings, started the way production starts them: in a fresh process.

The settings are read once, at start-up, from the environment, so each case runs
`manage.py check --deploy` or imports the WSGI entry point (what gunicorn and the
image load) in a subprocess with an environment of its own, and nothing of the
developer's shell (DATABASE_URL, DEBUG, …) leaks in.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from portal.settings import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]

#: What the README gives for production (with example values).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "mijn.woonkracht.example",
    "SITE_URL": "https://mijn.woonkracht.example",
    "DATABASE_URL": "postgres://portal:secret@db.woonkracht.example:5432/portal",
    "REDIS_URL": "redis://redis.woonkracht.example:6379/0",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.woonkracht.example:587",
    "MOLLIE_API_KEY": "live_" + "a" * 30,
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
}


def compose_environment(**given: str) -> dict:
    """The portal's environment in docker-compose.yml, with its ${NAME:-default}s filled in."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("\n  environment:\n", 1)[1].split("\n  volumes:", 1)[0]
    env = {}
    for line in block.splitlines():
        if line.strip().startswith("#"):
            continue
        name, value = line.strip().split(":", 1)
        value = re.sub(
            r"\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}",
            lambda match: given.get(match[1], match[2] or ""),
            value.strip().strip('"'),
        )
        env[name] = value
    return env


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run python with only PATH, HOME and `env` in its environment, in the project root."""
    clean = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    return run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)


def start_wsgi(**env: str) -> subprocess.CompletedProcess:
    return run("-c", "import portal.wsgi; print('serving', callable(portal.wsgi.application))", **env)


def settings_in(**env: str) -> dict:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "DEMO_BANK_ALLOWED",
        "SILENCED_SYSTEM_CHECKS",
    ]
    code = (
        "import json, django; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run("-c", code, DJANGO_SETTINGS_MODULE="portal.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- manage.py check --deploy ---------------------------------------------------------


def test_check_deploy_reports_nothing_with_the_production_settings():
    result = check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_mail_printed_to_the_console_in_production():
    env = dict(PRODUCTION)
    del env["EMAIL_URL"]
    result = check_deploy(**env)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr and "console" in result.stderr


def test_check_deploy_refuses_the_demo_bank_and_a_mollie_test_key_in_production():
    without_key = check_deploy(**PRODUCTION | {"MOLLIE_API_KEY": ""})
    assert without_key.returncode != 0 and "payments.E001" in without_key.stderr
    test_key = check_deploy(**PRODUCTION | {"MOLLIE_API_KEY": "test_" + "a" * 30})
    assert test_key.returncode != 0 and "payments.E002" in test_key.stderr


def test_check_deploy_warns_that_without_a_trusted_proxy_the_limits_count_the_proxys_address():
    env = dict(PRODUCTION)
    del env["TRUSTED_PROXY_COUNT"]
    result = check_deploy(**env)
    assert result.returncode != 0
    assert "portal.W003" in result.stderr and "TRUSTED_PROXY_COUNT" in result.stderr
    assert "X-Forwarded-For" in result.stderr
    # A warning: the server starts, and says so.
    started = start_wsgi(**env)
    assert started.returncode == 0, started.stderr
    assert "TRUSTED_PROXY_COUNT" in started.stderr


def test_with_debug_off_https_is_enforced_by_default_and_only_turned_off_on_request():
    production = settings_in(**PRODUCTION)
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production["SESSION_COOKIE_SECURE"] is True and production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["DEMO_BANK_ALLOWED"] is False
    assert (
        settings_in(**PRODUCTION | {"SECURE_HSTS_INCLUDE_SUBDOMAINS": ""})["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
        is False
    )

    # Behind a TLS proxy that redirects by itself, the operator says so, and the
    # deploy check's reminder about it is then silenced rather than ignored each time.
    proxy = PRODUCTION | {"SECURE_SSL_REDIRECT": "0"}
    assert settings_in(**proxy)["SECURE_SSL_REDIRECT"] is False
    assert check_deploy(**proxy).returncode == 0

    laptop = settings_in()
    assert laptop["DEBUG"] is True and laptop["SECURE_SSL_REDIRECT"] is False
    assert laptop["SECURE_HSTS_SECONDS"] == 0 and laptop["DEMO_BANK_ALLOWED"] is True
    assert laptop["SESSION_COOKIE_NAME"] == "sessionid"
    assert settings_in(DEBUG="0", SECRET_KEY="x" * 50, ALLOW_DEMO="1")["DEMO_BANK_ALLOWED"] is True


BEHIND_THE_PROXY = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="mijn.woonkracht.example")
plain = client.get("/geen-pagina/")
proxied = client.get("/geen-pagina/", headers={"x-forwarded-proto": "https"})
foreign = Client(HTTP_HOST="elders.example").get("/geen-pagina/", headers={"x-forwarded-proto": "https"})
login = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
    "foreign": foreign.status_code,
    "cookies": {name: dict(morsel) for name, morsel in login.cookies.items()},
}))
"""


def test_with_the_production_settings_plain_http_is_redirected_and_https_gets_hsts():
    # Pages that need no database (nor collected static files): what is checked happens
    # in the middleware around them.
    env = PRODUCTION | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "sqlite://:memory:",
        "STATIC_MANIFEST": "0",
    }
    del env["REDIS_URL"]
    result = run("-c", BEHIND_THE_PROXY, **env)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["plain"] == [301, "https://mijn.woonkracht.example/geen-pagina/"]
    # The TLS proxy says the request came over HTTPS: no redirect loop, and HSTS for a year.
    assert answers["proxied"] == [404, "max-age=31536000; includeSubDomains"]
    assert answers["foreign"] == 400
    # The CSRF cookie (like the session's) is bound to this host and HTTPS by its name.
    [(name, csrf)] = answers["cookies"].items()
    assert name == "__Host-csrftoken"
    assert csrf["secure"] is True and csrf["path"] == "/" and not csrf["domain"]


# --- the WSGI entry point (gunicorn, the image) ------------------------------------------


def test_the_wsgi_server_refuses_to_start_when_nothing_is_set():
    result = start_wsgi()
    assert result.returncode != 0 and "serving" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    for cause in ("DEBUG", "SECRET_KEY", "MOLLIE_API_KEY", "ALLOW_DEMO=1"):
        assert cause in result.stderr, cause


def test_the_wsgi_server_refuses_the_development_key_with_debug_off(settings):
    result = start_wsgi(**PRODUCTION | {"SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY})
    assert result.returncode != 0 and "serving" not in result.stdout
    assert "SECRET_KEY" in result.stderr and "development key" in result.stderr
    assert "MOLLIE_API_KEY" not in result.stderr


def test_the_wsgi_server_refuses_the_demo_bank_with_debug_off():
    result = start_wsgi(**PRODUCTION | {"MOLLIE_API_KEY": ""})
    assert result.returncode != 0 and "serving" not in result.stdout
    assert "MOLLIE_API_KEY" in result.stderr and "demo bank" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"ALLOW_DEMO": "1"}, id="debug on"),
        pytest.param({"ALLOW_DEMO": "1", "DEBUG": "0"}, id="no secret key"),
        pytest.param(
            PRODUCTION
            | {
                "ALLOW_DEMO": "1",
                "SECRET_KEY": DEVELOPMENT_SECRET_KEY,
            },
            id="the development key",
        ),
        pytest.param(PRODUCTION | {"ALLOW_DEMO": "1", "DEBUG": "1"}, id="debug on with a key of its own"),
    ],
)
def test_a_demonstration_server_still_needs_debug_off_and_a_key_of_its_own(env):
    """ALLOW_DEMO excuses the demo bank, never DEBUG or the published development key: with
    that key anyone can sign links (a sign-up, an address change, an activation)."""
    result = start_wsgi(**env)
    assert result.returncode != 0 and "serving" not in result.stdout
    assert "DEBUG" in result.stderr or "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        pytest.param(
            {"ALLOW_DEMO": "1", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)},
            id="a demonstration, said so",
        ),
        pytest.param(
            PRODUCTION | {"ALLOW_DEMO": "1", "MOLLIE_API_KEY": "test_" + "a" * 30},
            id="a demonstration with a Mollie test key",
        ),
        pytest.param(
            compose_environment(SECRET_KEY=secrets.token_urlsafe(50)), id="docker compose up, a local try"
        ),
        pytest.param(PRODUCTION, id="production"),
    ],
)
def test_the_wsgi_server_starts(env):
    result = start_wsgi(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "serving True"


def test_gunicorn_loads_the_portal_only_with_settings_fit_for_the_public():
    refused = run("-m", "gunicorn", "--check-config", "portal.wsgi")
    assert refused.returncode != 0 and "refuses to serve" in refused.stderr
    assert run("-m", "gunicorn", "--check-config", "portal.wsgi", **PRODUCTION).returncode == 0
