"""The ledger: starting payments, booking them once, and the monthly rent.

The property test pays any subset of invoices, in any order and any split,
with replayed, late and contradicting statuses, and checks after every step
that no balance goes below zero and no cent is lost or made up.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_contract, make_person, make_unit
from payments import ledger
from payments.models import ItemKind, OpenItem, Payment, PaymentLine, PaymentStatus
from portal.errors import DomainError
from portal.selectors import open_balance

CENTS = Decimal("0.01")


class FakeProvider:
    """Stands in for the provider: remembers what it was asked, says what the test sets."""

    name = "test"

    def __init__(self):
        self.created: list[dict] = []
        self.status: dict[str, str] = {}
        self.fetched = 0

    def create(self, data):
        self.created.append(data)
        provider_id = f"tr_test{len(self.created)}x{id(self) % 10000}"
        self.status[provider_id] = "open"
        return provider_id, f"https://bank.example/pay/{provider_id}"

    def fetch(self, provider_id):
        self.fetched += 1
        return self.status[provider_id]

    def pay(self, payment, status="paid"):
        self.status[payment.provider_id] = status
        return ledger.payment_sync(payment.provider_id, provider=self)


@pytest.fixture
def provider():
    return FakeProvider()


def items_of(tenant):
    return {item.reference: item for item in OpenItem.objects.filter(tenant=tenant)}


# --- starting a payment --------------------------------------------------------------


def test_a_payment_asks_the_provider_for_ideal_with_the_open_amount(huurder, provider, settings):
    settings.SITE_URL = "https://mijn.woonkracht.example"
    items = items_of(huurder)
    payment = ledger.payment_start(tenant=huurder, items=[items["F-2"], items["F-1"]], provider=provider)

    assert payment.amount == Decimal("125.31")
    assert payment.status == PaymentStatus.OPEN and payment.provider == "test"
    assert payment.checkout_url == f"https://bank.example/pay/{payment.provider_id}"
    assert [(line.item.reference, line.amount) for line in payment.lines.all()] == [
        ("F-1", Decimal("87.56")),
        ("F-2", Decimal("37.75")),
    ]
    assert provider.created == [
        {
            "amount": {"currency": "EUR", "value": "125.31"},
            "description": "Betaling facturen F-1, F-2",
            "method": "ideal",
            "redirectUrl": f"https://mijn.woonkracht.example/mijn/betalen/{payment.pk}/",
            "webhookUrl": "https://mijn.woonkracht.example/betalen/webhook/",
            "metadata": {"payment": payment.pk},
        }
    ]


def test_on_a_laptop_no_webhook_is_asked_for(huurder, provider, settings):
    """Mollie refuses a webhook on localhost; the return page asks for the status there."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    ledger.payment_start(tenant=huurder, items=list(items_of(huurder).values()), provider=provider)
    assert "webhookUrl" not in provider.created[0]
    assert provider.created[0]["redirectUrl"].startswith("http://127.0.0.1:8000/mijn/betalen/")


def test_a_partly_paid_invoice_is_charged_for_what_is_still_open(huurder, provider):
    item = items_of(huurder)["F-1"]
    item.amount_paid = Decimal("50.00")
    item.save()
    payment = ledger.payment_start(tenant=huurder, items=[item.pk], provider=provider)
    assert payment.amount == Decimal("37.56")
    assert provider.created[0]["amount"] == {"currency": "EUR", "value": "37.56"}
    assert provider.created[0]["description"] == "Betaling factuur F-1"


def test_only_the_tenants_own_open_invoices_can_be_paid(huurder, buur, woonkracht, provider):
    theirs = OpenItem.objects.create(
        corporation=woonkracht,
        tenant=buur,
        reference="B-1",
        description="Huur",
        amount=Decimal("10.00"),
        due_date=date(2026, 12, 1),
    )
    mine = items_of(huurder)["F-1"]
    with pytest.raises(DomainError):
        ledger.payment_start(tenant=huurder, items=[mine.pk, theirs.pk], provider=provider)
    with pytest.raises(DomainError):
        ledger.payment_start(tenant=huurder, items=[], provider=provider)
    settled = items_of(huurder)["F-2"]
    settled.amount_paid, settled.paid_at = settled.amount, "2026-11-02T10:00:00+01:00"
    settled.save()
    with pytest.raises(DomainError):
        ledger.payment_start(tenant=huurder, items=[settled.pk], provider=provider)
    assert provider.created == [] and not Payment.objects.exists()


def test_when_the_provider_fails_nothing_is_stored(huurder):
    from payments.providers import ProviderUnavailable

    class Down(FakeProvider):
        def create(self, data):
            raise ProviderUnavailable("no route to host")

    with pytest.raises(ProviderUnavailable):
        ledger.payment_start(tenant=huurder, items=list(items_of(huurder).values()), provider=Down())
    assert not Payment.objects.exists() and not PaymentLine.objects.exists()


# --- booking ---------------------------------------------------------------------------


def test_paid_is_booked_once_however_often_it_is_reported(huurder, provider):
    payment = ledger.payment_start(tenant=huurder, items=list(items_of(huurder).values()), provider=provider)
    provider.pay(payment, "pending")
    assert open_balance(huurder) == Decimal("125.31")
    for _ in range(3):
        provider.pay(payment, "paid")
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.applied_at and payment.paid_at
    assert payment.unapplied == 0
    assert open_balance(huurder) == 0
    assert all(item.paid_at and item.amount_paid == item.amount for item in items_of(huurder).values())
    assert provider.fetched == 2  # once booked, the provider is not asked again
    applied_at = payment.applied_at
    ledger.payment_status_apply(payment.pk, "paid")
    payment.refresh_from_db()
    assert payment.applied_at == applied_at


def test_paid_after_expired_is_still_booked_and_nothing_undoes_paid(huurder, provider):
    payment = ledger.payment_start(tenant=huurder, items=list(items_of(huurder).values()), provider=provider)
    provider.pay(payment, "expired")
    assert open_balance(huurder) == Decimal("125.31")
    provider.pay(payment, "paid")
    assert open_balance(huurder) == 0
    for status in ("canceled", "failed", "expired", "open"):
        ledger.payment_status_apply(payment.pk, status)
    payment.refresh_from_db()
    assert payment.status == "paid" and open_balance(huurder) == 0


def test_an_unknown_status_changes_nothing(huurder, provider):
    payment = ledger.payment_start(tenant=huurder, items=list(items_of(huurder).values()), provider=provider)
    ledger.payment_status_apply(payment.pk, "authorized")
    payment.refresh_from_db()
    assert payment.status == "open"


def test_an_unknown_id_is_none(db, provider):
    assert ledger.payment_sync("tr_nobody", provider=provider) is None
    assert provider.fetched == 0


def test_two_payments_for_one_invoice_pay_it_once_and_keep_the_rest_as_credit(huurder, provider):
    items = items_of(huurder)
    first = ledger.payment_start(tenant=huurder, items=[items["F-1"]], provider=provider)
    second = ledger.payment_start(tenant=huurder, items=[items["F-1"], items["F-2"]], provider=provider)
    provider.pay(first)
    provider.pay(second)
    second.refresh_from_db()
    assert second.unapplied == Decimal("87.56")
    assert [line.applied for line in second.lines.order_by("id")] == [Decimal("0.00"), Decimal("37.75")]
    assert open_balance(huurder) == 0


def test_a_payment_for_part_of_an_invoice_leaves_the_rest_open(huurder, provider):
    """A line may be for part of an item (an instalment, say): the item stays open for the rest."""
    item = items_of(huurder)["F-1"]
    payment = Payment.objects.create(
        corporation=item.corporation,
        tenant=huurder,
        provider="test",
        provider_id="tr_part",
        amount=Decimal("20.00"),
        description="Deel",
    )
    PaymentLine.objects.create(payment=payment, item=item, amount=Decimal("20.00"))
    provider.status["tr_part"] = "paid"
    ledger.payment_sync("tr_part", provider=provider)
    item.refresh_from_db()
    assert item.amount_paid == Decimal("20.00") and item.paid_at is None
    assert open_balance(huurder) == Decimal("105.31")


# --- the property: never negative, never a cent lost --------------------------------------


amounts = st.integers(min_value=1, max_value=200_000).map(lambda cents: Decimal(cents) * CENTS)
operations = st.lists(
    st.one_of(
        # start a payment for a subset of the items, in a drawn order
        st.tuples(st.just("start"), st.lists(st.integers(0, 4), min_size=1, max_size=5, unique=True)),
        # a payment that splits: any amount per line (at least a cent), on a subset of the items
        st.tuples(
            st.just("split"),
            st.lists(
                st.tuples(st.integers(0, 4), st.integers(1, 250_000)),
                min_size=1,
                max_size=4,
                unique_by=lambda t: t[0],
            ),
        ),
        # the provider reports a status for one of the payments made so far
        st.tuples(
            st.just("status"),
            st.integers(0, 20),
            st.sampled_from(["paid", "paid", "paid", "expired", "canceled", "failed", "pending", "open"]),
        ),
    ),
    min_size=1,
    max_size=25,
)


class Rollback(Exception):
    pass


@settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the work tree
    derandomize=bool(os.environ.get("CI")),  # CI runs the same examples each time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(item_amounts=st.lists(amounts, min_size=1, max_size=5), ops=operations)
def test_paying_in_any_order_and_split_never_loses_a_cent(woonkracht, item_amounts, ops):
    try:
        with transaction.atomic():
            _play(woonkracht, item_amounts, ops)
            raise Rollback
    except Rollback:
        pass


def _play(corporation, item_amounts, ops):
    tenant = make_person("prop@example.nl", corporation)
    items = [
        OpenItem.objects.create(
            corporation=corporation,
            tenant=tenant,
            reference=f"P-{i}",
            description="Factuur",
            amount=amount,
            due_date=date(2026, 12, 1),
        )
        for i, amount in enumerate(item_amounts)
    ]
    total = sum(item_amounts, Decimal("0"))
    provider = FakeProvider()
    payments: list[Payment] = []
    ever_paid: set[int] = set()
    for op in ops:
        if op[0] == "start":
            chosen = [items[i % len(items)] for i in op[1]]
            try:
                payments.append(ledger.payment_start(tenant=tenant, items=chosen, provider=provider))
            except DomainError:
                # Only allowed when one of them is settled already.
                assert any(OpenItem.objects.get(pk=item.pk).paid_at for item in chosen)
        elif op[0] == "split":
            lines = {items[i % len(items)].pk: Decimal(cents) * CENTS for i, cents in op[1]}
            payment = Payment.objects.create(
                corporation=corporation,
                tenant=tenant,
                provider="test",
                provider_id=f"tr_split{len(payments)}",
                amount=sum(lines.values(), Decimal("0")),
                description="Deelbetaling",
            )
            for pk, amount in lines.items():
                PaymentLine.objects.create(payment=payment, item_id=pk, amount=amount)
            provider.status[payment.provider_id] = "open"
            payments.append(payment)
        elif payments:
            payment = payments[op[1] % len(payments)]
            provider.status[payment.provider_id] = op[2]
            ledger.payment_sync(payment.provider_id, provider=provider)
            if op[2] == "paid":
                ever_paid.add(payment.pk)
        _check(tenant, total, ever_paid)


def _check(tenant, total, ever_paid):
    applied_total = Decimal("0")
    received = Decimal("0")
    for payment in Payment.objects.filter(tenant=tenant).prefetch_related("lines"):
        applied = sum((line.applied for line in payment.lines.all()), Decimal("0"))
        assert all(0 <= line.applied <= line.amount for line in payment.lines.all())
        if payment.pk in ever_paid:
            assert payment.status == "paid" and payment.applied_at is not None
            assert applied + payment.unapplied == payment.amount  # every cent is somewhere
            assert payment.unapplied >= 0
            received += payment.amount
        else:
            assert payment.applied_at is None and applied == 0 and payment.unapplied == 0
        applied_total += applied
    paid_on_items = Decimal("0")
    for item in OpenItem.objects.filter(tenant=tenant):
        assert 0 <= item.amount_paid <= item.amount
        assert (item.paid_at is not None) == (item.amount_paid == item.amount)
        paid_on_items += item.amount_paid
    assert paid_on_items == applied_total
    balance = open_balance(tenant)
    assert balance >= 0
    assert balance == total - applied_total
    assert received == applied_total + sum(
        Payment.objects.filter(tenant=tenant).values_list("unapplied", flat=True), Decimal("0")
    )


# --- two webhooks at once (PostgreSQL) -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_webhooks_at_once_book_a_payment_once(needs_postgres, huurder):
    provider = FakeProvider()
    first = ledger.payment_start(tenant=huurder, items=list(items_of(huurder).values()), provider=provider)
    second = ledger.payment_start(tenant=huurder, items=[items_of(huurder)["F-1"]], provider=provider)
    provider.status[first.provider_id] = provider.status[second.provider_id] = "paid"
    barrier = threading.Barrier(6)

    def run(index):
        try:
            barrier.wait(timeout=30)
            ledger.payment_sync((first, second)[index % 2].provider_id, provider=provider)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(run, range(6)))
    first.refresh_from_db()
    second.refresh_from_db()
    f1 = items_of(huurder)["F-1"]
    assert f1.amount_paid == f1.amount and open_balance(huurder) == 0
    assert first.unapplied + second.unapplied == Decimal("87.56")


# --- monthly rent ------------------------------------------------------------------------


def test_the_rent_job_makes_one_invoice_per_running_contract_and_month(huurder, buur, woonkracht, complex_):
    from contracts.models import Contract, ServiceCharge

    home = Contract.objects.get(number="HC-1")
    ServiceCharge.objects.create(contract=home, description="Schoonmaak trappenhuis", amount=Decimal("14.60"))
    ended = make_contract(
        woonkracht, make_unit(woonkracht, complex_, 20), [buur], "HC-OUD", start=date(2010, 1, 1)
    )
    ended.end_date = date(2026, 10, 31)
    ended.save()
    make_contract(
        woonkracht, make_unit(woonkracht, complex_, 22), [buur], "HC-NIEUW", start=date(2026, 12, 1)
    )

    assert ledger.rent_invoices_create(on=date(2026, 11, 15)) == 3  # HC-1, PC-1, HC-2
    assert ledger.rent_invoices_create(on=date(2026, 11, 1)) == 0
    rent = {
        item.contract.number: item
        for item in OpenItem.objects.filter(kind=ItemKind.RENT, period__isnull=False)
    }
    assert set(rent) == {"HC-1", "PC-1", "HC-2"}
    hc1 = rent["HC-1"]
    assert hc1.amount == Decimal("627.00") and hc1.tenant == huurder
    assert hc1.period == hc1.due_date == date(2026, 11, 1)
    assert hc1.reference == "H202611-HC-1" and hc1.description == "Huur november 2026"
    assert rent["PC-1"].amount == Decimal("37.75")

    assert ledger.rent_invoices_create(on=date(2026, 12, 1)) == 4  # the new one starts
    assert ledger.rent_invoices_create(on=date(2026, 12, 2)) == 0


def test_the_rent_task_runs_the_job(huurder):
    from payments.ledger_tasks import rent_invoices_create

    made = rent_invoices_create.delay().get()
    assert made == 2
    assert rent_invoices_create.delay().get() == 0
