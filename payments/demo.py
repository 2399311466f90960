"""Demo open items: huurder@example.nl owes € 125,31."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from contracts.models import Contract
from payments.models import OpenItem
from portal.models import Corporation, User


def load() -> None:
    woonkracht = Corporation.objects.get(slug="woonkracht")
    huurder = User.objects.get(email="huurder@example.nl")
    home = Contract.objects.get(corporation=woonkracht, number="HC-2019-0312")
    parking = Contract.objects.get(corporation=woonkracht, number="PC-2021-0044")
    first_of_month = timezone.localdate().replace(day=1)
    items = [
        ("DEMO-2026-0001", home, "Afrekening servicekosten 2025", Decimal("87.56"), first_of_month),
        (
            "DEMO-2026-0002",
            parking,
            "Huur parkeerplaats",
            Decimal("37.75"),
            first_of_month + timedelta(days=27),
        ),
    ]
    for reference, contract, description, amount, due in items:
        OpenItem.objects.update_or_create(
            corporation=woonkracht,
            reference=reference,
            defaults={
                "tenant": huurder,
                "contract": contract,
                "description": description,
                "amount": amount,
                "due_date": due,
                "paid_at": None,
            },
        )
