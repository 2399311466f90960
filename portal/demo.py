"""Demo people and corporations. Loading twice gives the same data."""

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.models import Corporation, Message, User
from portal.permissions import STAFF_GROUP

CORPORATIONS = [
    {
        "slug": "woonkracht",
        "name": "Woonkracht Almelo",
        "phone": "0546 54 64 64",
        "emergency_phone": "0546 54 64 00",
        "email": "klantencentrum@woonkracht.example",
        "address": "Klimopstraat 2A, 7601 AA Almelo",
    },
    {
        "slug": "waardwonen",
        "name": "Waardwonen",
        "phone": "0186 62 00 00",
        "emergency_phone": "0186 62 00 99",
        "email": "info@waardwonen.example",
        "address": "Havenstraat 1, 3261 AA Oud-Beijerland",
    },
]

#: (email, password, fields, corporation slug, role)
PEOPLE = [
    (
        "huurder@example.nl",
        "welkom-huurder",
        {
            "initials": "S.",
            "first_name": "Sanne",
            "surname_prefix": "de",
            "surname": "Vries",
            "birth_date": date(1986, 4, 12),
            "civil_status": "unmarried",
            "phone_private": "06 17507926",
            "relation_number": "R100012",
        },
        "woonkracht",
        "tenant",
    ),
    (
        "buur@example.nl",
        "welkom-buur",
        {
            "initials": "K.J.",
            "first_name": "Kees",
            "surname": "Bakker",
            "birth_date": date(1961, 9, 3),
            "civil_status": "married",
            "phone_private": "0546 812 345",
            "relation_number": "R100014",
        },
        "woonkracht",
        "tenant",
    ),
    (
        "medewerker@example.nl",
        "welkom-medewerker",
        {"initials": "M.", "first_name": "Mila", "surname": "Hendriks"},
        "woonkracht",
        "staff",
    ),
    (
        "collega@example.nl",
        "welkom-collega",
        {"initials": "T.", "first_name": "Tarik", "surname": "Yilmaz"},
        "waardwonen",
        "staff",
    ),
    (
        "beheer@example.nl",
        "welkom-beheer",
        {"initials": "B.", "first_name": "Beheer", "surname": "Portaal"},
        None,
        "superuser",
    ),
]


def load() -> list[tuple[str, str, str]]:
    """Create or update the demo corporations and people; returns the logins."""
    corporations = {}
    for data in CORPORATIONS:
        corporations[data["slug"]], _ = Corporation.objects.update_or_create(slug=data["slug"], defaults=data)
    staff_group = Group.objects.get(name=STAFF_GROUP)
    logins = []
    for email, password, fields, slug, role in PEOPLE:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                **fields,
                "corporation": corporations.get(slug),
                "is_staff": role in ("staff", "superuser"),
                "is_superuser": role == "superuser",
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"primary": True, "verified": True}
        )
        if role == "staff":
            user.groups.add(staff_group)
        logins.append((role, email, password))

    huurder = User.objects.get(email="huurder@example.nl")
    Message.objects.get_or_create(
        person=huurder,
        subject="Welkom in Mijn portaal",
        defaults={
            "body": (
                "Welkom! Hier kunt u zelf uw gegevens wijzigen, uw woning en contract bekijken, "
                "openstaande posten zien en volgen hoe het met uw aanvragen staat."
            )
        },
    )
    return logins
