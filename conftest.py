"""Shared test set-up and the personas every test uses.

huurder   tenant A: a home and a parking space at Woonkracht, open items € 125,31
buur      tenant B: a home in the same complex
medewerker  staff of Woonkracht (tenant A's corporation)
collega     staff of Waardwonen (the other corporation)
beheer      superuser
anoniem     a client that is not logged in

Tests that need PostgreSQL or a browser skip with a reason when they are
missing, and fail instead when the CI environment variable is set.
"""

import importlib.util
import os
import socket
from datetime import date
from decimal import Decimal
from unittest import mock
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings

from portal.celery import app as celery_app

PASSWORD = "correct-horse-battery"


def pytest_configure(config):
    # Mails stay in memory; static files need no manifest; jobs run at once
    # (a real worker round trip through Redis has its own test).
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # The cache (login rate limits among others) gets a Redis database of its
    # own under test, emptied before each test: nothing leaks between tests or
    # into a developer's Redis.
    cache = settings.CACHES["default"]
    if "redis" in cache["BACKEND"].lower():
        cache["LOCATION"] = urlunparse(urlparse(cache["LOCATION"])._replace(path="/15"))


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _dutch():
    """Every test starts in Dutch: a request in English (the language switch) leaves its
    language active in the thread, and the next test would read English texts."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's Playwright, whose database connections are closed when it stops.

    Playwright's sync API keeps an asyncio loop running in this thread from the first browser
    test to the end of the session, and while a loop runs Django keeps its connections per
    context instead of per thread: every test from then on uses a second connection. The
    test database is dropped once the loop has stopped, through the first connection; the
    second must be closed before, or PostgreSQL refuses to drop a database in use.
    """
    from django.db import connections

    yield playwright
    connections.close_all()


def skip_or_fail(reason: str):
    """Skip locally; under CI a missing service is a failure, not a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def needs_postgres(db):
    """Skip on the default SQLite database (CI runs these in its PostgreSQL pass);
    fail under CI when DATABASE_URL names another database than PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("needs PostgreSQL (CI runs this in its PostgreSQL + Redis pass)")
    skip_or_fail("needs PostgreSQL (set DATABASE_URL=postgres://…)")


# --- outages -------------------------------------------------------------------


def settings_for(**environment):
    """The project's settings module as a deployment with these environment variables gets it."""
    path = importlib.util.find_spec("portal.settings").origin
    with mock.patch.dict(os.environ, environment):
        spec = importlib.util.spec_from_file_location("portal_settings_for_test", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@pytest.fixture
def closed_port():
    """A local port where nothing listens: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _celery_reset():
    # The app keeps its broker connections in pools made from the settings of the moment.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_settings():
    """Give Celery the CELERY_* settings of a settings module (see `settings_for`) for one test."""
    saved = {}

    def apply(project):
        for name in dir(project):
            if name.startswith("CELERY_"):
                key = name.removeprefix("CELERY_").lower()
                saved.setdefault(key, celery_app.conf.get(key))
                celery_app.conf[key] = getattr(project, name)
        _celery_reset()

    yield apply
    celery_app.conf.update(saved)
    _celery_reset()


# --- data ---------------------------------------------------------------------


@pytest.fixture
def woonkracht(db):
    from portal.models import Corporation

    return Corporation.objects.create(
        name="Woonkracht Almelo", slug="woonkracht", phone="0546 54 64 64", email="info@woonkracht.example"
    )


@pytest.fixture
def waardwonen(db):
    from portal.models import Corporation

    return Corporation.objects.create(
        name="Waardwonen", slug="waardwonen", phone="0186 62 00 00", email="info@waardwonen.example"
    )


@pytest.fixture
def complex_(woonkracht):
    from contracts.models import CommonArea, Complex

    complex_ = Complex.objects.create(corporation=woonkracht, code="AL-0101", name="Lindehof", city="Almelo")
    CommonArea.objects.create(complex=complex_, kind="lift")
    CommonArea.objects.create(complex=complex_, kind="portiek")
    return complex_


def make_unit(corporation, complex_=None, number=12, addition="", kind="home", postcode="7601 AB"):
    from contracts.models import Unit

    return Unit.objects.create(
        corporation=corporation,
        complex=complex_,
        kind=kind,
        unit_number=f"U-{postcode}-{number}{addition}",
        street="Lindelaan",
        house_number=number,
        house_number_addition=addition,
        postcode=postcode,
        city="Almelo",
        home_type="Galerijflat" if kind == "home" else "",
        rooms=3 if kind == "home" else None,
        energy_label="B" if kind == "home" else "",
    )


def make_contract(corporation, unit, tenants, number, start=date(2019, 3, 1), rent="612.40"):
    from contracts.models import Contract

    contract = Contract.objects.create(
        corporation=corporation, number=number, unit=unit, start_date=start, base_rent=Decimal(rent)
    )
    contract.tenants.set(tenants)
    return contract


def make_person(email, corporation=None, **fields):
    from portal.models import User

    defaults = {"initials": "A.", "surname": email.split("@")[0].capitalize(), "phone_private": "06 12345678"}
    return User.objects.create_user(
        email=email, password=PASSWORD, corporation=corporation, **defaults | fields
    )


def make_staff(email, corporation):
    from django.contrib.auth.models import Group

    from portal.permissions import STAFF_GROUP

    user = make_person(email, corporation, is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def huurder(woonkracht, complex_):
    from payments.models import OpenItem

    person = make_person(
        "huurder@example.nl",
        woonkracht,
        first_name="Sanne",
        initials="S.",
        surname_prefix="de",
        surname="Vries",
    )
    home = make_unit(woonkracht, complex_, 12)
    parking = make_unit(woonkracht, complex_, 12, addition="P12", kind="parking")
    home_contract = make_contract(woonkracht, home, [person], "HC-1")
    make_contract(woonkracht, parking, [person], "PC-1", start=date(2021, 6, 1), rent="37.75")
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=person,
        contract=home_contract,
        kind="service_charges",
        reference="F-1",
        description="Afrekening servicekosten",
        amount=Decimal("87.56"),
        due_date=date(2026, 11, 1),
    )
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=person,
        kind="rent",
        reference="F-2",
        description="Huur parkeerplaats",
        amount=Decimal("37.75"),
        due_date=date(2026, 11, 28),
    )
    return person


@pytest.fixture
def buur(woonkracht, complex_):
    person = make_person("buur@example.nl", woonkracht, first_name="Kees", surname="Bakker")
    make_contract(woonkracht, make_unit(woonkracht, complex_, 14), [person], "HC-2", start=date(2015, 1, 1))
    return person


@pytest.fixture
def medewerker(woonkracht):
    return make_staff("medewerker@example.nl", woonkracht)


@pytest.fixture
def collega(waardwonen):
    return make_staff("collega@example.nl", waardwonen)


@pytest.fixture
def beheer(db):
    from portal.models import User

    return User.objects.create_superuser(email="beheer@example.nl", password=PASSWORD)


# --- clients ------------------------------------------------------------------


def send_key(page) -> dict:
    """The one-time key of the form on `page` (portal.once), as a browser sends it back."""
    import re

    found = re.search(r'name="send_key" value="([^"]+)"', page.content.decode())
    assert found, "the page has no form with a one-time key"
    return {"send_key": found.group(1)}


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anoniem():
    from django.test import Client

    return Client()


@pytest.fixture
def huurder_client(huurder):
    return client_for(huurder)


@pytest.fixture
def buur_client(buur):
    return client_for(buur)


@pytest.fixture
def medewerker_client(medewerker):
    return client_for(medewerker)


@pytest.fixture
def collega_client(collega):
    return client_for(collega)


@pytest.fixture
def data_change_case(huurder, woonkracht):
    """An open request of huurder to change her surname."""
    from portal.services import data_change_request

    return data_change_request(
        tenant=huurder, corporation=woonkracht, submitted={"surname": "Jansen"}, explanation="Getrouwd"
    )


# --- repairs ------------------------------------------------------------------


def make_repair_catalogue(corporation, capacity=2):
    """A trade and the kinds a test needs: CV/Verwarming (bookable) and Gas (urgent)."""
    from repairs.models import RepairKind, RepairProblem, Trade

    trade = Trade.objects.create(corporation=corporation, name="CV-monteurs", block_capacity=capacity)
    heating = RepairKind.objects.create(
        corporation=corporation,
        name="CV/Verwarming",
        slug="cv-verwarming",
        pictogram="heating",
        featured=True,
        order=1,
        keywords="radiator ketel thermostaat warm water",
        trade=trade,
        locations=["woonkamer", "keuken", "badkamer", "slaapkamer", "lift", "portiek", "galerij"],
    )
    RepairProblem.objects.create(
        kind=heating,
        label="Radiator wordt niet warm",
        order=1,
        follow_up="Hoeveel radiatoren worden niet warm?",
        follow_up_choices="Eén radiator\nMeer radiatoren\nAlle radiatoren",
        follow_up_required=True,
    )
    RepairProblem.objects.create(
        kind=heating,
        label="Ketel geeft storing",
        order=2,
        follow_up="Welke foutcode staat op het display van de ketel?",
        follow_up_required=True,
    )
    gas = RepairKind.objects.create(
        corporation=corporation,
        name="Gas",
        slug="gas",
        pictogram="gas",
        featured=True,
        order=2,
        urgent=True,
        keywords="gaslucht gaslek",
    )
    return {"trade": trade, "heating": heating, "gas": gas}


@pytest.fixture
def repair_catalogue(woonkracht):
    """Woonkracht's repair catalogue (2 places per block)."""
    woonkracht.emergency_phone = "0546 54 64 00"
    woonkracht.save()
    return make_repair_catalogue(woonkracht)


def make_repair(unit, catalogue, *, reporter=None, when=None, location="woonkamer", now=None):
    """Report a CV repair for `unit` through the service, in the first free block (or `when`)."""
    from repairs import services

    kind = catalogue["heating"]
    if when is None:
        block = services.first_free_blocks(kind.trade, now=now)[0]
        when = (block.day, block.start_hour)
    report = services.Report(
        unit=unit,
        kind=kind,
        location=location,
        problem=kind.problems.get(order=2),
        follow_up_answer="F28",
        description="De ketel staat op storing.",
        contact_name=reporter.full_name if reporter else "Mevrouw Melder",
        contact_phone="06 11112222",
        contact_email=reporter.email if reporter else "melder@example.nl",
        day=when[0],
        start_hour=when[1],
        reporter=reporter,
    )
    return services.repair_report(report, now=now)


@pytest.fixture
def huurder_repair(huurder, repair_catalogue):
    """A planned (not yet fixed) repair of huurder's home, reported by her."""
    from repairs.services import tenant_units

    home = next(u for u in tenant_units(huurder) if u.kind == "home")
    return make_repair(home, repair_catalogue, reporter=huurder)


#: An e-mail address Django's form field takes (at most 320 characters) that no column
#: holds (254): 300 characters.
TOO_LONG_EMAIL = "n" * 45 + "@" + ".".join(["x" * 62] * 4) + ".nl"
TOO_LONG = "Dit e-mailadres is te lang"
