"""Demo regions, listings with photos, a seeker and one published allocation; loading twice changes nothing.

- Region "Hoeksche Waard" has the rules of seed 001 (two reactions at a
  time, ordered by correct reactions, a warning on refusal, no fees) and
  Waardwonen (Oud-Beijerland) lets its homes there.
- Region "Zuidwest" has the rules of seed 002 (unlimited reactions, two
  provisional offers at a time, reacting without registration above
  € 720,42, ordered by registration time, € 17,50 to register or renew,
  € 35 to split) and Woonkracht lets its homes there. So each demo staff
  member sees one region in the admin.
- Ten listings over both, with deadlines counted from today; photos and
  floor plans are small JPEGs drawn with Pillow into MEDIA_ROOT.
- The seeker zoeker@example.nl is registered in both regions, with two
  documents (one-page PDFs drawn with Pillow).
- Every demo file passes the same content check as an upload
  (`portal.uploads.check` under its field's policy).
- One listing in Oud-Beijerland is allocated: three seekers reacted, the
  first accepted, so the accountability page has a row.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from allocation import files
from allocation.models import (
    AddressHistory,
    Document,
    HouseholdMember,
    Listing,
    ListingPhoto,
    ListingState,
    Offer,
    Reaction,
    ReactionState,
    Region,
    Registration,
    RegistrationState,
)
from contracts.models import Unit
from portal import uploads
from portal.models import Corporation, User

D = Decimal

REGIONS = [
    {
        "slug": "hoeksche-waard",
        "corporation": "waardwonen",
        "name": "Hoeksche Waard",
        "limit_kind": "reactions",
        "max_reactions": 2,
        "max_provisional_offers": None,
        "unregistered_rent_threshold": None,
        "unregistered_fee": D("0"),
        "registration_fee": D("0"),
        "renewal_fee": D("0"),
        "split_fee": D("0"),
        "max_registration_years": 3,
        "default_ordering": "reacties",
        "refusal_policy": "warning",
        "rules_text": (
            "De Hoeksche Waard is één woningmarkt: u kunt reageren op de woningen van alle gemeenten.\n\n"
            "U kunt op twee advertenties tegelijk reageren. Uw gegevens worden bij uw eerste reactie "
            "geregistreerd; inschrijven kost niets.\n\n"
            "U mag meedoen als u 18 jaar of ouder bent en één jaar in de Hoeksche Waard woont, of er "
            "economisch of maatschappelijk aan gebonden bent.\n\n"
            "Heeft iemand 10 of meer correcte reacties, dan telt het aantal correcte reacties. Anders "
            "telt de woonduur (doorstromers) of de leeftijd (starters).\n\n"
            "Weigert u als eerste kandidaat zonder reden die over de woning gaat, dan krijgt u een "
            "waarschuwing. Een tweede keer in hetzelfde jaar zet uw correcte reacties op 0."
        ),
    },
    {
        "slug": "zuidwest",
        "corporation": "woonkracht",
        "name": "Zuidwest",
        "limit_kind": "offers",
        "max_reactions": None,
        "max_provisional_offers": 2,
        "unregistered_rent_threshold": D("720.42"),
        "unregistered_fee": D("50.00"),
        "registration_fee": D("17.50"),
        "renewal_fee": D("17.50"),
        "split_fee": D("35.00"),
        "max_registration_years": 3,
        "default_ordering": "inschrijfduur",
        "refusal_policy": "priority",
        "rules_text": (
            "U kunt onbeperkt reageren. U krijgt hoogstens twee voorlopige aanbiedingen tegelijk.\n\n"
            "Zonder inschrijving kunt u alleen reageren op woningen met een huur boven € 720,42; dan "
            "telt wie het eerst reageert. Bij het tekenen van het huurcontract kan de corporatie dan "
            "€ 50 administratiekosten vragen.\n\n"
            "Inschrijven kost € 17,50, een jaar verlengen ook. Hoogstens 3 jaar inschrijfduur telt.\n\n"
            "Splitst u de inschrijving, dan betaalt wie wordt afgesplitst € 35."
        ),
    },
]

#: number, region, unit (street, number, letter, postcode, city, kind, home type, build year), listing fields
LISTINGS = [
    (
        "HW-2026-001",
        "hoeksche-waard",
        ("Zinkweg", 41, "", "3262 AB", "Oud-Beijerland", "home", "Eengezinswoning", 1994),
        {
            "rooms": 4,
            "floor_area": 98,
            "base_rent": D("735.50"),
            "service_charges": D("18.00"),
            "energy_label": "A",
            "category": "doorstromer",
        },
    ),
    (
        "HW-2026-002",
        "hoeksche-waard",
        ("Kerkstraat", 12, "B", "3295 AH", "'s-Gravendeel", "home", "Bovenwoning", 1962),
        {
            "rooms": 2,
            "floor_area": 54,
            "base_rent": D("545.00"),
            "service_charges": D("42.50"),
            "energy_label": "B",
            "category": "starter",
        },
    ),
    (
        "HW-2026-003",
        "hoeksche-waard",
        ("Voorstraat", 8, "A", "3281 BD", "Numansdorp", "home", "Seniorenwoning", 2008),
        {
            "rooms": 3,
            "floor_area": 72,
            "base_rent": D("640.00"),
            "service_charges": D("35.00"),
            "energy_label": "A+",
            "min_age": 55,
        },
    ),
    (
        "HW-2026-004",
        "hoeksche-waard",
        ("Molendijk", 14, "", "3261 KB", "Oud-Beijerland", "garage", "", None),
        {
            "rooms": None,
            "floor_area": 16,
            "base_rent": D("95.00"),
            "service_charges": D("0"),
            "energy_label": "",
        },
    ),
    (
        "HW-2026-005",
        "hoeksche-waard",
        ("Kerkstraat", 3, "", "3291 BE", "Strijen", "home", "Studio", 1975),
        {
            "rooms": 1,
            "floor_area": 34,
            "base_rent": D("412.00"),
            "service_charges": D("28.00"),
            "energy_label": "C",
            "category": "starter",
            "temporary": True,
        },
    ),
    (
        "ZW-2026-101",
        "zuidwest",
        ("Noordeinde", 40, "", "3201 CK", "Spijkenisse", "home", "Portiekflat", 1968),
        {
            "rooms": 3,
            "floor_area": 68,
            "base_rent": D("698.20"),
            "service_charges": D("55.00"),
            "energy_label": "E",
            "category": "doorstromer",
        },
    ),
    (
        "ZW-2026-102",
        "zuidwest",
        ("Kerkplein", 5, "", "3221 AK", "Hellevoetsluis", "home", "Eengezinswoning", 1985),
        {
            "rooms": 5,
            "floor_area": 118,
            "base_rent": D("842.75"),
            "service_charges": D("12.00"),
            "energy_label": "A",
        },
    ),
    (
        "ZW-2026-103",
        "zuidwest",
        ("Wolphaertsbocht", 210, "", "3083 MJ", "Rotterdam", "home", "Galerijflat", 1972),
        {
            "rooms": 2,
            "floor_area": 58,
            "base_rent": D("480.00"),
            "service_charges": D("65.00"),
            "energy_label": "D",
            "category": "starter",
        },
    ),
    (
        "ZW-2026-104",
        "zuidwest",
        ("Noordeinde", 44, "P", "3201 CK", "Spijkenisse", "parking", "", None),
        {
            "rooms": None,
            "floor_area": 12,
            "base_rent": D("45.00"),
            "service_charges": D("0"),
            "energy_label": "",
        },
    ),
]

ALLOCATED = (
    "HW-2026-000",
    "hoeksche-waard",
    ("Julianastraat", 22, "", "3262 BM", "Oud-Beijerland", "home", "Eengezinswoning", 1978),
    {
        "rooms": 4,
        "floor_area": 92,
        "base_rent": D("688.40"),
        "service_charges": D("14.50"),
        "energy_label": "B",
        "category": "doorstromer",
    },
)

#: email, first name, surname, birth date, deciding value, urgent
REACTORS = [
    ("fatima.elamrani@example.nl", "Fatima", "El Amrani", date(1979, 6, 2), "14 correcte reacties", False),
    ("jeroen.visser@example.nl", "Jeroen", "Visser", date(1988, 11, 20), "12 correcte reacties", False),
    ("anouk.smit@example.nl", "Anouk", "Smit", date(1995, 2, 14), "10 correcte reacties", False),
]

PHOTO_COLOURS = [(94, 129, 172), (163, 190, 140), (208, 135, 112), (180, 142, 173), (235, 203, 139)]


def _jpeg(draw_fn, size=(640, 416)) -> bytes:
    image = Image.new("RGB", size, (236, 239, 244))
    draw_fn(ImageDraw.Draw(image), *size)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _house(colour):
    def draw(d, w, h):
        d.rectangle([0, 0, w, h * 0.7], fill=(200, 222, 240))
        d.rectangle([0, h * 0.7, w, h], fill=(120, 160, 90))
        left, right, top, ground = w * 0.28, w * 0.72, h * 0.42, h * 0.78
        d.polygon([(left - 30, top), (w / 2, h * 0.14), (right + 30, top)], fill=(120, 50, 40))
        d.rectangle([left, top, right, ground], fill=colour)
        d.rectangle([w * 0.46, h * 0.58, w * 0.54, ground], fill=(60, 60, 70))
        for x in (w * 0.32, w * 0.6):
            d.rectangle([x, h * 0.5, x + w * 0.08, h * 0.62], fill=(250, 250, 255), outline=(60, 60, 70))

    return draw


def _floor_plan(rooms):
    def draw(d, w, h):
        d.rectangle([20, 20, w - 20, h - 20], outline=(30, 30, 30), width=6)
        parts = max(rooms or 1, 1)
        for i in range(1, parts):
            x = 20 + (w - 40) * i / parts
            d.line([(x, 20), (x, h - 20)], fill=(30, 30, 30), width=4)
        d.line([(20, h * 0.6), (w * 0.4, h * 0.6)], fill=(30, 30, 30), width=4)

    return draw


def _letter(d, w, h):
    """A one-page letter: a letterhead and lines of text, with the BSN blacked out."""
    d.rectangle([40, 40, w * 0.45, 70], fill=120)
    for row in range(8):
        y = 130 + row * 34
        d.line([(40, y), (w - 40 - (row % 3) * 60, y)], fill=90, width=6)
    d.rectangle([40, 420, 260, 446], fill=20)


def _pdf(draw_fn, size=(595, 842)) -> bytes:
    image = Image.new("L", size, 255)
    draw_fn(ImageDraw.Draw(image), *size)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72)
    return out.getvalue()


def _file(name: str, make, policy: uploads.Policy) -> str:
    """The stored file's name; drawn once, so a second load finds it and leaves it.

    The demo names its files itself (to find them again), but their content goes through the
    check every upload goes through, so the demo shows nothing an upload could not be.
    """
    if not default_storage.exists(name):
        default_storage.save(name, uploads.check(ContentFile(make()), policy, label=name))
    return name


def _unit(
    corporation, number, street, house_number, letter, postcode, city, kind, home_type, year, rooms, label
):
    unit, _ = Unit.objects.update_or_create(
        postcode=postcode,
        house_number=house_number,
        house_letter=letter,
        house_number_addition="",
        defaults={
            "corporation": corporation,
            "unit_number": number,
            "street": street,
            "city": city,
            "kind": kind,
            "home_type": home_type,
            "rooms": rooms,
            "build_year": year,
            "energy_label": label,
        },
    )
    return unit


def _listing(regions, corporations, spec, index, now, **extra) -> Listing:
    number, region_slug, unit_spec, fields = spec
    region = regions[region_slug]
    corporation = corporations[region_slug]
    street, house_number, letter, postcode, city, kind, home_type, year = unit_spec
    unit = _unit(
        corporation,
        f"D-{number}",
        street,
        house_number,
        letter,
        postcode,
        city,
        kind,
        home_type,
        year,
        fields["rooms"],
        fields["energy_label"],
    )
    kind_label = {"garage": "Garage", "parking": "Parkeerplaats"}.get(kind, home_type)
    today = timezone.localdate()
    defaults = {
        "region": region,
        "corporation": corporation,
        "unit": unit,
        "title": f"{kind_label} in {city}",
        "description": (
            f"{kind_label} aan de {street} in {city}."
            + (
                f" Met {fields['rooms']} kamers en {fields['floor_area']} m² woonoppervlakte."
                if fields["rooms"]
                else ""
            )
        ),
        "home_type": home_type or kind_label,
        "ordering_policy": region.default_ordering,
        "published_at": timezone.make_aware(datetime.combine(today - timedelta(days=2), time(9, 0))),
        "reaction_deadline": timezone.make_aware(
            datetime.combine(today + timedelta(days=5 + index), time(23, 59))
        ),
        "state": ListingState.PUBLISHED,
        "temporary": False,
        "category": "all",
        "min_age": None,
        **fields,
        **extra,
    }
    if kind == "home":
        defaults["floor_plan"] = _file(
            f"listings/plans/{number}.jpg", lambda: _jpeg(_floor_plan(fields["rooms"])), files.FLOOR_PLAN
        )
    listing, _ = Listing.objects.update_or_create(number=number, defaults=defaults)
    colour = PHOTO_COLOURS[index % len(PHOTO_COLOURS)]
    name = _file(f"listings/photos/{number}-1.jpg", lambda: _jpeg(_house(colour)), files.LISTING_PHOTO)
    ListingPhoto.objects.update_or_create(
        listing=listing,
        order=0,
        defaults={"image": name, "alt": f"Voorkant van {street} {house_number}{letter}"},
    )
    return listing


def _user(email, password, **fields) -> User:
    user, created = User.objects.update_or_create(
        email=email, defaults={**fields, "corporation": None, "is_staff": False, "is_active": True}
    )
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def _registration(seeker, region, number, *, registered_on, birth_date, name, address, city, **fields):
    registration, _ = Registration.objects.update_or_create(
        number=number,
        defaults={
            "seeker": seeker,
            "region": region,
            "state": RegistrationState.ACTIVE,
            "registered_on": registered_on,
            "renew_by": registered_on.replace(year=timezone.localdate().year + 1),
            **fields,
        },
    )
    HouseholdMember.objects.update_or_create(
        registration=registration, relation="aanvrager", defaults={"name": name, "birth_date": birth_date}
    )
    AddressHistory.objects.update_or_create(
        registration=registration,
        to_date=None,
        defaults={"address": address, "city": city, "from_date": fields.get("living_since") or registered_on},
    )
    return registration


def _seeker(regions) -> None:
    zoeker = _user(
        "zoeker@example.nl",
        "welkom-zoeker",
        initials="N.",
        first_name="Noor",
        surname="Jansen",
        birth_date=date(1996, 8, 17),
        phone_private="06 24681357",
    )
    profile = {"places": ["Oud-Beijerland", "Spijkenisse"], "max_rent": "760.00", "min_rooms": 2}
    common = {
        "birth_date": zoeker.birth_date,
        "name": "Noor Jansen",
        "address": "Beneden Oostdijk 17",
        "city": "Oud-Beijerland",
        "household_income": D("31200.00"),
        "lived_in_region_since": date(2014, 9, 1),
        "living_since": date(2019, 4, 1),
        "search_profile": profile,
    }
    for slug, number, registered_on, extra in (
        ("hoeksche-waard", "D-HW-0001", date(2021, 3, 15), {"correct_reactions": 6}),
        ("zuidwest", "D-ZW-0001", date(2023, 1, 9), {}),
    ):
        registration = _registration(
            zoeker, regions[slug], number, registered_on=registered_on, **common, **extra
        )
        for kind, original in (
            ("id", "paspoort-bsn-onleesbaar.pdf"),
            ("income", "inkomensverklaring-2025.pdf"),
        ):
            path = _file(f"registrations/demo-{number}-{kind}.pdf", lambda: _pdf(_letter), files.DOCUMENT)
            Document.objects.update_or_create(
                registration=registration, kind=kind, defaults={"file": path, "original_name": original}
            )


def _allocation(regions, corporations, now) -> None:
    """A published allocation: three reactions, the first accepted (A14)."""
    allocated_at = now - timedelta(days=9)
    listing = _listing(
        regions,
        corporations,
        ALLOCATED,
        0,
        now,
        state=ListingState.ALLOCATED,
        published_at=allocated_at - timedelta(days=21),
        reaction_deadline=allocated_at - timedelta(days=7),
        allocated_at=allocated_at,
    )
    for position, (email, first, surname, born, deciding, urgent) in enumerate(REACTORS, start=1):
        seeker = _user(
            email, None, initials=f"{first[0]}.", first_name=first, surname=surname, birth_date=born
        )
        registration = _registration(
            seeker,
            regions["hoeksche-waard"],
            f"D-HW-{position + 1:04d}",
            registered_on=date(2016 + position, 5, 1),
            birth_date=born,
            name=f"{first} {surname}",
            address=f"Weverseinde {100 + position}",
            city="Puttershoek",
            lived_in_region_since=date(2010, 1, 1),
            living_since=date(2012 + position, 1, 1),
            leaves_home_in_region=True,
            correct_reactions=int(deciding.split()[0]),
            urgent=urgent,
        )
        reaction, _ = Reaction.objects.update_or_create(
            listing=listing,
            seeker=seeker,
            defaults={
                "registration": registration,
                "reacted_at": listing.published_at + timedelta(hours=position * 5),
                "state": ReactionState.ACCEPTED if position == 1 else ReactionState.NOT_CHOSEN,
                "position": position,
                "deciding_value": deciding,
            },
        )
        if position == 1:
            Offer.objects.update_or_create(
                reaction=reaction,
                kind="final",
                defaults={
                    "sent_at": allocated_at - timedelta(days=3),
                    "deadline": allocated_at - timedelta(days=1),
                    "answered_at": allocated_at - timedelta(days=2),
                    "accepted": True,
                },
            )


def load() -> list[tuple[str, str, str]]:
    now = timezone.now()
    regions, corporations = {}, {}
    for data in REGIONS:
        data = dict(data)
        corporation = Corporation.objects.get(slug=data.pop("corporation"))
        region, _ = Region.objects.update_or_create(slug=data["slug"], defaults=data)
        region.corporations.add(corporation)
        regions[region.slug], corporations[region.slug] = region, corporation
    for index, spec in enumerate(LISTINGS, start=1):
        _listing(regions, corporations, spec, index, now)
    _seeker(regions)
    _allocation(regions, corporations, now)
    return [("seeker", "zoeker@example.nl", "welkom-zoeker")]
