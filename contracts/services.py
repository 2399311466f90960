"""Writes for homes and contracts."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Unit, UnitKind, Valuation
from contracts.wws import UnsupportedValuationDate, value_unit
from portal.errors import DomainError

log = logging.getLogger(__name__)

MESSAGES = {
    "valuation_not_a_home": _("Alleen een woning heeft een woningwaardering. Deze eenheid is een {kind}."),
    "valuation_no_spaces": _(
        "Deze woning heeft nog geen ruimten. Leg eerst de ruimten met hun oppervlakte vast; "
        "daarna kan de woningwaardering worden berekend."
    ),
    "valuation_year_unsupported": _(
        "De rekenregels van het woningwaarderingsstelsel voor {year} zijn nog niet beschikbaar. "
        "Probeer het later opnieuw."
    ),
    "valuation_failed": _(
        "De woningwaardering kon niet worden berekend. Controleer de gegevens en ruimten van de woning."
    ),
}


def unit_valuation_compute(*, unit: Unit, on: date | None = None) -> Valuation:
    """Compute the home's valuation (WWS points and maximum rent) and store it.

    Replaces the unit's one Valuation row. `on` is the valuation date, today
    unless given. The calculation runs before the transaction: the first one
    in a process imports the calculator, which takes seconds, and no row needs
    to be locked for that.
    """
    if unit.kind != UnitKind.HOME:
        raise DomainError(MESSAGES["valuation_not_a_home"].format(kind=unit.get_kind_display().lower()))
    spaces = list(unit.spaces.all())
    if not spaces:
        raise DomainError(MESSAGES["valuation_no_spaces"])
    on = on or timezone.localdate()
    try:
        result = value_unit(unit, spaces, on=on)
    except UnsupportedValuationDate as exc:
        raise DomainError(MESSAGES["valuation_year_unsupported"].format(year=on.year)) from exc
    except ValueError as exc:
        log.exception("valuation of unit %s failed", unit.pk)
        raise DomainError(MESSAGES["valuation_failed"]) from exc

    with transaction.atomic():
        valuation, _created = Valuation.objects.update_or_create(
            unit=unit,
            defaults={
                "computed_at": timezone.now(),
                "points": result.points,
                "max_rent": result.max_rent,
                "rubrics": [{"name": name, "points": str(points)} for name, points in result.rubrics],
            },
        )
    unit.valuation = valuation  # a caller's unit shows the new row, not a cached old one
    return valuation
