"""The call queue under concurrency, on PostgreSQL: one call per tenant, one caller per call.

Each thread has its own database connection and really commits, as two
browsers or two Celery workers would; a barrier lets them all go at the same
moment. SQLite serialises writers, so these tests need PostgreSQL (they skip
without it, and fail under CI).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from conftest import make_person, make_staff
from payments import arrears
from payments.models import ArrearsFile, CallOutcome, CallState, CallTask, OpenItem
from portal.cases import CaseKind
from portal.errors import DomainError
from portal.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
WEDNESDAY = date(2026, 12, 2)


def race(work, count=THREADS) -> list[tuple[str, object]]:
    """Run work(0) … work(count - 1) in threads that start together; ('ok', result) or ('refused', message).

    Any other exception (a deadlock, an IntegrityError) fails the test.
    """
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


@pytest.fixture
def callers(needs_postgres, woonkracht):
    return [make_staff(f"beller{i}@example.nl", woonkracht) for i in range(THREADS)]


def test_of_many_staff_claiming_one_call_at_once_exactly_one_wins(callers, huurder):
    """ "Het eerste wat het klantenserviceteam van Beter Wonen gaat doen is bellen": one caller per call."""
    arrears.arrears_queue_build(today=WEDNESDAY)
    call = CallTask.objects.get()

    results = race(lambda i: arrears.call_claim(CallTask.objects.get(pk=call.pk), callers[i]).claimed_by_id)

    won = [value for status, value in results if status == "ok"]
    refused = [value for status, value in results if status == "refused"]
    assert len(won) == 1, results
    assert len(refused) == THREADS - 1
    assert all("belt deze huurder al" in message for message in refused)
    call.refresh_from_db()
    assert call.state == CallState.CLAIMED and call.claimed_by_id == won[0]


def test_two_staff_claim_one_call_at_once(callers, huurder):
    arrears.arrears_queue_build(today=WEDNESDAY)
    call = CallTask.objects.get()

    results = race(lambda i: arrears.call_claim(CallTask.objects.get(pk=call.pk), callers[i]).pk, count=2)

    assert sorted(status for status, _value in results) == ["ok", "refused"], results


def test_the_queue_job_run_at_once_gives_one_case_and_one_call_per_tenant(
    needs_postgres, huurder, woonkracht
):
    """ "De eerste dag na het verstrijken van de betaaltermijn wordt er direct actie ondernomen": once."""
    others = []
    for i in range(5):
        person = make_person(f"laat{i}@example.nl", woonkracht)
        OpenItem.objects.create(
            corporation=woonkracht,
            tenant=person,
            reference=f"L-{i}",
            description="Huur november",
            amount=Decimal("612.40"),
            due_date=date(2026, 11, 1),
        )
        others.append(person)

    results = race(lambda _i: arrears.arrears_queue_build(today=WEDNESDAY), count=4)

    assert [status for status, _value in results] == ["ok"] * 4, results
    assert sum(created for _status, created in results) == 6
    assert Case.objects.filter(kind=CaseKind.ARREARS).count() == 6
    assert ArrearsFile.objects.count() == 6
    assert CallTask.objects.count() == 6
    for tenant in [huurder, *others]:
        assert Case.objects.filter(kind=CaseKind.ARREARS, tenant=tenant).count() == 1
        assert CallTask.objects.filter(tenant=tenant).exclude(state=CallState.DONE).count() == 1


def test_recording_while_the_job_runs_keeps_one_waiting_call(callers, huurder):
    """A caller records "niet bereikt" (a new call for the next working day) while the job runs."""
    arrears.arrears_queue_build(today=WEDNESDAY)
    call = CallTask.objects.get()
    arrears.call_claim(call, callers[0])

    def work(index):
        if index == 0:
            return arrears.call_record(call, callers[0], CallOutcome.NOT_REACHED).pk
        return arrears.arrears_queue_build(today=WEDNESDAY)

    results = race(work, count=4)

    assert [status for status, _value in results] == ["ok"] * 4, results
    assert CallTask.objects.exclude(state=CallState.DONE).count() == 1
    assert CallTask.objects.count() == 2
