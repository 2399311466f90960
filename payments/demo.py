"""Demo invoices and payments of huurder@example.nl.

She owes € 125,31 on two open invoices (one past due, one due this month),
and paid the rent of her home and parking space for the last three months
with iDEAL, so Factuur & betaling has a history. Loading again gives the same
data: payments she made while trying out the demo are removed and the open
invoices are open again.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from contracts.models import Contract
from payments.ledger import money, payment_description, rent_invoice_text
from payments.models import ItemKind, OpenItem, Payment, PaymentLine, PaymentStatus
from portal.models import Corporation, User

#: How many past months of paid rent the demo tenant has.
PAID_MONTHS = 3


def load() -> None:
    woonkracht = Corporation.objects.get(slug="woonkracht")
    huurder = User.objects.get(email="huurder@example.nl")
    home = Contract.objects.prefetch_related("service_charges").get(
        corporation=woonkracht, number="HC-2019-0312"
    )
    parking = Contract.objects.prefetch_related("service_charges").get(
        corporation=woonkracht, number="PC-2021-0044"
    )
    first_of_month = timezone.localdate().replace(day=1)

    history_ids = []
    for months_ago in range(PAID_MONTHS, 0, -1):
        period = first_of_month - relativedelta(months=months_ago)
        items = [_paid_rent(woonkracht, huurder, contract, period) for contract in (home, parking)]
        history_ids.append(_paid_payment(woonkracht, huurder, items, period))

    open_items = [
        (
            "DEMO-2026-0001",
            home,
            ItemKind.SERVICE_CHARGES,
            "Afrekening servicekosten 2025",
            Decimal("87.56"),
            first_of_month,
        ),
        (
            "DEMO-2026-0002",
            parking,
            ItemKind.RENT,
            "Huur parkeerplaats",
            Decimal("37.75"),
            first_of_month + timedelta(days=27),
        ),
    ]
    # What she paid of them while trying the demo out goes; they are open again below.
    Payment.objects.filter(
        tenant=huurder,
        lines__item__corporation=woonkracht,
        lines__item__reference__in=[reference for reference, *_ in open_items],
    ).exclude(pk__in=history_ids).delete()
    for reference, contract, kind, description, amount, due in open_items:
        OpenItem.objects.update_or_create(
            corporation=woonkracht,
            reference=reference,
            defaults={
                "tenant": huurder,
                "contract": contract,
                "kind": kind,
                "description": description,
                "amount": amount,
                "amount_paid": Decimal("0.00"),
                "due_date": due,
                "paid_at": None,
            },
        )
    # Tenants in arrears and today's call queue (P4–P6).
    from payments import demo_arrears

    demo_arrears.load()


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _paid_rent(corporation, tenant, contract, period) -> OpenItem:
    text = rent_invoice_text(contract.number, period)
    amount = money(contract.total_rent)
    item, _ = OpenItem.objects.update_or_create(
        corporation=corporation,
        reference=text.reference,
        defaults={
            "tenant": tenant,
            "contract": contract,
            "kind": ItemKind.RENT,
            "period": period,
            "description": text.description,
            "amount": amount,
            "amount_paid": amount,
            "due_date": period,
            "paid_at": _at(period - timedelta(days=2), 10),
        },
    )
    return item


def _paid_payment(corporation, tenant, items, period) -> int:
    """The iDEAL payment of one month's rent, two days before it was due."""
    when = _at(period - timedelta(days=2), 10)
    amount = money(sum((item.amount for item in items), Decimal("0")))
    payment, _ = Payment.objects.update_or_create(
        provider_id=f"demo_rent_{period:%Y%m}_{tenant.pk}",
        defaults={
            "corporation": corporation,
            "tenant": tenant,
            "provider": "demo",
            "method": "ideal",
            "amount": amount,
            "description": payment_description(items),
            "status": PaymentStatus.PAID,
            "checkout_url": "",
            "paid_at": when,
            "applied_at": when,
            "unapplied": Decimal("0.00"),
        },
    )
    payment.lines.exclude(item__in=items).delete()
    for item in items:
        PaymentLine.objects.update_or_create(
            payment=payment, item=item, defaults={"amount": item.amount, "applied": item.amount}
        )
    # created_at is set by the database on insert: put it where the payment happened.
    Payment.objects.filter(pk=payment.pk).update(created_at=when - timedelta(minutes=3))
    return payment.pk
