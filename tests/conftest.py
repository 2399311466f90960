"""Browser fixtures: Playwright for Python driving Debian's chromium.

Browser tests skip when chromium is missing, and fail instead under CI.
"""

import os
import shutil

import pytest

from conftest import PASSWORD, skip_or_fail

# Playwright's sync API runs an event loop in this thread; Django must still
# allow the ORM here (for fixtures and the live server).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        return browser_type_launch_args
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def needs_browser():
    if CHROMIUM is None:
        skip_or_fail("needs Debian's chromium (apt-get install chromium)")


@pytest.fixture
def site(needs_browser, live_server):
    """The live server's base URL, once the browser is known to be there."""
    return live_server.url


def log_in(page, base_url, email, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base_url}/mijn/")


@pytest.fixture
def redis_url():
    """REDIS_URL, once Redis answers there (the worker tests)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (CI runs this in its Postgres + Redis pass)")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"REDIS_URL is set but Redis does not answer: {exc}")
    yield url
    client.close()
