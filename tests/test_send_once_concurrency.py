"""One form sent many times at once, on PostgreSQL: one repair, one case, one payment, one sign-up.

A double click, a reload or an impatient tap sends the same form again before
the first answer is back. Here five requests of one browser session (the same
session cookie, the same page) go at the same moment, each in its own thread
with its own database connection, as gunicorn's workers would run them. Every
answer must be the confirmation of the one thing that was made: never a
second thing, never an error page, never a 500. SQLite serialises writers, so
these tests need PostgreSQL (they skip without it, and fail under CI).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from allocation.models import Registration
from allocation.tests.test_reacting import region_002
from allocation.tests.test_registration import signup_link
from conftest import send_key
from payments.models import Payment
from portal.models import Case
from repairs import services
from repairs.models import RepairRequest, Slot
from repairs.rules import AMSTERDAM

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SENDS = 5
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)  # Tuesday
WEDNESDAY = date(2026, 12, 2)


def race(client, url, data, count=SENDS) -> list:
    """POST `data` to `url` `count` times at once from the browser session of `client`.

    Each thread has its own test client carrying the same cookies (one browser,
    several requests in flight) and its own database connection. Returns the
    (status, Location) of every answer; an exception in a view fails the test.
    """
    return [(r.status_code, r.get("Location", "")) for r in at_once(client, url, [data] * count)]


def at_once(client, url, forms: list) -> list:
    """POST each of `forms` to `url` at the same moment from the browser session of `client`
    (several tabs of one browser); returns the responses in the same order."""
    barrier = threading.Barrier(len(forms))

    def send(data):
        browser = Client()
        browser.cookies = client.cookies
        try:
            barrier.wait(timeout=30)
            return browser.post(url, data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(send, forms))


@pytest.fixture
def today(monkeypatch):
    """The report flow's clock at a fixed Tuesday morning, so the chosen block is bookable."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_one_repair_draft_sent_five_times_at_once_books_one_repair(
    needs_postgres, huurder, huurder_client, repair_catalogue, today
):
    base = "/mijn/reparaties/nieuw/"
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    heating = repair_catalogue["heating"]
    huurder_client.post(base, {"unit": home.pk})
    huurder_client.post(f"{base}soort/", {"kind": heating.pk})
    huurder_client.post(f"{base}vragen/", {"location": "keuken", "problem": heating.problems.get(order=2).pk})
    huurder_client.post(
        f"{base}toelichting/",
        {
            "follow_up_answer": "F28",
            "description": "De ketel geeft storing.",
            "contact_name": "Sanne de Vries",
            "contact_phone": "06 12345678",
            "contact_email": "huurder@example.nl",
        },
    )
    assert huurder_client.post(f"{base}afspraak/", {"block": "2026-12-02T08"}).status_code == 302
    Slot.objects.create(trade=repair_catalogue["trade"], date=WEDNESDAY, start_hour=8, capacity=10)
    page = huurder_client.get(f"{base}versturen/")

    answers = race(huurder_client, f"{base}versturen/", send_key(page))

    assert answers == [(302, f"{base}ontvangen/")] * SENDS
    repair = RepairRequest.objects.get()
    assert Slot.objects.get(date=WEDNESDAY, start_hour=8).booked == 1
    assert repair.number in huurder_client.get(f"{base}ontvangen/").content.decode()


def test_the_anonymous_report_sent_five_times_at_once_books_one_repair(
    needs_postgres, huurder, anoniem, repair_catalogue, today
):
    heating = repair_catalogue["heating"]
    anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    anoniem.post("/reparatie/soort/", {"kind": heating.pk})
    anoniem.post("/reparatie/vragen/", {"location": "keuken", "problem": heating.problems.get(order=2).pk})
    anoniem.post(
        "/reparatie/toelichting/",
        {
            "follow_up_answer": "F28",
            "contact_name": "Jan Melder",
            "contact_phone": "06 12345678",
            "contact_email": "jan@example.nl",
        },
    )
    anoniem.post("/reparatie/afspraak/", {"block": "2026-12-02T10"})

    answers = race(anoniem, "/reparatie/versturen/", send_key(anoniem.get("/reparatie/versturen/")))

    assert answers == [(302, "/reparatie/ontvangen/")] * SENDS
    assert RepairRequest.objects.count() == 1
    assert Slot.objects.get(date=WEDNESDAY, start_hour=10).booked == 1


def test_one_pay_form_sent_five_times_at_once_starts_one_payment(
    needs_postgres, huurder, huurder_client, settings
):
    settings.MOLLIE_API_KEY = ""
    page = huurder_client.get("/mijn/betalen/")
    items = [str(pk) for pk in huurder.open_items.values_list("pk", flat=True)]

    answers = race(huurder_client, "/mijn/betalen/", {"items": items, **send_key(page)})

    payment = Payment.objects.get()
    assert answers == [(302, payment.checkout_url)] * SENDS
    assert payment.amount == Decimal("125.31")


def test_one_data_change_form_sent_five_times_at_once_opens_one_case(needs_postgres, huurder, huurder_client):
    page = huurder_client.get("/mijn/gegevens/wijzigen/")

    answers = race(
        huurder_client,
        "/mijn/gegevens/wijzigen/",
        {"surname": "Jansen", "explanation": "Getrouwd", **send_key(page)},
    )

    case = Case.objects.get()
    assert answers == [(302, case.get_absolute_url())] * SENDS


def test_one_sign_up_sent_five_times_at_once_makes_one_account_registration_and_payment(
    needs_postgres, waardwonen, anoniem, settings
):
    """Zuidwest charges € 17,50: every answer is the bank page of the one fee payment."""
    settings.MOLLIE_API_KEY = ""
    region = region_002(waardwonen)
    link = signup_link()  # the link the sign-up mail sends to the address
    page = anoniem.get(link)
    data = {
        "regions": [region.pk],
        "email": "nieuw@example.nl",
        "password": "een-lang-wachtwoord-42",
        "first_name": "Noor",
        "surname": "Jansen",
        "birth_date": "1992-03-04",
        "household_income": "31000",
        "address": "Dorpsstraat 1",
        "city": "Oud-Beijerland",
        "address_since": "2018-01-01",
        **send_key(page),
    }

    answers = race(anoniem, link, data)

    registration = Registration.objects.get()
    payment = Payment.objects.get()
    assert registration.seeker.email == "nieuw@example.nl" and registration.state == "pending"
    assert payment.tenant == registration.seeker and payment.amount == Decimal("17.50")
    assert answers == [(302, payment.checkout_url)] * SENDS
