"""The home valuation (woningwaardering, WWS) through Woonstad Rotterdam's `woningwaardering`.

`build_eenheid` maps a unit and its spaces to the VERA input model the package
reads; `value_unit` runs the points system for independent homes
(zelfstandige woonruimten) and returns the total, the points per rubric
(stelselgroep) and the maximum rent.

Importing the package costs about 4 s (pandas and a large generated pydantic
model) and changes process-wide state: the decimal context of the importing
thread (BasicContext, 9 digits), the locale (nl_NL), `sys.excepthook` and the
warning filters (every UserWarning anywhere becomes an exception). It is
therefore imported on first use only, and `_package()` undoes those changes.
One valuation then takes about 15 ms (the demo flat, median of 50 runs on a
2-CPU machine: 13-16 ms; the first run in a process 30-60 ms), so pages and
admin actions can value a handful of homes inline; bulk runs belong in a task.
"""

import contextlib
import csv
import decimal
import locale
import logging
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from contracts.models import Space, SpaceKind, Unit

if TYPE_CHECKING:
    from woningwaardering.vera.bvg.generated import EenhedenEenheid

log = logging.getLogger("woningwaardering")

#: Labels registered from this date on are NTA 8800 labels; before it an
#: energy label came from an energy index (or was a "simplified" label).
NTA8800_SINCE = date(2021, 1, 1)
#: An energy label is valid for ten years after its registration.
LABEL_VALID_YEARS = 10

#: Words in `Unit.home_type` that name a home in a multi-family building.
MULTI_FAMILY_WORDS = (
    "flat",
    "portiek",
    "galerij",
    "appartement",
    "maisonnette",
    "bovenwoning",
    "benedenwoning",
    "etage",
    "studio",
    "meergezins",
)
SINGLE_FAMILY_WORDS = (
    "eengezins",
    "rijwoning",
    "rijtjeshuis",
    "tussenwoning",
    "hoekwoning",
    "twee-onder-een-kap",
    "vrijstaand",
    "patiowoning",
    "geschakeld",
)

#: Our label names → VERA ENERGIELABEL codes, where they differ.
VERA_LABEL_CODES = {"A+": "AP", "A++": "APP", "A+++": "AP3", "A++++": "AP4"}

OUTDOOR_KINDS = {SpaceKind.BALCONY, SpaceKind.GARDEN, SpaceKind.ROOF_TERRACE}


class UnsupportedValuationDate(ValueError):
    """The installed package has no rules (tables) for this valuation date."""


@dataclass(frozen=True)
class ValuationResult:
    points: Decimal
    max_rent: Decimal
    #: (Dutch rubric name, points rounded to a quarter as the package rounds)
    rubrics: tuple[tuple[str, Decimal], ...]


_setup_lock = threading.Lock()
_modules = None


def _package():
    """The package's modules, imported once (see the module docstring)."""
    global _modules
    if _modules is None:
        with _setup_lock:
            if _modules is None:
                _modules = _import_carefully()
    return _modules


def _import_carefully():
    """Import the package and put back what its import changes process-wide.

    Its loguru output is forwarded to the stdlib logger "woningwaardering" from
    level WARNING on (the settings route that logger); debug and info stay silent.
    """
    saved_locale = _current_locale()
    saved_tz = os.environ.get("TZ")
    saved_excepthook = sys.excepthook
    with warnings.catch_warnings(), decimal.localcontext():
        import woningwaardering
        from woningwaardering.vera import referentiedata
        from woningwaardering.vera.bvg import generated
    sys.excepthook = saved_excepthook
    if saved_locale:
        with contextlib.suppress(locale.Error):
            locale.setlocale(locale.LC_ALL, saved_locale)
    if saved_tz is None and "TZ" in os.environ:
        del os.environ["TZ"]
        time.tzset()
    _route_loguru()
    return woningwaardering, generated, referentiedata


def _current_locale() -> str | None:
    try:
        return locale.setlocale(locale.LC_ALL)
    except locale.Error:
        return None


def _route_loguru() -> None:
    from loguru import logger

    # loguru's default sink prints everything (DEBUG and up) to stderr;
    # nothing else in the project logs through loguru.
    with contextlib.suppress(ValueError):
        logger.remove(0)
    logger.add(
        lambda message: log.log(message.record["level"].no, message.record["message"]),
        level="WARNING",
        filter="woningwaardering",
        format="{message}",
    )
    logger.enable("woningwaardering")


def build_eenheid(unit: Unit, spaces: Iterable[Space]) -> "EenhedenEenheid":
    """Map a unit and its spaces to the VERA `EenhedenEenheid` the package values.

    Where our model lacks what the package reads, these defaults apply:

    - Building type (pandsoort, which sets the energy-label points): read from
      the words in `home_type` ("galerijflat" → meergezinswoning, "rijwoning" →
      eengezinswoning). When no word matches: meergezinswoning, whose label
      points are never higher, so the maximum rent is not overstated.
    - Energy label: a definitive label valid for 10 years from its registration
      date. Registered from 2021 on it is an NTA 8800 label; before 2021 an
      energy index, whose index value we do not store, so a label from 2015-2020
      earns no points and the package values the build year instead (as it
      does for an expired label). A label without a registration date cannot be
      checked for validity and is left out.
    - WOZ value: used only with its reference date (waardepeildatum); without it
      the package applies the legal minimum WOZ value.
    - Toilets count as standing toilets (not wall-hung, 0.75 point less), baths
      and showers as separate fittings (the package pairs a bath and a shower in
      one room into "bad en douche"); worktops as one aanrecht per space.
    - No cooling, no extra kitchen or bathroom fittings, no monument status, no
      care-home or new-build surcharge data: none of these are recorded.
    - Every space is private: shared rooms (rubriek 9) and shared parking
      (rubriek 10) are not recorded per address, so they earn no points.
    - A zolder is valued as an attic with a fixed stair: an overige ruimte;
      a finished attic room should be recorded as slaapkamer.
    - Address: only the town, with its BAG woonplaats code from the package's
      own table, so the package never looks the address up online. The usable
      floor area (gebruiksoppervlakte, only read for the Amsterdam/Utrecht
      small new-build rule) is the sum of the indoor spaces.
    """
    _, vera, ref = _package()
    spaces = list(spaces)
    indoor_area = sum((s.area for s in spaces if s.kind not in OUTDOOR_KINDS), Decimal("0"))
    return vera.EenhedenEenheid(
        id=unit.unit_number or None,
        woningwaarderingstelsel=ref.Woningwaarderingstelsel.zelfstandige_woonruimten,
        bouwjaar=unit.build_year,
        panden=[vera.EenhedenPand(soort=_building_type(unit.home_type, ref))],
        monumenten=[],
        energieprestaties=_energy_performance(unit, vera, ref),
        woz_eenheden=_woz(unit, vera),
        adres=vera.EenhedenEenheidadres(
            woonplaats=vera.EenhedenWoonplaats(naam=unit.city, code=_town_code(unit.city))
        ),
        gebruiksoppervlakte=int(indoor_area.to_integral_value(ROUND_HALF_UP)),
        ruimten=[_room(space, index, vera, ref) for index, space in enumerate(spaces, start=1)],
    )


def value_unit(unit: Unit, spaces: Iterable[Space], *, on: date) -> ValuationResult:
    """Run the points system for independent homes on date `on`.

    The maximum rent is the package's "maximale huur inclusief opslag": the
    table amount for the points plus any monument or new-build surcharge
    (none with the data we record, see `build_eenheid`). The package's data
    warnings (a kitchen without a worktop, a missing WOZ value) are logged.
    """
    woningwaardering, _, _ = _package()
    eenheid = build_eenheid(unit, spaces)
    try:
        stelsel = woningwaardering.ZelfstandigeWoonruimten(peildatum=on)
    except ValueError as exc:
        raise UnsupportedValuationDate(str(exc)) from exc
    # The package computes in BasicContext (it sets that on import); keep it
    # to this call so the rest of the process keeps Python's default context.
    with warnings.catch_warnings(record=True) as caught, decimal.localcontext(decimal.BasicContext):
        warnings.simplefilter("always", UserWarning)
        result = stelsel.waardeer(eenheid)
    for warning in caught:
        log.warning("%s: %s", unit.unit_number, warning.message)
    return ValuationResult(
        points=Decimal(str(result.punten)).quantize(Decimal("1")),
        max_rent=_money(result.maximale_huur_inclusief_opslag),
        rubrics=tuple(
            (group.criterium_groep.stelselgroep.naam, _quarter(group.punten))
            for group in result.groepen or []
            if group.punten is not None and (group.punten or group.woningwaarderingen)
        ),
    )


def _quarter(points: float) -> Decimal:
    """A rubric's points rounded to a quarter point, half up (beleidsboek 2.1.4)."""
    quarters = (Decimal(str(points)) * 4).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (quarters / 4).quantize(Decimal("0.01"))


def _money(amount: float) -> Decimal:
    return Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _building_type(home_type: str, ref):
    words = home_type.lower()
    if any(word in words for word in SINGLE_FAMILY_WORDS) and not any(
        word in words for word in MULTI_FAMILY_WORDS
    ):
        return ref.Pandsoort.eengezinswoning
    return ref.Pandsoort.meergezinswoning


def _energy_performance(unit, vera, ref) -> list:
    registered = unit.energy_label_registered_on
    if not unit.energy_label or registered is None:
        return []
    kind = (
        ref.Energieprestatiesoort.energielabel_conform_nta8800
        if registered >= NTA8800_SINCE
        else ref.Energieprestatiesoort.energie_index
    )
    return [
        vera.EenhedenEnergieprestatie(
            soort=kind,
            status=ref.Energieprestatiestatus.definitief,
            begindatum=registered,
            einddatum=registered + relativedelta(years=LABEL_VALID_YEARS),
            label=_label(unit.energy_label, ref),
        )
    ]


def _label(label: str, ref):
    code = VERA_LABEL_CODES.get(label, label)
    return next(member for member in ref.Energielabel if member.code == code)


def _woz(unit, vera) -> list:
    if unit.woz_value is None or unit.woz_reference_date is None:
        return []
    return [
        vera.EenhedenWozEenheid(
            vastgestelde_waarde=float(unit.woz_value), waardepeildatum=unit.woz_reference_date
        )
    ]


@cache
def _town_codes() -> dict[str, str | None]:
    """BAG woonplaats codes by lower-case town name, from the package's COROP table."""
    _package()  # files() imports the package: do that the careful way first
    path = files("woningwaardering").joinpath("data/corop/corop.generated.csv")
    codes: dict[str, str | None] = {}
    with path.open(encoding="utf-8") as table:
        for row in csv.DictReader(table):
            name = row["Woonplaats"].strip().lower()
            # A name that occurs twice is ambiguous: no code rather than a wrong one.
            codes[name] = None if name in codes else row["Woonplaatscode"]
    return codes


def _town_code(city: str) -> str | None:
    try:
        return _town_codes().get(city.strip().lower())
    except (OSError, KeyError):
        return None


def _room(space, index: int, vera, ref):
    soort, detail = _ROOM_KINDS[space.kind]
    if space.kind == SpaceKind.BATHROOM and space.toilets:
        detail = "badkamer_met_toilet"
    fittings = ref.Installatiesoort
    installations = (
        [fittings.staand_toilet] * space.toilets
        + [fittings.wastafel] * space.washbasins
        + [fittings.douche] * space.showers
        + [fittings.bad] * space.baths
    )
    elements = []
    if space.worktop_length_mm:
        elements.append(
            vera.BouwkundigElementenBouwkundigElement(
                id=f"aanrecht-{space.pk or index}",
                soort=ref.Bouwkundigelementsoort.voorziening,
                detail_soort=ref.Bouwkundigelementdetailsoort.aanrecht,
                lengte=float(space.worktop_length_mm),
            )
        )
    return vera.EenhedenRuimte(
        id=f"ruimte-{space.pk or index}",
        naam=space.name or None,
        soort=getattr(ref.Ruimtesoort, soort),
        detail_soort=getattr(ref.Ruimtedetailsoort, detail),
        oppervlakte=float(space.area),
        verwarmd=space.heated,
        installaties=installations or None,
        bouwkundige_elementen=elements or None,
    )


# Our space kinds → VERA Ruimtesoort and Ruimtedetailsoort (by member name).
_ROOM_KINDS = {
    SpaceKind.LIVING_ROOM: ("vertrek", "woonkamer"),
    SpaceKind.BEDROOM: ("vertrek", "slaapkamer"),
    SpaceKind.KITCHEN: ("vertrek", "keuken"),
    SpaceKind.BATHROOM: ("vertrek", "badkamer"),
    SpaceKind.TOILET: ("overige_ruimten", "toiletruimte"),
    SpaceKind.HALL: ("verkeersruimte", "hal"),
    SpaceKind.STORAGE: ("overige_ruimten", "berging"),
    SpaceKind.ATTIC: ("overige_ruimten", "zolder"),
    SpaceKind.BALCONY: ("buitenruimte", "balkon"),
    SpaceKind.GARDEN: ("buitenruimte", "tuin"),
    SpaceKind.ROOF_TERRACE: ("buitenruimte", "dakterras"),
}
