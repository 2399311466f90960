"""Many people pressing the button at once, on PostgreSQL: a block never takes more repairs than it has.

Each thread has its own database connection and really commits, as two
browsers would; a barrier lets them all go at the same moment. SQLite
serialises writers, so these tests need PostgreSQL (they skip without it,
and fail under CI).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
from django.db import connection

from conftest import make_repair_catalogue, make_unit
from portal.errors import DomainError
from repairs import services
from repairs.models import RepairRequest, Slot
from repairs.rules import AMSTERDAM

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)  # Tuesday
WEDNESDAY, THURSDAY = date(2026, 12, 2), date(2026, 12, 3)
FULL = "vol geraakt"


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


def report(unit, kind, day=WEDNESDAY, hour=8) -> services.Report:
    return services.Report(
        unit=unit,
        kind=kind,
        location="keuken",
        problem=kind.problems.get(order=2),
        follow_up_answer="F28",
        description="De ketel staat op storing.",
        contact_name=f"Bewoner {unit.house_number}",
        contact_phone="06 11112222",
        contact_email=f"bewoner{unit.house_number}@example.nl",
        day=day,
        start_hour=hour,
    )


@pytest.fixture
def homes(needs_postgres, woonkracht, complex_):
    return [make_unit(woonkracht, complex_, 20 + i) for i in range(THREADS)]


def outcome(results):
    won = [value for status, value in results if status == "ok"]
    refused = [value for status, value in results if status == "refused"]
    return won, refused


@pytest.mark.parametrize("existing_block", [False, True], ids=["new-block", "last-place-of-a-block"])
def test_only_one_of_many_reporters_gets_the_last_place(homes, woonkracht, existing_block):
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur": eight people, one place."""
    catalogue = make_repair_catalogue(woonkracht, capacity=1 if not existing_block else 3)
    kind = catalogue["heating"]
    if existing_block:
        Slot.objects.create(trade=catalogue["trade"], date=WEDNESDAY, start_hour=8, capacity=3, booked=2)

    results = race(lambda i: services.repair_report(report(homes[i], kind), now=NOW).number)

    won, refused = outcome(results)
    assert len(won) == 1, results
    assert len(refused) == THREADS - 1
    assert all(FULL in message for message in refused)
    block = Slot.objects.get(date=WEDNESDAY, start_hour=8)
    assert block.booked == block.capacity
    assert RepairRequest.objects.count() == 1 == block.booked - (2 if existing_block else 0)
    assert RepairRequest.objects.get().number == won[0]


def test_one_reporter_pressing_send_many_times_gets_one_place(homes, woonkracht):
    """ "… tijdsblokken van twee uur": the same report sent eight times still fits a one-place block once."""
    kind = make_repair_catalogue(woonkracht, capacity=1)["heating"]

    won, refused = outcome(race(lambda _i: services.repair_report(report(homes[0], kind), now=NOW).pk))

    assert len(won) == 1 and len(refused) == THREADS - 1
    assert Slot.objects.get(date=WEDNESDAY, start_hour=8).booked == 1 == RepairRequest.objects.count()


def test_only_one_of_many_tenants_moves_into_the_last_place(homes, woonkracht, huurder):
    """ "Staat de door u gewenste tijd en datum er niet tussen? Klik dan op het kalendericoontje":
    eight tenants move to Thursday 08:00, which has one place left."""
    catalogue = make_repair_catalogue(woonkracht, capacity=THREADS)
    kind = catalogue["heating"]
    repairs = [services.repair_report(report(home, kind), now=NOW) for home in homes]
    services.repair_report(report(homes[0], kind, day=THURSDAY), now=NOW)
    Slot.objects.filter(date=THURSDAY, start_hour=8).update(capacity=2)

    results = race(
        lambda i: (
            services.repair_rebook(repair=repairs[i], day=THURSDAY, start_hour=8, by=huurder, now=NOW).number
        )
    )

    won, refused = outcome(results)
    assert len(won) == 1, results
    assert all(FULL in message for message in refused) and len(refused) == THREADS - 1
    wednesday = Slot.objects.get(date=WEDNESDAY, start_hour=8)
    thursday = Slot.objects.get(date=THURSDAY, start_hour=8)
    assert thursday.booked == 2 == RepairRequest.objects.filter(slot=thursday).count()
    assert wednesday.booked == THREADS - 1 == RepairRequest.objects.filter(slot=wednesday).count()
    assert RepairRequest.objects.get(number=won[0]).slot == thursday


def test_two_reminder_jobs_at_once_send_each_reminder_once(homes, woonkracht, mailoutbox):
    """ "Wij vragen u om deze twee uur vrij te houden": one reminder, even when two workers run the job."""
    kind = make_repair_catalogue(woonkracht, capacity=THREADS)["heating"]
    for home in homes[:3]:
        services.repair_report(report(home, kind), now=NOW)
    mailoutbox.clear()  # the confirmations

    results = race(lambda _i: services.reminders_send(today=NOW.date()), count=4)

    assert sum(sent for _status, sent in results) == 3
    reminders = [mail for mail in mailoutbox if mail.subject.startswith("Herinnering")]
    assert sorted(mail.to[0] for mail in reminders) == [f"bewoner{n}@example.nl" for n in (20, 21, 22)]
    assert not RepairRequest.objects.filter(reminder_sent_at__isnull=True).exists()


def test_tenants_swapping_blocks_at_once_both_succeed(homes, woonkracht, huurder):
    """ "… Klik dan op het kalendericoontje": one tenant moves from 08:00 to 10:00 while another moves
    from 10:00 to 08:00; neither may end in a database deadlock."""
    kind = make_repair_catalogue(woonkracht, capacity=2)["heating"]
    hours = [8, 10, 12, 14]
    pairs = [(day, hours[i], hours[i + 1]) for day in (WEDNESDAY, THURSDAY) for i in (0, 2)]
    moves = []
    for n, (day, first, second) in enumerate(pairs):
        moves.append((services.repair_report(report(homes[2 * n], kind, day, first), now=NOW), day, second))
        moves.append(
            (services.repair_report(report(homes[2 * n + 1], kind, day, second), now=NOW), day, first)
        )

    results = race(
        lambda i: (
            services.repair_rebook(
                repair=moves[i][0], day=moves[i][1], start_hour=moves[i][2], by=huurder, now=NOW
            ).number
        )
    )

    assert [status for status, _value in results] == ["ok"] * THREADS, results
    assert set(Slot.objects.values_list("booked", flat=True)) == {1}
    for repair, day, hour in moves:
        repair.refresh_from_db()
        assert (repair.slot.date, repair.slot.start_hour) == (day, hour)
