"""The ledger, payments, payment arrangements and the arrears approach.

Money is `Decimal` in euros with two places. An `OpenItem` is an invoice
(factuur): monthly rent, service charges, or another charge such as the
€ 20 call-out fee of a missed repair appointment. `amount_paid` grows as
payments are applied; the item is open while something is left to pay and
settled (`paid_at`) when nothing is. Only `payments.ledger` changes
`amount_paid` and `paid_at`, with the row locked.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Case, Corporation

MONEY = {"max_digits": 10, "decimal_places": 2}


class ItemKind(models.TextChoices):
    RENT = "rent", _("Huur")
    SERVICE_CHARGES = "service_charges", _("Servicekosten")
    OTHER = "other", _("Overige kosten")


class OpenItem(models.Model):
    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="open_items"
    )
    tenant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("huurder"),
        on_delete=models.PROTECT,
        related_name="open_items",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("huurcontract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="open_items",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    period = models.DateField(
        _("periode"), null=True, blank=True, help_text=_("De eerste dag van de maand waarvoor de huur is.")
    )
    reference = models.CharField(_("factuurnummer"), max_length=30)
    description = models.CharField(_("omschrijving"), max_length=200)
    amount = models.DecimalField(_("bedrag"), **MONEY)
    amount_paid = models.DecimalField(_("betaald"), default=Decimal("0.00"), **MONEY)
    due_date = models.DateField(_("vervaldatum"))
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True, null=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "reference"], name="open_item_reference_unique"),
            # One rent invoice per contract and month: the monthly job may run twice.
            models.UniqueConstraint(
                fields=["contract", "kind", "period"],
                condition=Q(period__isnull=False),
                name="open_item_one_per_period",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="open_item_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount")),
                name="open_item_paid_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "paid_at"]), models.Index(fields=["paid_at", "due_date"])]

    def __str__(self):
        return f"{self.reference} {self.description}"

    @property
    def open_amount(self) -> Decimal:
        return self.amount - self.amount_paid


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("In behandeling")
    PAID = "paid", _("Betaald")
    FAILED = "failed", _("Mislukt")
    CANCELED = "canceled", _("Geannuleerd")
    EXPIRED = "expired", _("Verlopen")


class Payment(models.Model):
    """Money a tenant pays (or tries to pay) for one or more open items.

    `provider_id` is the provider's payment id (tr_…). `applied_at` is set
    once, when a paid payment has been booked on its items: a replayed
    webhook finds it set and changes nothing.
    """

    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="payments"
    )
    tenant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("huurder"), on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(_("betaaldienst"), max_length=20)
    provider_id = models.CharField(_("betaalkenmerk"), max_length=40, null=True, blank=True, unique=True)
    method = models.CharField(_("betaalmethode"), max_length=20, default="ideal")
    amount = models.DecimalField(_("bedrag"), **MONEY)
    description = models.CharField(_("omschrijving"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.OPEN
    )
    checkout_url = models.URLField(_("betaalpagina"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)
    applied_at = models.DateTimeField(_("geboekt op"), null=True, blank=True)
    unapplied = models.DecimalField(
        _("niet toegewezen"),
        default=Decimal("0.00"),
        help_text=_("Betaald bedrag dat bij geen openstaande post meer hoorde: een tegoed."),
        **MONEY,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.provider_id or self.pk} {self.amount}"


class PaymentLine(models.Model):
    """Which open item a payment is for, and how much of it."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(OpenItem, on_delete=models.PROTECT, related_name="payment_lines")
    amount = models.DecimalField(_("bedrag"), **MONEY)
    applied = models.DecimalField(_("geboekt"), default=Decimal("0.00"), **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("betaalregel")
        verbose_name_plural = _("betaalregels")
        constraints = [
            models.UniqueConstraint(fields=["payment", "item"], name="payment_line_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.payment} → {self.item.reference}"


# --- payment arrangements (P3) ------------------------------------------------


class Arrangement(models.Model):
    """A payment arrangement request (betalingsregeling): the detail row of its case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="arrangement")
    had_arrangement_last_year = models.BooleanField(_("in het afgelopen jaar een betalingsregeling gehad"))
    reason = models.TextField(_("reden"))
    total_amount = models.DecimalField(_("totaalbedrag"), **MONEY)
    periods = models.PositiveSmallIntegerField(_("aantal termijnen"))
    per_month = models.DecimalField(_("bedrag per maand"), **MONEY)
    first_due_date = models.DateField(_("eerste termijn op"), null=True, blank=True)
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("betalingsregeling")
        verbose_name_plural = _("betalingsregelingen")
        constraints = [
            models.CheckConstraint(condition=Q(total_amount__gt=0), name="arrangement_total_positive"),
            models.CheckConstraint(condition=Q(periods__gte=1), name="arrangement_periods_positive"),
        ]

    def __str__(self):
        return self.case.number


class Instalment(models.Model):
    """One term of an approved arrangement."""

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(pgettext_lazy("instalment", "termijn"))
    due_date = models.DateField(_("vervaldatum"))
    amount = models.DecimalField(_("bedrag"), **MONEY)
    amount_paid = models.DecimalField(_("betaald"), default=Decimal("0.00"), **MONEY)
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)
    missed_at = models.DateTimeField(_("gemist op"), null=True, blank=True)

    class Meta:
        ordering = ["arrangement", "number"]
        verbose_name = pgettext_lazy("instalment", "termijn")
        verbose_name_plural = _("termijnen")
        constraints = [models.UniqueConstraint(fields=["arrangement", "number"], name="instalment_unique")]

    def __str__(self):
        return f"{self.arrangement} {self.number}"


# --- arrears (P4–P6) ------------------------------------------------------------


class ArrearsFile(models.Model):
    """The detail row of an arrears case (betalingsachterstand)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="arrears")
    opened_amount = models.DecimalField(_("achterstand bij opening"), **MONEY)
    children_in_household = models.PositiveSmallIntegerField(
        _("kinderen in het huishouden"), null=True, blank=True
    )
    household_notes = models.TextField(_("samenstelling huishouden"), blank=True)
    shelter_contact = models.CharField(_("contact centraal meldpunt opvang"), max_length=200, blank=True)
    second_chance_conditions = models.TextField(_("voorwaarden tweede kans"), blank=True)

    class Meta:
        verbose_name = _("achterstandsdossier")
        verbose_name_plural = _("achterstandsdossiers")

    def __str__(self):
        return self.case.number


class EscalationKind(models.TextChoices):
    REMINDER = "reminder", _("Herinnering")
    EARLY_SIGNAL = "early_signal", _("Vroegsignalering gemeente")
    SUMMONS = "summons", _("Dagvaarding")
    COURT = "court", _("Rechtszaak")
    EVICTION = "eviction", _("Ontruiming")
    SECOND_CHANCE = "second_chance", _("Tweede kans")


class EscalationStep(models.Model):
    arrears = models.ForeignKey(ArrearsFile, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("stap"), max_length=20, choices=EscalationKind.choices)
    on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("escalatiestap")
        verbose_name_plural = _("escalatiestappen")

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class CallState(models.TextChoices):
    OPEN = "open", _("Te bellen")
    CLAIMED = "claimed", _("Wordt gebeld")
    DONE = "done", _("Afgerond")


class CallOutcome(models.TextChoices):
    NOT_REACHED = "not_reached", _("Niet bereikt")
    REACHED = "reached", _("Gesproken")


class FollowUp(models.TextChoices):
    NONE = "none", _("Geen vervolg nodig")
    PROMISE = "promise", _("Betaalt op een afgesproken datum")
    ARRANGEMENT = "arrangement", _("Betalingsregeling")
    STADSBANK = "stadsbank", _("Doorverwezen naar de stadsbank")
    BUDGET_ADVICE = "budget_advice", _("Budgetadviesgesprek")
    DEBT_COUNSELLING = "debt_counselling", _("Schuldhulpverlening")


class CallTask(models.Model):
    """One call in the customer-service queue for an arrears case.

    At most one call per case is waiting or being made (a database
    constraint); `claimed_by` is set by a conditional UPDATE so two staff
    can never claim the same call.
    """

    corporation = models.ForeignKey(Corporation, on_delete=models.PROTECT, related_name="call_tasks")
    arrears = models.ForeignKey(ArrearsFile, on_delete=models.CASCADE, related_name="calls")
    tenant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    queue_date = models.DateField(_("in de belrij op"))
    state = models.CharField(_("status"), max_length=10, choices=CallState.choices, default=CallState.OPEN)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_calls",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=CallOutcome.choices, blank=True)
    reason = models.TextField(_("reden van de achterstand"), blank=True)
    follow_up = models.CharField(_("vervolg"), max_length=20, choices=FollowUp.choices, blank=True)
    promised_on = models.DateField(_("belooft te betalen op"), null=True, blank=True)
    note = models.TextField(_("notitie"), blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queue_date", "id"]
        verbose_name = _("belopdracht")
        verbose_name_plural = _("belopdrachten")
        constraints = [
            models.UniqueConstraint(
                fields=["arrears"], condition=~Q(state="done"), name="call_one_waiting_per_arrears"
            )
        ]

    def __str__(self):
        return f"{self.arrears} {self.queue_date}"
