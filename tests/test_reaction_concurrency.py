"""One seeker reacting to many listings at once, on PostgreSQL: never more than the region allows.

Each thread has its own connection and commits, as separate browser tabs
would; a barrier lets them all go at once. The Registration row lock makes
the count and the insert one step per seeker.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from allocation import reacting
from allocation.models import Reaction
from allocation.tests.test_reacting import listing, region_001, registration, seeker
from portal.errors import DomainError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def race(work, count=THREADS):
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait(timeout=30)
            return "ok", work(index)
        except DomainError as error:
            return "refused", str(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_it_never_exceeds_two_reactions(needs_postgres, woonkracht):
    region = region_001(woonkracht)
    person = seeker()
    registration(person, region)
    homes = [listing(region, woonkracht, n) for n in range(1, THREADS + 1)]
    results = race(lambda i: reacting.react(person, homes[i]).pk)
    assert [r[0] for r in results].count("ok") == 2
    assert Reaction.objects.filter(seeker=person, state="active").count() == 2


def test_it_reacts_once_to_one_listing_clicked_many_times(needs_postgres, woonkracht):
    region = region_001(woonkracht)
    person = seeker()
    registration(person, region)
    home = listing(region, woonkracht, 1)
    race(lambda i: reacting.react(person, home).pk)
    assert Reaction.objects.filter(seeker=person).count() == 1
