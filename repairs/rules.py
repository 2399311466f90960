"""The repair rules of seed 000, as small pure functions over plain values.

"Hoe vraag ik een reparatie aan?", "Hoe maak ik een afspraak?" and "Hoe
herstel ik een fout?" read like these functions; each has a test that quotes
the sentence it follows.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from portal.workdays import is_working_day

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur."
BLOCK_HOURS = 2
BLOCKS: tuple[tuple[int, int], ...] = ((8, 10), (10, 12), (12, 14), (14, 16))

#: "… zijn wij genoodzaakt om voorrijdkosten van twintig euro in rekening te brengen."
NO_SHOW_FEE = Decimal("20.00")

#: How far ahead the calendar lets a tenant book.
BOOKING_HORIZON_DAYS = 60
#: How many of the first free blocks the appointment page offers.
FIRST_FREE_COUNT = 6

#: Photo limits (R3). A phone photo is 2–8 MB and 12–50 megapixels.
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000
MAX_PHOTO_SIDE = 2560
MAX_PHOTOS = 5

#: Rooms in the home; `is_common_area` tells them from the complex's areas.
ROOMS = {
    "woonkamer": _("Woonkamer"),
    "keuken": _("Keuken"),
    "badkamer": _("Badkamer"),
    "toilet": _("Toilet"),
    "slaapkamer": _("Slaapkamer"),
    "hal": _("Hal of gang"),
    "zolder": _("Zolder"),
    "berging": _("Berging of schuur"),
    "buiten": _("Balkon, tuin of gevel"),
    "woning": _("In de hele woning"),
}
#: Common areas, with the codes of `contracts.CommonAreaKind`.
COMMON_AREAS = {
    "lift": _("Lift"),
    "portiek": _("Portiek"),
    "trappenhuis": _("Trappenhuis"),
    "galerij": _("Galerij"),
    "entree": _("Entree en hal"),
    "fietsenberging": _("Fietsenberging"),
    "bergingengang": _("Bergingengang"),
    "binnentuin": _("Binnentuin"),
    "parkeergarage": _("Parkeergarage"),
    "afvalruimte": _("Afvalruimte"),
}
LOCATIONS = {**ROOMS, **COMMON_AREAS}


def is_common_area(location: str) -> bool:
    """ "U kunt ook reparaties aanvragen voor gemeenschappelijke ruimten, zoals de lift of het portiek." """
    return location in COMMON_AREAS


def offered_locations(kind_locations: list[str], complex_areas: set[str]) -> list[str]:
    """The places a tenant may choose: the kind's rooms, and its common areas that the complex has."""
    return [
        code for code in kind_locations if code in ROOMS or (code in COMMON_AREAS and code in complex_areas)
    ]


# --- addresses --------------------------------------------------------------


def addition_key(letter: str = "", addition: str = "") -> str:
    """One comparable form of a house letter and addition: 'a', '-2' and 'A 2' → 'A', '2', 'A2'."""
    raw = f"{letter}{addition}"
    return "".join(ch for ch in raw.upper() if ch.isalnum())


@dataclass(frozen=True)
class Address:
    id: int
    letter: str
    addition: str


def match_address(candidates: list[Address], typed_addition: str) -> int | None:
    """The one unit at a postcode and house number that the typed addition names.

    Without an addition the unit without letter and addition is meant. An
    addition that matches no unit, or a house number with several units and
    no addition, finds nothing: we never guess and never list what exists.
    """
    key = addition_key(typed_addition)
    found = [c.id for c in candidates if addition_key(c.letter, c.addition) == key]
    return found[0] if len(found) == 1 else None


# --- appointment blocks ------------------------------------------------------


def block_start(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def first_bookable_day(now: datetime) -> date:
    """The first day a tenant can book: the next working day.

    Planning fixes the next day's routes at the end of each working day, so
    a block on the day itself is never offered; urgent repairs go by phone.
    """
    day = now.astimezone(AMSTERDAM).date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def last_bookable_day(now: datetime) -> date:
    return now.astimezone(AMSTERDAM).date() + timedelta(days=BOOKING_HORIZON_DAYS)


def bookable_days(start: date, end: date) -> list[date]:
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur": on working days only."""
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def may_book(day: date, hour: int, now: datetime) -> bool:
    """A block can be booked from the next working day up to the horizon, at the block hours."""
    return (
        hour in {start for start, _end in BLOCKS}
        and is_working_day(day)
        and first_bookable_day(now) <= day <= last_bookable_day(now)
    )


def has_room(capacity: int, booked: int) -> bool:
    """A block takes as many repairs as the trade has places in it, and not one more."""
    return booked < capacity


# --- what tenants and staff may do ------------------------------------------

PLANNED, FIXED, COMPLETED, CANCELLED, NO_SHOW = "planned", "fixed", "completed", "cancelled", "no_show"


def tenant_may_change(state: str, starts_at: datetime, now: datetime) -> bool:
    """ "U kunt totdat onze planning de datum definitief maakt het reparatieverzoek annuleren."

    Picking another block is the same kind of change. A block that has begun
    can no longer be changed, fixed or not.
    """
    return state == PLANNED and now < starts_at


def staff_may_fix(state: str) -> bool:
    return state == PLANNED


def staff_may_reschedule(state: str) -> bool:
    return state in (PLANNED, FIXED)


def staff_may_complete(state: str) -> bool:
    return state in (PLANNED, FIXED)


def staff_may_mark_no_show(state: str, starts_at: datetime, now: datetime) -> bool:
    """ "… als de vakman komt voorrijden en u bent niet thuis …": only once the block has begun."""
    return state in (PLANNED, FIXED) and now >= starts_at


def reminder_due(appointment_day: date, today: date, state: str) -> bool:
    """The reminder goes out on the day before the appointment, for an appointment that stands."""
    return state in (PLANNED, FIXED) and appointment_day == today + timedelta(days=1)


# --- search -----------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_matches(query: str, haystack: str) -> bool:
    """ "Gebruik de zoekfunctie": every word typed appears in the kind's name, keywords or problems.

    Case and accents do not matter ("verwarming" finds "CV/Verwarming",
    "geiser" finds "Geiser"); a word matches the start of a longer word too.
    """
    words = _fold(query).split()
    if not words:
        return False
    tokens = _fold(haystack).replace("/", " ").replace(",", " ").split()
    return all(any(token.startswith(word) or word in token for token in tokens) for word in words)
