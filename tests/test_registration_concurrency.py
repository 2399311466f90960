"""Two sign-ups of one seeker for one region at the same moment, on PostgreSQL: one registration,
and the other is told so in Dutch, never a 500.

Each sign-up runs in its own thread with its own connection, as two browser tabs would.
SQLite serialises writers, so these tests need PostgreSQL (they skip without it, and fail
under CI).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from allocation import registrations
from allocation.models import Registration
from allocation.tests.test_reacting import region_001, seeker
from conftest import client_for, send_key
from portal.errors import DomainError
from tests.test_send_once_concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DATA = registrations.SeekerData(
    household_income=Decimal("31000"),
    expecting=False,
    lived_in_region_since=None,
    economically_tied=False,
    living_since=None,
    leaves_home_in_region=False,
    members=(registrations.Member(name="Noor Jansen", birth_date=date(1990, 5, 1), relation="aanvrager"),),
    address=None,
    search_profile={},
)


def test_two_sign_ups_at_once_make_one_registration_and_refuse_the_other(
    needs_postgres, woonkracht, monkeypatch
):
    """Both pass the check for an earlier registration before either saves; the database lets one
    registration per region in, and the other sign-up is refused as if it had come second."""
    region = region_001(woonkracht)
    person = seeker()
    both_checked = threading.Barrier(2)
    new_number = registrations._new_number

    def number_once_both_checked():
        both_checked.wait(timeout=30)  # the moment between the check and the save
        return new_number()

    monkeypatch.setattr(registrations, "_new_number", number_once_both_checked)

    def sign_up(_index):
        try:
            made = registrations.registration_create(seeker=person, regions=[region], data=DATA)
            return "registered", made[0].number
        except DomainError as refused:
            return "refused", refused.message
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(sign_up, range(2)))

    registration = Registration.objects.get()
    assert results == [
        ("refused", "U staat al ingeschreven in de regio Hoeksche Waard."),
        ("registered", registration.number),
    ]


def test_two_sign_up_pages_sent_at_once_register_once_and_the_other_page_says_so(needs_postgres, woonkracht):
    """Two tabs of one logged-in person, each with its own sign-up form for the same region."""
    region = region_001(woonkracht)
    person = seeker()
    client = client_for(person)
    pages = [client.get("/woningzoekend/inschrijven/") for _ in range(2)]
    data = {
        "regions": [region.pk],
        "birth_date": "1990-05-01",
        "household_income": "31000",
        "address": "Dorpsstraat 1",
        "city": "Oud-Beijerland",
        "address_since": "2018-01-01",
    }

    answers = at_once(client, "/woningzoekend/inschrijven/", [data | send_key(page) for page in pages])

    registration = Registration.objects.get()
    assert (registration.seeker, registration.state) == (person, "active")
    assert sorted((r.status_code, r.get("Location", "")) for r in answers) == [
        (200, ""),
        (302, "/woningzoekend/mijn/"),
    ]
    refused = next(r for r in answers if r.status_code == 200)
    assert "U staat al ingeschreven in de regio Hoeksche Waard." in refused.content.decode()
