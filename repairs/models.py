"""Repairs: repair kinds, questionnaires, requests, photos and appointment blocks.

A corporation keeps its own catalogue of repair kinds (with the questions
each kind asks) and its own trades (the teams that go out). Each trade has a
number of places per two-hour block; a `Slot` row holds one block of one
trade on one day, and the database refuses to book more places than it has.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Corporation
from portal.upload_fields import CheckedFileField
from repairs import rules
from repairs.photos import photo_policy


class Pictogram(models.TextChoices):
    HEATING = "heating", _("Verwarming")
    GAS = "gas", _("Gas")
    GLASS = "glass", _("Glas")
    PESTS = "pests", _("Ongedierte")
    SEWER = "sewer", _("Riool")
    CLEANING = "cleaning", _("Schoonmaak")
    URGENT = "urgent", _("Spoed")
    WATER = "water", _("Water")
    DOOR = "door", _("Deur en slot")
    ELECTRICITY = "electricity", _("Elektra")
    WINDOW = "window", _("Raam")
    ROOF = "roof", _("Dak")
    VENTILATION = "ventilation", _("Ventilatie")
    KITCHEN = "kitchen", _("Keuken")
    BATHROOM = "bathroom", _("Badkamer")
    TOOLS = "tools", _("Overig")


class Trade(models.Model):
    """A team that carries out repairs (vakgebied): CV-monteurs, glaszetters, …

    `block_capacity` is how many repairs the team can do in one two-hour
    block; a block's own `Slot` row copies it when the block is first used,
    and staff can change it there for one day (a holiday, a sick mechanic).
    """

    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="trades"
    )
    name = models.CharField(_("naam"), max_length=80)
    block_capacity = models.PositiveSmallIntegerField(
        _("plaatsen per tijdvak"),
        default=2,
        help_text=_("Hoeveel reparaties dit team in één tijdvak van twee uur kan doen."),
    )

    class Meta:
        ordering = ["corporation", "name"]
        verbose_name = _("vakgebied")
        verbose_name_plural = _("vakgebieden")
        constraints = [models.UniqueConstraint(fields=["corporation", "name"], name="trade_name_unique")]

    def __str__(self):
        return self.name


class RepairKind(models.Model):
    """A kind of repair a tenant can choose, with its questionnaire.

    `featured` kinds get a pictogram on the first page; the others are under
    "Andere reparaties kiezen". An `urgent` kind (Spoed, Gas) is never
    booked: the page shows the 24-hour phone number instead.
    """

    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="repair_kinds"
    )
    name = models.CharField(_("naam"), max_length=80)
    slug = models.SlugField(_("korte naam"), max_length=80)
    pictogram = models.CharField(
        _("pictogram"), max_length=20, choices=Pictogram.choices, default=Pictogram.TOOLS
    )
    featured = models.BooleanField(_("op de eerste pagina"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    keywords = models.CharField(
        _("zoekwoorden"),
        max_length=300,
        blank=True,
        help_text=_("Andere woorden waarop de zoekfunctie deze soort vindt."),
    )
    urgent = models.BooleanField(
        _("spoed"),
        default=False,
        help_text=_("Niet online inplannen: toon het telefoonnummer dat 24 uur bereikbaar is."),
    )
    urgent_text = models.TextField(_("tekst bij spoed"), blank=True)
    trade = models.ForeignKey(
        Trade,
        verbose_name=_("vakgebied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kinds",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("gebruikelijke duur (minuten)"), default=60, help_text=_("Hoe lang de reparatie meestal duurt.")
    )
    locations = models.JSONField(
        _("ruimten"),
        default=list,
        blank=True,
        help_text=_("Waar het probleem kan zijn: kamers in de woning en gemeenschappelijke ruimten."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["corporation", "order", "name"]
        verbose_name = _("soort reparatie")
        verbose_name_plural = _("soorten reparaties")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "slug"], name="repair_kind_slug_unique")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = [code for code in self.locations or [] if code not in rules.LOCATIONS]
        if unknown:
            raise ValidationError(
                {"locations": _("Onbekende ruimte: %(codes)s") % {"codes": ", ".join(unknown)}}
            )
        if not self.urgent and self.trade_id is None:
            raise ValidationError({"trade": _("Kies het vakgebied dat deze reparatie uitvoert.")})
        if self.trade_id and self.trade.corporation_id != self.corporation_id:
            raise ValidationError({"trade": _("Dit vakgebied hoort bij een andere corporatie.")})


class RepairProblem(models.Model):
    """One answer to "Wat is er aan de hand?" for a kind, with its follow-up question.

    A follow-up question with choices (one per line) is answered by picking
    one; without choices the tenant types the answer (an error code, say).
    """

    kind = models.ForeignKey(
        RepairKind, verbose_name=_("soort"), on_delete=models.CASCADE, related_name="problems"
    )
    label = models.CharField(_("probleem"), max_length=150)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    follow_up = models.CharField(_("vervolgvraag"), max_length=200, blank=True)
    follow_up_choices = models.TextField(
        _("antwoorden op de vervolgvraag"),
        blank=True,
        help_text=_("Eén antwoord per regel. Leeg: de huurder typt het antwoord."),
    )
    follow_up_required = models.BooleanField(_("vervolgvraag verplicht"), default=False)

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("probleem")
        verbose_name_plural = _("problemen")

    def __str__(self):
        return self.label

    @property
    def choices(self) -> list[str]:
        return [line.strip() for line in self.follow_up_choices.splitlines() if line.strip()]


class Slot(models.Model):
    """One two-hour block of one trade on one day, and how full it is.

    `booked` only changes through `repairs.services`, by a conditional
    UPDATE; the check constraint makes the database refuse a booking that
    would go over `capacity` even when two people press the button at once.
    """

    trade = models.ForeignKey(
        Trade, verbose_name=_("vakgebied"), on_delete=models.PROTECT, related_name="slots"
    )
    date = models.DateField(_("datum"))
    start_hour = models.PositiveSmallIntegerField(
        _("begintijd (uur)"), choices=[(s, f"{s:02d}:00") for s, _e in rules.BLOCKS]
    )
    capacity = models.PositiveSmallIntegerField(_("plaatsen"))
    booked = models.PositiveSmallIntegerField(_("geboekt"), default=0)

    class Meta:
        ordering = ["date", "start_hour", "trade"]
        verbose_name = _("tijdvak")
        verbose_name_plural = _("tijdvakken")
        constraints = [
            models.UniqueConstraint(fields=["trade", "date", "start_hour"], name="slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"),
        ]

    def __str__(self):
        return f"{self.trade} {self.date:%d-%m-%Y} {self.label}"

    @property
    def end_hour(self) -> int:
        return self.start_hour + rules.BLOCK_HOURS

    @property
    def label(self) -> str:
        return f"{self.start_hour:02d}:00 – {self.end_hour:02d}:00"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def starts_at(self):
        return rules.block_start(self.date, self.start_hour)

    @property
    def ends_at(self):
        return rules.block_start(self.date, self.end_hour)


class RepairState(models.TextChoices):
    PLANNED = "planned", _("Ingepland")
    FIXED = "fixed", _("Afspraak definitief")
    COMPLETED = "completed", _("Uitgevoerd")
    CANCELLED = "cancelled", _("Geannuleerd")
    NO_SHOW = "no_show", _("Niet thuis")


class RepairRequest(models.Model):
    """A reported repair (reparatieverzoek) and its appointment.

    A repair in a home has `unit`; a repair in a common area (lift, portiek)
    belongs to the complex and has `common_area` instead. `reporter` is the
    logged-in tenant who reported it, or empty for an anonymous report; the
    contact fields are filled either way so the mechanic can call ahead.
    """

    number = models.CharField(_("reparatienummer"), max_length=20, unique=True)
    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="repairs"
    )
    unit = models.ForeignKey(
        "contracts.Unit",
        verbose_name=_("eenheid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repairs",
    )
    complex = models.ForeignKey(
        "contracts.Complex",
        verbose_name=_("complex"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repairs",
    )
    common_area = models.ForeignKey(
        "contracts.CommonArea",
        verbose_name=_("gemeenschappelijke ruimte"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repairs",
    )
    kind = models.ForeignKey(
        RepairKind, verbose_name=_("soort"), on_delete=models.PROTECT, related_name="requests"
    )
    location = models.CharField(_("ruimte"), max_length=30)
    problem = models.ForeignKey(
        RepairProblem, verbose_name=_("probleem"), on_delete=models.PROTECT, related_name="requests"
    )
    follow_up_answer = models.CharField(_("antwoord op de vervolgvraag"), max_length=200, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repairs_reported",
    )
    contact_name = models.CharField(_("naam"), max_length=120)
    contact_phone = models.CharField(_("telefoon"), max_length=30)
    contact_email = models.EmailField(_("e-mailadres"))
    slot = models.ForeignKey(
        Slot, verbose_name=_("tijdvak"), on_delete=models.PROTECT, related_name="requests"
    )
    state = models.CharField(
        _("status"), max_length=20, choices=RepairState.choices, default=RepairState.PLANNED
    )
    created_at = models.DateTimeField(_("gemeld op"))
    fixed_at = models.DateTimeField(_("definitief gemaakt op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    staff_note = models.TextField(_("notitie planning"), blank=True)
    no_show_item = models.OneToOneField(
        "payments.OpenItem",
        verbose_name=_("voorrijkosten"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reparatieverzoek")
        verbose_name_plural = _("reparatieverzoeken")
        indexes = [models.Index(fields=["unit", "created_at"]), models.Index(fields=["corporation", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(common_area__isnull=False), name="repair_has_place"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.kind}"

    def get_absolute_url(self):
        return reverse("repairs:detail", args=[self.number])

    @property
    def slot_value(self) -> str:
        """The appointment block as the block forms name it: '2026-11-26T08'."""
        return f"{self.slot.date:%Y-%m-%d}T{self.slot.start_hour:02d}"

    @property
    def location_label(self) -> str:
        return str(rules.LOCATIONS.get(self.location, self.location))

    @property
    def is_active(self) -> bool:
        return self.state in (RepairState.PLANNED, RepairState.FIXED)

    @property
    def address(self) -> str:
        if self.unit_id:
            return str(self.unit)
        return f"{self.common_area}, {self.complex}"


def _photo_path(instance, filename):
    # `filename` is the portal's (`portal.uploads.portal_name`); the token names the file instead,
    # with the extension of the kind the check found.
    return f"repairs/{instance.token}{PurePosixPath(filename).suffix}"


class RepairPhoto(models.Model):
    """A checked, re-encoded JPEG. Before the report is sent it hangs on a draft."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    draft = models.CharField(max_length=40, blank=True, db_index=True)
    token = models.CharField(max_length=40, unique=True)
    image = CheckedFileField(_("foto"), upload_to=_photo_path, policy=photo_policy)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self):
        return self.original_name
