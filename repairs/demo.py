"""Demo repair catalogues for both corporations, and three repairs of huurder@example.nl.

Loading twice gives the same data. The catalogue is matched on the trade's
name, the kind's slug and the problem's label. The tenant's repairs are
matched on their home and their description:

- a planned CV repair in the first free block at least three working days
  ahead, so the browser demo can cancel or move it (reported again only when
  no such repair is waiting in the future any more, after a cancel, say);
- a leaking kitchen tap that planning has fixed;
- a broken window that was repaired some weeks ago.
"""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from contracts.models import Contract
from portal.models import Corporation, User
from portal.workdays import add_working_days, is_working_day
from repairs import rules, services
from repairs.models import RepairKind, RepairProblem, RepairRequest, RepairState, Slot, Trade

#: Both demo corporations get the same catalogue (their 24-hour numbers are set in portal/demo.py).
CORPORATIONS = ("woonkracht", "waardwonen")

#: (name, places per two-hour block)
TRADES = [
    ("CV-monteurs", 3),
    ("Loodgieters", 3),
    ("Glaszetters", 2),
    ("Ongediertebestrijding", 2),
    ("Rioolservice", 2),
    ("Schoonmaak", 3),
    ("Timmerlieden", 3),
    ("Elektriciens", 2),
    ("Dakdekkers", 2),
    ("Liftmonteurs", 2),
]

HOME = ["woonkamer", "keuken", "badkamer", "toilet", "slaapkamer", "hal", "zolder", "berging", "buiten"]
INDOOR_COMMON = ["portiek", "trappenhuis", "galerij", "entree"]
ALL_COMMON = list(rules.COMMON_AREAS)


def problem(label, follow_up="", choices=(), required=False):
    return {
        "label": label,
        "follow_up": follow_up,
        "follow_up_choices": "\n".join(choices),
        "follow_up_required": required,
    }


HOW_MANY = ["Eén", "Een paar", "Veel"]
DOORS = ["Binnendeur", "Voordeur", "Achterdeur of balkondeur", "Deur van de berging", "Centrale toegangsdeur"]

#: The kinds with a pictogram on the first page, in this order (R2).
FEATURED = [
    {
        "slug": "cv-verwarming",
        "name": "CV/Verwarming",
        "pictogram": "heating",
        "trade": "CV-monteurs",
        "duration_minutes": 60,
        "keywords": "radiator ketel cv-ketel thermostaat warm water geiser boiler verwarming koud",
        "locations": ["woonkamer", "keuken", "badkamer", "slaapkamer", "hal", "zolder", "woning", "entree"],
        "problems": [
            problem(
                "Radiator wordt niet warm",
                "Hoeveel radiatoren worden niet warm?",
                ["Eén radiator", "Meer radiatoren", "Alle radiatoren"],
                required=True,
            ),
            problem(
                "Ketel geeft storing",
                "Welke foutcode staat op het display van de ketel? Bijvoorbeeld F28.",
                required=True,
            ),
            problem(
                "Geen warm water",
                "Waar komt geen warm water?",
                ["Nergens in huis", "Alleen in de keuken", "Alleen in de badkamer"],
                required=True,
            ),
            problem(
                "Thermostaat werkt niet",
                "Wat ziet u op de thermostaat? Bijvoorbeeld: het scherm is leeg.",
            ),
            problem(
                "Radiator of cv-leiding lekt",
                "Hoeveel water lekt er?",
                ["Een paar druppels", "Er ligt een plas water"],
                required=True,
            ),
        ],
    },
    {
        "slug": "gas",
        "name": "Gas",
        "pictogram": "gas",
        "urgent": True,
        "keywords": "gaslucht gaslek gas ruiken gasmeter gasleiding kookplaat fornuis",
        "urgent_text": (
            "Ruikt u gas? Ga dan direct naar buiten en laat de deuren open. "
            "Gebruik geen lichtknoppen, deurbel of andere schakelaars. "
            "Trek geen stekker uit het stopcontact. "
            "Rook niet en maak geen vuur. Waarschuw uw buren. "
            "Bel daarna buiten ons spoednummer. Dat is 24 uur per dag bereikbaar."
        ),
    },
    {
        "slug": "glas",
        "name": "Glas",
        "pictogram": "glass",
        "trade": "Glaszetters",
        "duration_minutes": 90,
        "keywords": "ruit raam glas gebroken gebarsten barst dubbel glas condens beslagen glasfonds",
        "locations": [*HOME, *INDOOR_COMMON, "fietsenberging", "bergingengang"],
        "problems": [
            problem(
                "Ruit is gebroken of gebarsten",
                "Wat voor glas is het?",
                ["Enkel glas", "Dubbel glas", "Weet ik niet"],
                required=True,
            ),
            problem(
                "Dubbel glas is beslagen tussen de ruiten",
                "Hoeveel ruiten zijn beslagen?",
                HOW_MANY,
            ),
            problem(
                "Glas in een deur is kapot",
                "Kunt u de deur nog op slot doen?",
                ["Ja", "Nee"],
                required=True,
            ),
        ],
    },
    {
        "slug": "ongedierte",
        "name": "Ongedierte",
        "pictogram": "pests",
        "trade": "Ongediertebestrijding",
        "duration_minutes": 60,
        "keywords": (
            "muizen muis ratten rat kakkerlakken wespen mieren zilvervisjes bedwantsen vlooien duiven"
        ),
        "locations": [
            "woning",
            "keuken",
            "zolder",
            "berging",
            "buiten",
            "galerij",
            "trappenhuis",
            "fietsenberging",
            "bergingengang",
            "binnentuin",
            "parkeergarage",
            "afvalruimte",
        ],
        "problems": [
            problem(
                "Muizen of ratten",
                "Welk dier ziet u, of van welk dier ziet u keutels?",
                ["Muizen", "Ratten", "Weet ik niet"],
                required=True,
            ),
            problem(
                "Kakkerlakken of andere insecten",
                "Welke beestjes ziet u? Beschrijf ze kort, bijvoorbeeld kleur en grootte.",
                required=True,
            ),
            problem(
                "Wespennest",
                "Waar zit het nest?",
                ["In huis", "Aan de buitenkant van het huis", "Onder het dak", "In de tuin"],
                required=True,
            ),
            problem("Duiven of meeuwen nestelen aan het gebouw"),
        ],
    },
    {
        "slug": "riool",
        "name": "Riool",
        "pictogram": "sewer",
        "trade": "Rioolservice",
        "duration_minutes": 60,
        "keywords": "verstopt verstopping afvoer riool stank rioollucht wc gootsteen put ontstoppen",
        "locations": [
            "keuken",
            "badkamer",
            "toilet",
            "buiten",
            "woning",
            "bergingengang",
            "binnentuin",
            "parkeergarage",
            "afvalruimte",
        ],
        "problems": [
            problem(
                "Afvoer is verstopt",
                "Welke afvoer is verstopt?",
                ["Toilet", "Gootsteen in de keuken", "Douche of bad", "Wastafel", "Put buiten"],
                required=True,
            ),
            problem(
                "Water komt omhoog uit de afvoer",
                "Hoeveel water komt er omhoog?",
                ["Een beetje", "Veel, het stroomt over"],
                required=True,
            ),
            problem("Het ruikt naar riool", "Waar ruikt u het het sterkst?"),
        ],
    },
    {
        "slug": "schoonmaak",
        "name": "Schoonmaak",
        "pictogram": "cleaning",
        "trade": "Schoonmaak",
        "duration_minutes": 60,
        "keywords": "vuil vies zwerfvuil afval graffiti bekladding schoonmaken poetsen urine poep grofvuil",
        "locations": ALL_COMMON,
        "problems": [
            problem("Vuil of afval op de trap, in de gang of in de lift"),
            problem(
                "Graffiti of bekladding", "Hoe groot is het ongeveer?", ["Klein", "Groot, meer dan 1 meter"]
            ),
            problem("Uitwerpselen of urine"),
            problem(
                "Er staat grofvuil",
                "Wat staat er?",
                ["Een paar losse spullen", "Veel spullen, zoals meubels of een matras"],
                required=True,
            ),
        ],
    },
    {
        "slug": "spoed",
        "name": "Spoed",
        "pictogram": "urgent",
        "urgent": True,
        "keywords": (
            "spoed noodgeval lekkage overstroming wateroverlast stroomstoring kortsluiting inbraak "
            "voordeur slot buitengesloten geen verwarming lift vast"
        ),
        "urgent_text": (
            "Een spoedreparatie kunt u niet online aanvragen. Bel direct ons spoednummer. "
            "Dat is 24 uur per dag bereikbaar. Spoed is bijvoorbeeld: "
            "er staat water in huis of het lekt door het plafond; "
            "in de winter werkt de verwarming 's avonds of 's nachts niet; "
            "uw voordeur kan niet meer op slot, bijvoorbeeld na een inbraak; "
            "de stroom is in het hele huis uitgevallen. "
            "Zit iemand vast in de lift? Druk dan op de alarmknop in de lift. "
            "Is er brand of gevaar voor mensen? Bel eerst 112."
        ),
    },
]

#: "Andere reparaties kiezen": the longer list without a pictogram on the first page.
OTHERS = [
    {
        "slug": "deur-en-slot",
        "name": "Deur en slot",
        "pictogram": "door",
        "trade": "Timmerlieden",
        "duration_minutes": 60,
        "keywords": "deur slot sleutel klemt scharnier deurklink cilinder deurdranger brievenbus",
        "locations": [*HOME, *INDOOR_COMMON, "fietsenberging", "bergingengang"],
        "problems": [
            problem("Deur klemt of sluit niet goed", "Om welke deur gaat het?", DOORS, required=True),
            problem("Slot of cilinder werkt niet", "Om welke deur gaat het?", DOORS, required=True),
            problem("Deurklink zit los of is kapot"),
            problem("Deur valt niet vanzelf dicht"),
        ],
    },
    {
        "slug": "elektra",
        "name": "Elektra",
        "pictogram": "electricity",
        "trade": "Elektriciens",
        "duration_minutes": 45,
        "keywords": "stopcontact lamp licht stroom groep aardlekschakelaar meterkast schakelaar rookmelder",
        "locations": [*HOME, *INDOOR_COMMON, "fietsenberging", "bergingengang", "parkeergarage"],
        "problems": [
            problem(
                "Stopcontact of schakelaar werkt niet",
                "Waar zit het stopcontact of de schakelaar? Bijvoorbeeld: naast de deur.",
            ),
            problem(
                "Een groep of de aardlekschakelaar springt eruit",
                "Hoe vaak gebeurt dat?",
                ["Eén keer", "Steeds opnieuw"],
                required=True,
            ),
            problem("Lamp in een gemeenschappelijke ruimte is kapot"),
            problem(
                "Rookmelder piept",
                "Wat doet de rookmelder?",
                ["Een kort piepje, steeds na een minuut of zo", "Hij blijft alarm geven"],
                required=True,
            ),
        ],
    },
    {
        "slug": "kraan-en-water",
        "name": "Kraan en water",
        "pictogram": "water",
        "trade": "Loodgieters",
        "duration_minutes": 45,
        "keywords": "kraan lekt druppelt waterleiding mengkraan thermostaatkraan waterdruk buitenkraan",
        "locations": ["keuken", "badkamer", "toilet", "zolder", "berging", "buiten"],
        "problems": [
            problem(
                "Kraan lekt of druppelt",
                "Welke kraan is het?",
                ["Keukenkraan", "Kraan in de badkamer", "Kraan in het toilet", "Buitenkraan"],
                required=True,
            ),
            problem("Er komt weinig water uit de kraan"),
            problem(
                "Waterleiding lekt",
                "Hoeveel water lekt er?",
                ["Een paar druppels", "Er ligt een plas water"],
                required=True,
            ),
        ],
    },
    {
        "slug": "toilet",
        "name": "Toilet",
        "pictogram": "water",
        "trade": "Loodgieters",
        "duration_minutes": 45,
        "keywords": "wc toilet doortrekken stortbak spoelbak reservoir toiletbril pot",
        "locations": ["toilet", "badkamer"],
        "problems": [
            problem("Toilet blijft doorlopen"),
            problem("Toilet spoelt niet door"),
            problem("Toilet lekt aan de onderkant"),
            problem("Toiletpot zit los of is gebarsten"),
        ],
    },
    {
        "slug": "keuken",
        "name": "Keuken",
        "pictogram": "kitchen",
        "trade": "Timmerlieden",
        "duration_minutes": 60,
        "keywords": "keukenkastje kastje aanrecht lade la scharnier werkblad keukenblok",
        "locations": ["keuken"],
        "problems": [
            problem("Deurtje van een kastje of een lade is kapot", "Welk kastje of welke lade is het?"),
            problem("Werkblad is beschadigd of laat los"),
            problem("Kastje hangt scheef of zit los"),
        ],
    },
    {
        "slug": "badkamer-en-douche",
        "name": "Badkamer en douche",
        "pictogram": "bathroom",
        "trade": "Loodgieters",
        "duration_minutes": 90,
        "keywords": "douche bad wastafel kitnaad kit schimmel tegels douchekop douchekraan",
        "locations": ["badkamer", "toilet"],
        "problems": [
            problem("Kitnaad is kapot of zwart"),
            problem(
                "Tegel zit los of is gebarsten",
                "Waar zit de tegel?",
                ["Op de muur", "Op de vloer"],
                required=True,
            ),
            problem("Douchekraan werkt niet goed"),
            problem("Wastafel zit los of is gebarsten"),
        ],
    },
    {
        "slug": "dak-en-goot",
        "name": "Dak en goot",
        "pictogram": "roof",
        "trade": "Dakdekkers",
        "duration_minutes": 120,
        "keywords": "dak goot dakgoot regenpijp dakpan daklekkage lekkage plafond",
        "locations": ["zolder", "slaapkamer", "buiten", "woning", "galerij", "trappenhuis"],
        "problems": [
            problem(
                "Dak lekt",
                "Hoeveel water komt er binnen?",
                ["Het druppelt", "Er komt veel water binnen"],
                required=True,
            ),
            problem("Dakgoot is verstopt of lekt"),
            problem("Regenpijp zit los of is kapot"),
            problem("Dakpan is kapot of weggewaaid"),
        ],
    },
    {
        "slug": "ventilatie",
        "name": "Ventilatie",
        "pictogram": "ventilation",
        "trade": "CV-monteurs",
        "duration_minutes": 60,
        "keywords": "ventilatie mechanische ventilatiebox afzuiging rooster vocht schimmel lawaai",
        "locations": ["woning", "keuken", "badkamer", "toilet", "zolder"],
        "problems": [
            problem(
                "Ventilatie werkt niet",
                "Zit de stekker van de ventilatiebox in het stopcontact?",
                ["Ja", "Nee", "Weet ik niet"],
                required=True,
            ),
            problem("Ventilatie maakt veel lawaai"),
            problem(
                "Schimmel op de muur of het plafond",
                "Hoe groot is de plek?",
                ["Klein", "Groter dan een vel papier"],
                required=True,
            ),
        ],
    },
    {
        "slug": "raam-en-kozijn",
        "name": "Raam en kozijn",
        "pictogram": "window",
        "trade": "Timmerlieden",
        "duration_minutes": 60,
        "keywords": "raam kozijn klemt sluit niet tocht houtrot raamgreep scharnier vensterbank",
        "locations": [*HOME, *INDOOR_COMMON],
        "problems": [
            problem("Raam gaat niet open of niet dicht"),
            problem("Raam sluit niet goed en het tocht"),
            problem("Raamgreep is kapot"),
            problem("Hout van het kozijn is rot"),
        ],
    },
    {
        "slug": "trap-en-leuning",
        "name": "Trap en leuning",
        "pictogram": "tools",
        "trade": "Timmerlieden",
        "duration_minutes": 60,
        "keywords": "trap leuning trapleuning traptrede trede hek balustrade",
        "locations": ["hal", "zolder", "woning", "buiten", "portiek", "trappenhuis", "galerij"],
        "problems": [
            problem("Leuning zit los"),
            problem("Traptrede zit los of is kapot"),
            problem("Hek of balustrade zit los"),
        ],
    },
    {
        "slug": "lift",
        "name": "Lift",
        "pictogram": "tools",
        "trade": "Liftmonteurs",
        "duration_minutes": 90,
        "keywords": "lift storing liftdeur liftknop stil",
        "locations": ["lift"],
        "problems": [
            problem("Lift doet het niet"),
            problem("Liftdeur gaat niet goed open of dicht"),
            problem("Knop of lampje in de lift is kapot", "Welke knop of welk lampje?"),
        ],
    },
    {
        "slug": "intercom-en-deurbel",
        "name": "Intercom en deurbel",
        "pictogram": "electricity",
        "trade": "Elektriciens",
        "duration_minutes": 60,
        "keywords": "intercom deurbel bel deuropener belpaneel",
        "locations": ["hal", "woning", "portiek", "entree"],
        "problems": [
            problem("Deurbel werkt niet"),
            problem(
                "Intercom werkt niet",
                "Wat gaat er mis?",
                ["Ik hoor niets", "Mijn bezoek hoort mij niet", "De deur gaat niet open"],
                required=True,
            ),
        ],
    },
    {
        "slug": "tuin-en-schutting",
        "name": "Tuin en schutting",
        "pictogram": "tools",
        "trade": "Timmerlieden",
        "duration_minutes": 120,
        "keywords": "tuin schutting hek poort erfafscheiding tegels bestrating",
        "locations": ["buiten", "binnentuin"],
        "problems": [
            problem("Schutting is kapot of staat scheef"),
            problem("Tuinhek of poort gaat niet goed dicht"),
            problem("Tegels liggen los of scheef"),
        ],
    },
]

#: Markers that find the tenant's demo repairs again on a second run.
PLANNED_TEXT = "De radiatoren in de woonkamer en de slaapkamer blijven koud."
FIXED_TEXT = "De keukenkraan blijft druppelen, ook als hij helemaal dicht is."
COMPLETED_TEXT = "Er zit een barst in het raam van de slaapkamer."


def load() -> None:
    for slug in CORPORATIONS:
        catalogue(Corporation.objects.get(slug=slug))
    tenant_repairs()


def catalogue(corporation) -> dict[str, RepairKind]:
    """Create or update one corporation's trades, kinds and problems."""
    trades = {}
    for name, capacity in TRADES:
        trades[name], _ = Trade.objects.update_or_create(
            corporation=corporation, name=name, defaults={"block_capacity": capacity}
        )
    kinds = {}
    rows = [(spec, True, order) for order, spec in enumerate(FEATURED, start=1)]
    rows += [(spec, False, order) for order, spec in enumerate(OTHERS, start=20)]
    for spec, featured, order in rows:
        trade = spec.get("trade")
        kind, _ = RepairKind.objects.update_or_create(
            corporation=corporation,
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "pictogram": spec["pictogram"],
                "featured": featured,
                "order": order,
                "keywords": spec["keywords"],
                "urgent": spec.get("urgent", False),
                "urgent_text": spec.get("urgent_text", ""),
                "trade": trades[trade] if trade else None,
                "duration_minutes": spec.get("duration_minutes", 60),
                "locations": spec.get("locations", []),
                "active": True,
            },
        )
        for number, fields in enumerate(spec.get("problems", []), start=1):
            RepairProblem.objects.update_or_create(
                kind=kind, label=fields["label"], defaults={**fields, "order": number}
            )
        kinds[kind.slug] = kind
    return kinds


# --- huurder@example.nl's repairs ------------------------------------------------


def tenant_repairs() -> None:
    woonkracht = Corporation.objects.get(slug="woonkracht")
    huurder = User.objects.get(email="huurder@example.nl")
    medewerker = User.objects.get(email="medewerker@example.nl")
    home = Contract.objects.get(corporation=woonkracht, number="HC-2019-0312").unit
    kinds = {kind.slug: kind for kind in RepairKind.objects.filter(corporation=woonkracht)}
    today = timezone.localdate()

    # Still waiting, so the tenant can cancel it or pick another block.
    waiting = RepairRequest.objects.filter(
        unit=home, description=PLANNED_TEXT, state=RepairState.PLANNED, slot__date__gt=today
    )
    if not waiting.exists():
        heating = kinds["cv-verwarming"]
        day, hour = _first_free(heating.trade, add_working_days(today, 3))
        _report(
            huurder,
            home,
            heating,
            "woonkamer",
            "Radiator wordt niet warm",
            "Meer radiatoren",
            PLANNED_TEXT,
            day,
            hour,
        )

    if not RepairRequest.objects.filter(unit=home, description=FIXED_TEXT).exists():
        tap = kinds["kraan-en-water"]
        block = services.first_free_blocks(tap.trade, count=1)[0]
        repair = _report(
            huurder,
            home,
            tap,
            "keuken",
            "Kraan lekt of druppelt",
            "Keukenkraan",
            FIXED_TEXT,
            block.day,
            block.start_hour,
        )
        services.repair_fix(repair=repair, staff=medewerker)

    if not RepairRequest.objects.filter(unit=home, description=COMPLETED_TEXT).exists():
        _completed(huurder, home, kinds["glas"], today)


def _first_free(trade, start):
    """The first block with a free place on or after `start`."""
    end = start + timedelta(days=rules.BOOKING_HORIZON_DAYS)
    for block in services.blocks_between(trade, start, end):
        if block.free > 0:
            return block.day, block.start_hour
    block = services.first_free_blocks(trade, count=1)[0]
    return block.day, block.start_hour


def _report(huurder, home, kind, location, label, answer, description, day, hour):
    return services.repair_report(
        services.Report(
            unit=home,
            kind=kind,
            location=location,
            problem=kind.problems.get(label=label),
            follow_up_answer=answer,
            description=description,
            contact_name=huurder.full_name,
            contact_phone=huurder.phone_private,
            contact_email=huurder.email,
            day=day,
            start_hour=hour,
            reporter=huurder,
        )
    )


def _completed(huurder, home, kind, today):
    """A repair done some weeks ago. The services never book in the past, so the rows are made here."""
    day = today - timedelta(days=35)
    while not is_working_day(day):
        day -= timedelta(days=1)
    hour = rules.BLOCKS[1][0]
    slot, _ = Slot.objects.get_or_create(
        trade=kind.trade, date=day, start_hour=hour, defaults={"capacity": kind.trade.block_capacity}
    )
    if slot.booked >= slot.capacity:
        Slot.objects.filter(pk=slot.pk).update(capacity=F("booked") + 1)
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    reported = datetime.combine(day - timedelta(days=6), time(9, 12), tzinfo=rules.AMSTERDAM)
    repair = RepairRequest.objects.create(
        number=f"~demo-{home.pk}",
        corporation=home.corporation,
        unit=home,
        complex=home.complex,
        kind=kind,
        location="slaapkamer",
        problem=kind.problems.get(label="Ruit is gebroken of gebarsten"),
        follow_up_answer="Dubbel glas",
        description=COMPLETED_TEXT,
        reporter=huurder,
        contact_name=huurder.full_name,
        contact_phone=huurder.phone_private,
        contact_email=huurder.email,
        slot=slot,
        state=RepairState.COMPLETED,
        created_at=reported,
        fixed_at=reported + timedelta(days=3, hours=8),
        closed_at=datetime.combine(day, time(hour + 1, 20), tzinfo=rules.AMSTERDAM),
        reminder_sent_at=datetime.combine(day - timedelta(days=1), time(7), tzinfo=rules.AMSTERDAM),
        staff_note="Dubbel glas in het slaapkamerraam vervangen. Kosten via het glasfonds.",
    )
    repair.number = f"R{reported:%Y}-{repair.pk:06d}"
    repair.save(update_fields=["number"])
