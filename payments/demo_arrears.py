"""Demo arrears: a few tenants past their due date, and this morning's call queue.

medewerker@example.nl calls in Dutch and Turkish. Woonkracht has tenants in
arrears who prefer Turkish, Moroccan Arabic, Berber and Dutch; Waardwonen
one who prefers Polish (nobody there speaks it, so every caller sees her).
Loading twice gives the same data: people and invoices are updated in place,
and the queue job creates nothing the second time.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from payments import arrears
from payments.models import ItemKind, OpenItem
from portal.models import Corporation, User

#: (email, corporation slug, person, [(reference, description, amount, days past due)])
TENANTS = [
    (
        "m.yilmaz@example.nl",
        "woonkracht",
        {
            "initials": "M.",
            "first_name": "Mehmet",
            "surname": "Yılmaz",
            "phone_mobile": "06 21436587",
            "preferred_language": "tr",
            "relation_number": "R100031",
        },
        [
            ("DEMO-ACHT-0001", "Huur oktober", "612.40", 55),
            ("DEMO-ACHT-0002", "Huur november", "612.40", 24),
        ],
    ),
    (
        "f.elamrani@example.nl",
        "woonkracht",
        {
            "initials": "F.",
            "first_name": "Fatima",
            "surname": "El Amrani",
            "phone_private": "0546 87 65 43",
            "phone_mobile": "06 34251607",
            "preferred_language": "ary",
            "relation_number": "R100032",
        },
        [("DEMO-ACHT-0003", "Huur november", "548.20", 9)],
    ),
    (
        "y.aittaleb@example.nl",
        "woonkracht",
        {
            "initials": "Y.",
            "first_name": "Youssef",
            "surname": "Aït Taleb",
            "phone_mobile": "06 59381726",
            "preferred_language": "ber",
            "relation_number": "R100033",
        },
        [("DEMO-ACHT-0004", "Huur november", "498.75", 3)],
    ),
    (
        "j.jansen@example.nl",
        "woonkracht",
        {
            "initials": "J.",
            "first_name": "Jan",
            "surname": "Jansen",
            "phone_private": "0546 81 23 99",
            "preferred_language": "nl",
            "relation_number": "R100034",
        },
        [("DEMO-ACHT-0005", "Afrekening servicekosten", "35.00", 20)],
    ),
    (
        "k.nowak@example.nl",
        "waardwonen",
        {
            "initials": "K.",
            "first_name": "Katarzyna",
            "surname": "Nowak",
            "phone_mobile": "06 70615243",
            "preferred_language": "pl",
            "relation_number": "W200011",
        },
        [("DEMO-ACHT-0101", "Huur november", "705.10", 12)],
    ),
]


def load() -> None:
    today = timezone.localdate()
    corporations = {c.slug: c for c in Corporation.objects.filter(slug__in={t[1] for t in TENANTS})}
    for email, slug, fields, items in TENANTS:
        corporation = corporations[slug]
        person, created = User.objects.update_or_create(
            email=email, defaults={**fields, "corporation": corporation, "is_active": True}
        )
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        for reference, description, amount, days in items:
            OpenItem.objects.update_or_create(
                corporation=corporation,
                reference=reference,
                defaults={
                    "tenant": person,
                    "kind": ItemKind.RENT if description.startswith("Huur") else ItemKind.SERVICE_CHARGES,
                    "description": description,
                    "amount": Decimal(amount),
                    "amount_paid": Decimal("0.00"),
                    "due_date": today - timedelta(days=days),
                    "paid_at": None,
                },
            )
    User.objects.filter(email="medewerker@example.nl").update(spoken_languages=["nl", "tr"])
    arrears.arrears_queue_build(today)
