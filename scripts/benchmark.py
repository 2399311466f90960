"""Time the tenant's busiest pages for a tenant with a lot of history.

    uv run python scripts/benchmark.py                      # throwaway SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal \\
        uv run python scripts/benchmark.py --requests 200   # a throwaway test_portal database

One tenant gets many homes and contracts (with rooms, service charges and
open items), many cases with events, and many messages. Then each page is
requested through Django's test client (the whole middleware and template
stack, no network) and the script prints the median, the 95th percentile and
the number of SQL queries per page, against the target below. It exits with
status 1 when a page misses the target.

The given database is never touched: on PostgreSQL the script works in a
test database (test_<name>) that it drops afterwards; without DATABASE_URL in
a SQLite file in a temporary folder.

Performance targets live here, not in timed tests: a timed test fails at
random on a busy machine, a benchmark is read by a person.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/mijn/", "/mijn/woning/", "/mijn/betalen/", "/mijn/reparaties/", "/medewerker/planning/"]
#: The target: the median request of each page, in milliseconds.
TARGET_MEDIAN_MS = 150


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page (default 100)")
    parser.add_argument("--contracts", type=int, default=25, help="homes with a contract (default 25)")
    parser.add_argument("--cases", type=int, default=100, help="cases, each with events (default 100)")
    parser.add_argument("--messages", type=int, default=500, help="messages (default 500)")
    parser.add_argument("--repairs", type=int, default=200, help="repairs, all on one day (default 200)")
    parser.add_argument("--target-ms", type=float, default=TARGET_MEDIAN_MS, help="median target per page")
    return parser.parse_args()


def set_up_django(workdir: Path):
    # Production-like settings: no DEBUG (it keeps every query in memory),
    # mails and jobs in-process, static files without a manifest (no collectstatic).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["EMAIL_URL"] = "locmem://"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    sys.path.insert(0, str(ROOT))

    import django

    # Without collectstatic whitenoise warns once per process; pages do not need it here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    # Jobs run in-process here; kombu's note about the in-memory broker is noise.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from portal.celery import app as celery_app

    celery_app.conf.task_always_eager = True


def create_database() -> str | None:
    """Migrate a fresh database; returns the name of a test database to drop, if one was made."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", interactive=False, verbosity=0)
        return None
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def create_repairs(tenant, *, count: int):
    """`count` repairs of the tenant's first home, all in one day's blocks; returns a staff member."""
    from django.utils import timezone

    from portal.models import User
    from repairs.models import RepairKind, RepairProblem, RepairRequest, Slot, Trade
    from repairs.rules import BLOCKS, first_bookable_day

    corporation = tenant.corporation
    unit = tenant.contracts.order_by("pk").first().unit
    trade = Trade.objects.create(corporation=corporation, name="CV-monteurs", block_capacity=count)
    kind = RepairKind.objects.create(
        corporation=corporation, name="CV/Verwarming", slug="cv", trade=trade, locations=["woonkamer"]
    )
    problem = RepairProblem.objects.create(kind=kind, label="Radiator wordt niet warm")
    day = first_bookable_day(timezone.now())
    slots = [
        Slot.objects.create(trade=trade, date=day, start_hour=start, capacity=count, booked=0)
        for start, _end in BLOCKS
    ]
    RepairRequest.objects.bulk_create(
        RepairRequest(
            number=f"R2026-{i + 1:06d}",
            corporation=corporation,
            unit=unit,
            complex=unit.complex,
            kind=kind,
            location="woonkamer",
            problem=problem,
            reporter=tenant,
            contact_name="S. Vries",
            contact_phone="06 12345678",
            contact_email=tenant.email,
            slot=slots[i % len(slots)],
            created_at=timezone.now(),
        )
        for i in range(count)
    )
    staff = User.objects.create_user(email="medewerker@example.nl", corporation=corporation, is_staff=True)
    return staff, day


def create_tenant(*, contracts: int, cases: int, messages: int):
    from contracts.models import CommonArea, Complex, Contract, ServiceCharge, ServiceContract, Space, Unit
    from payments.models import OpenItem
    from portal.cases import CaseKind
    from portal.models import CaseEvent, Corporation, Message, User
    from portal.services import case_open

    corporation = Corporation.objects.create(name="Woonkracht Almelo", slug="woonkracht")
    complex_ = Complex.objects.create(corporation=corporation, code="AL-0101", name="Lindehof", city="Almelo")
    CommonArea.objects.create(complex=complex_, kind="lift")
    tenant = User.objects.create_user(
        email="huurder@example.nl", password=None, corporation=corporation, initials="S.", surname="Vries"
    )
    for i in range(contracts):
        unit = Unit.objects.create(
            corporation=corporation,
            complex=complex_,
            unit_number=f"U-{i}",
            street="Lindelaan",
            house_number=i + 1,
            postcode="7601 AB",
            city="Almelo",
            rooms=3,
            energy_label="B",
        )
        Space.objects.create(unit=unit, kind="woonkamer", area=Decimal("25.0"), heated=True)
        Space.objects.create(unit=unit, kind="slaapkamer", area=Decimal("12.0"), heated=True)
        contract = Contract.objects.create(
            corporation=corporation,
            number=f"HC-{i}",
            unit=unit,
            start_date=date(2020, 1, 1),
            base_rent=Decimal("612.40"),
        )
        contract.tenants.set([tenant])
        ServiceCharge.objects.create(contract=contract, description="Schoonmaak", amount=Decimal("10.00"))
        ServiceContract.objects.create(
            contract=contract, name="Glasfonds", monthly_fee=Decimal("1.45"), start_date=date(2020, 1, 1)
        )
        OpenItem.objects.create(
            corporation=corporation,
            tenant=tenant,
            contract=contract,
            reference=f"F-{i}",
            description="Huur",
            amount=Decimal("612.40"),
            due_date=date(2026, 12, 1),
        )
    opened = [
        case_open(tenant=tenant, corporation=corporation, kind=CaseKind.DATA_CHANGE) for _ in range(cases)
    ]
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, actor=tenant, action="message", note=f"Vraag {n}")
        for case in opened
        for n in range(3)
    )
    Message.objects.bulk_create(
        Message(
            person=tenant,
            case=opened[i % len(opened)] if opened and i % 2 else None,
            subject=f"Bericht {i}",
            body="Wij hebben uw bericht ontvangen.",
        )
        for i in range(messages)
    )
    return tenant


def measure(client, path: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm up: template loading, translations, connection
        client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    # Read now: the next request clears the connection's query log.
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "status": status,
        "queries": query_count,
        "median": statistics.median(timings),
        "p95": timings[max(0, int(round(0.95 * len(timings))) - 1)],
        "max": timings[-1],
    }


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-benchmark-") as workdir:
        set_up_django(Path(workdir))

        from django.db import connection
        from django.test import Client

        original_name = create_database()
        try:
            start = time.perf_counter()
            tenant = create_tenant(contracts=args.contracts, cases=args.cases, messages=args.messages)
            print(
                f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); "
                f"{args.contracts} contracts, {args.cases} cases, {args.messages} messages, "
                f"{args.repairs} repairs "
                f"made in {time.perf_counter() - start:.1f} s"
            )
            staff, day = create_repairs(tenant, count=args.repairs)
            # As production sees requests: through the TLS proxy (else each is redirected to HTTPS).
            proxy = {"X-Forwarded-Proto": "https"}
            client = Client(headers=proxy)
            client.force_login(tenant)
            staff_client = Client(headers=proxy)
            staff_client.force_login(staff)
            print(f"{args.requests} requests per page; target: median < {args.target_ms:.0f} ms\n")
            print(f"{'page':<22}{'status':>7}{'queries':>9}{'median':>10}{'p95':>10}{'max':>10}  verdict")
            missed = 0
            for path in PAGES:
                if path.startswith("/medewerker/"):
                    result = measure(staff_client, f"{path}?datum={day:%Y-%m-%d}", args.requests)
                else:
                    result = measure(client, path, args.requests)
                ok = result["status"] == 200 and result["median"] < args.target_ms
                missed += not ok
                print(
                    f"{path:<22}{result['status']:>7}{result['queries']:>9}"
                    f"{result['median']:>8.1f}ms{result['p95']:>8.1f}ms{result['max']:>8.1f}ms"
                    f"  {'ok' if ok else 'MISSED'}"
                )
        finally:
            connection.close()
            if original_name is not None:
                connection.creation.destroy_test_db(original_name, verbosity=0)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
