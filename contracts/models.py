"""Homes and contracts: complexes, units, their spaces, contracts and rent."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Corporation
from portal.validators import normalize_postcode, validate_postcode

MONEY = {"max_digits": 10, "decimal_places": 2}


class Complex(models.Model):
    """A building or group of homes that share common areas."""

    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="complexes"
    )
    code = models.CharField(_("complexnummer"), max_length=20)
    name = models.CharField(_("naam"), max_length=120)
    city = models.CharField(_("plaats"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("complex")
        verbose_name_plural = _("complexen")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "code"], name="complex_code_per_corporation")
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"


class CommonAreaKind(models.TextChoices):
    LIFT = "lift", _("Lift")
    PORCH = "portiek", _("Portiek")
    STAIRWELL = "trappenhuis", _("Trappenhuis")
    GALLERY = "galerij", _("Galerij")
    ENTRANCE = "entree", _("Entree en hal")
    BIKE_STORAGE = "fietsenberging", _("Fietsenberging")
    STORAGE_CORRIDOR = "bergingengang", _("Bergingengang")
    GARDEN = "binnentuin", _("Binnentuin")
    PARKING = "parkeergarage", _("Parkeergarage")
    WASTE = "afvalruimte", _("Afvalruimte")


class CommonArea(models.Model):
    complex = models.ForeignKey(
        Complex, verbose_name=_("complex"), on_delete=models.CASCADE, related_name="common_areas"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=CommonAreaKind.choices)
    name = models.CharField(_("omschrijving"), max_length=120, blank=True)

    class Meta:
        ordering = ["complex", "kind"]
        verbose_name = _("gemeenschappelijke ruimte")
        verbose_name_plural = _("gemeenschappelijke ruimten")

    def __str__(self):
        return self.name or self.get_kind_display()


class UnitKind(models.TextChoices):
    HOME = "home", _("Woning")
    PARKING = "parking", _("Parkeerplaats")
    GARAGE = "garage", _("Garage")


class EnergyLabel(models.TextChoices):
    A4 = "A++++", "A++++"
    A3 = "A+++", "A+++"
    A2 = "A++", "A++"
    A1 = "A+", "A+"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class Unit(models.Model):
    """Something a corporation lets: a home, a parking space or a garage."""

    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="units"
    )
    complex = models.ForeignKey(
        Complex,
        verbose_name=_("complex"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=UnitKind.choices, default=UnitKind.HOME)
    unit_number = models.CharField(_("eenheidnummer"), max_length=20)
    street = models.CharField(_("straat"), max_length=120)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    city = models.CharField(_("plaats"), max_length=80)
    home_type = models.CharField(
        _("woningtype"),
        max_length=60,
        blank=True,
        help_text=_("Bijvoorbeeld eengezinswoning of portiekflat."),
    )
    rooms = models.PositiveSmallIntegerField(_("aantal kamers"), null=True, blank=True)
    build_year = models.PositiveSmallIntegerField(_("bouwjaar"), null=True, blank=True)
    energy_label = models.CharField(_("energielabel"), max_length=5, choices=EnergyLabel.choices, blank=True)
    energy_label_registered_on = models.DateField(_("energielabel geregistreerd op"), null=True, blank=True)
    woz_value = models.DecimalField(_("WOZ-waarde"), null=True, blank=True, **MONEY)
    woz_reference_date = models.DateField(_("WOZ-waardepeildatum"), null=True, blank=True)

    class Meta:
        ordering = ["postcode", "house_number", "house_letter", "house_number_addition"]
        verbose_name = _("eenheid")
        verbose_name_plural = _("eenheden")
        constraints = [
            # One address is one unit: the anonymous repair lookup relies on it.
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_letter", "house_number_addition"],
                name="unit_address_unique",
            ),
            models.UniqueConstraint(
                fields=["corporation", "unit_number"], name="unit_number_per_corporation"
            ),
        ]

    def __str__(self):
        return f"{self.address_line}, {self.city}"

    @property
    def house_number_full(self) -> str:
        suffix = self.house_letter
        if self.house_number_addition:
            suffix = f"{suffix}-{self.house_number_addition}" if suffix else f" {self.house_number_addition}"
        return f"{self.house_number}{suffix}"

    @property
    def address_line(self) -> str:
        return f"{self.street} {self.house_number_full}"

    def clean(self):
        super().clean()
        if self.postcode:
            self.postcode = normalize_postcode(self.postcode)
        self.house_letter = self.house_letter.upper()
        self.house_number_addition = self.house_number_addition.upper()
        if self.complex_id and self.complex.corporation_id != self.corporation_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"complex": _("Het complex hoort bij een andere corporatie.")})


class SpaceKind(models.TextChoices):
    """The spaces the valuation (WWS) distinguishes, by their Dutch names."""

    LIVING_ROOM = "woonkamer", _("Woonkamer")
    BEDROOM = "slaapkamer", _("Slaapkamer")
    KITCHEN = "keuken", _("Keuken")
    BATHROOM = "badkamer", _("Badkamer")
    TOILET = "toilet", _("Toilet")
    HALL = "hal", _("Hal of gang")
    STORAGE = "berging", _("Berging")
    ATTIC = "zolder", _("Zolder")
    BALCONY = "balkon", _("Balkon")
    GARDEN = "tuin", _("Tuin")
    ROOF_TERRACE = "dakterras", _("Dakterras")


class Space(models.Model):
    """A room or outdoor space of a home, as recorded for the valuation."""

    unit = models.ForeignKey(Unit, verbose_name=_("eenheid"), on_delete=models.CASCADE, related_name="spaces")
    kind = models.CharField(_("soort"), max_length=20, choices=SpaceKind.choices)
    name = models.CharField(_("naam"), max_length=60, blank=True)
    area = models.DecimalField(
        _("oppervlakte (m²)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    heated = models.BooleanField(_("verwarmd"), default=False)
    worktop_length_mm = models.PositiveIntegerField(_("lengte aanrecht (mm)"), null=True, blank=True)
    toilets = models.PositiveSmallIntegerField(_("toiletten"), default=0)
    washbasins = models.PositiveSmallIntegerField(_("wastafels"), default=0)
    showers = models.PositiveSmallIntegerField(_("douches"), default=0)
    baths = models.PositiveSmallIntegerField(_("baden"), default=0)

    class Meta:
        ordering = ["unit", "id"]
        verbose_name = _("ruimte")
        verbose_name_plural = _("ruimten")

    def __str__(self):
        return self.name or self.get_kind_display()


class Valuation(models.Model):
    """The home valuation (woningwaardering) by the points system (WWS).

    Computed from the unit's spaces and features and stored, so a tenant's
    page reads one row instead of running the calculation.
    """

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="valuation")
    computed_at = models.DateTimeField(default=timezone.now)
    points = models.DecimalField(_("punten"), max_digits=7, decimal_places=2)
    max_rent = models.DecimalField(_("maximale huurprijs"), **MONEY)
    #: [{"name": "Oppervlakte van vertrekken", "points": "62.00"}, …]
    rubrics = models.JSONField(default=list)

    class Meta:
        verbose_name = _("woningwaardering")
        verbose_name_plural = _("woningwaarderingen")

    def __str__(self):
        return f"{self.unit}: {self.points}"


class Contract(models.Model):
    """A tenancy agreement (huurovereenkomst) for one unit, with one or more tenants."""

    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contractnummer"), max_length=20)
    unit = models.ForeignKey(
        Unit, verbose_name=_("eenheid"), on_delete=models.PROTECT, related_name="contracts"
    )
    tenants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("huurders"), related_name="contracts"
    )
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    base_rent = models.DecimalField(_("kale huur"), **MONEY)

    class Meta:
        ordering = ["unit__kind", "start_date"]
        verbose_name = _("huurcontract")
        verbose_name_plural = _("huurcontracten")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "number"], name="contract_number_per_corporation"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.unit.address_line}"

    @property
    def total_rent(self) -> Decimal:
        """Kale huur plus every service-charge item (reads the prefetched items)."""
        return self.base_rent + sum((c.amount for c in self.service_charges.all()), Decimal("0.00"))

    @property
    def rent_within_maximum(self) -> bool | None:
        """Is the kale huur at most what the home's points allow? None without a valuation."""
        valuation = getattr(self.unit, "valuation", None)
        if valuation is None:
            return None
        return self.base_rent <= valuation.max_rent

    def is_current(self, on) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def clean(self):
        super().clean()
        if self.unit_id and self.unit.corporation_id != self.corporation_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"unit": _("De eenheid hoort bij een andere corporatie.")})


class ServiceCharge(models.Model):
    """One service-charge item of the monthly rent (servicekosten)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="service_charges")
    description = models.CharField(_("omschrijving"), max_length=120)
    amount = models.DecimalField(_("bedrag per maand"), **MONEY)

    class Meta:
        ordering = ["contract", "id"]
        verbose_name = _("servicekosten")
        verbose_name_plural = _("servicekosten")

    def __str__(self):
        return self.description


class ServiceContract(models.Model):
    """An optional service subscription on a contract (e.g. onderhoudsabonnement)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="service_contracts")
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("wat valt eronder"), blank=True)
    monthly_fee = models.DecimalField(_("kosten per maand"), **MONEY)
    start_date = models.DateField(_("ingangsdatum"))

    class Meta:
        ordering = ["contract", "name"]
        verbose_name = _("servicecontract")
        verbose_name_plural = _("servicecontracten")

    def __str__(self):
        return self.name
