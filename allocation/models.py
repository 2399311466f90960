"""Housing allocation: regions and their rules, listings, seekers, reactions, offers and blocks.

A region's rules are data (`Region`): how many reactions or provisional
offers at a time, the fees, the rent above which one may react without
registration, the default ordering. The rules themselves are pure functions
in `allocation.rules`; these models hold what they are applied to.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from allocation import files
from portal.models import Corporation
from portal.upload_fields import CheckedFileField

MONEY = {"max_digits": 10, "decimal_places": 2}


class OrderingPolicy(models.TextChoices):
    """How the candidates of a listing are put in order (`allocation.rules.rank`)."""

    REACTIONS = "reacties", _("Aantal correcte reacties, daarna woonduur of leeftijd")
    REGISTRATION = "inschrijfduur", _("Inschrijfduur")
    LOTTERY = "loting", _("Loting")
    FIRST_REACTION = "eerste-reactie", _("Eerste reactie")


class LimitKind(models.TextChoices):
    REACTIONS = "reactions", _("Een aantal reacties tegelijk")
    OFFERS = "offers", _("Onbeperkt reageren, een aantal voorlopige aanbiedingen tegelijk")


class Region(models.Model):
    """A housing-market region in which several corporations offer their homes together."""

    name = models.CharField(_("naam"), max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    corporations = models.ManyToManyField(Corporation, verbose_name=_("corporaties"), related_name="regions")
    limit_kind = models.CharField(_("soort limiet"), max_length=20, choices=LimitKind.choices)
    max_reactions = models.PositiveSmallIntegerField(_("reacties tegelijk"), null=True, blank=True)
    max_provisional_offers = models.PositiveSmallIntegerField(
        _("voorlopige aanbiedingen tegelijk"), null=True, blank=True
    )
    unregistered_rent_threshold = models.DecimalField(
        _("reageren zonder inschrijving vanaf huur"),
        null=True,
        blank=True,
        help_text=_("Leeg: reageren kan alleen met een inschrijving."),
        **MONEY,
    )
    unregistered_fee = models.DecimalField(
        _("kosten reageren zonder inschrijving"), default=Decimal("0"), **MONEY
    )
    registration_fee = models.DecimalField(_("inschrijfgeld"), default=Decimal("0"), **MONEY)
    renewal_fee = models.DecimalField(_("kosten verlenging per jaar"), default=Decimal("0"), **MONEY)
    split_fee = models.DecimalField(_("kosten splitsen"), default=Decimal("0"), **MONEY)
    max_registration_years = models.PositiveSmallIntegerField(
        _("inschrijfduur telt hoogstens (jaren)"), default=3
    )
    default_ordering = models.CharField(
        _("volgorde"), max_length=20, choices=OrderingPolicy.choices, default=OrderingPolicy.REGISTRATION
    )
    refusal_policy = models.CharField(
        _("weigeren"),
        max_length=20,
        default="warning",
        choices=[
            ("warning", _("Waarschuwing, bij herhaling correcte reacties op 0")),
            ("priority", _("Weigeren kost voorrang; weigeren na accepteren: boete en blokkade")),
        ],
    )
    rules_text = models.TextField(_("spelregels"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self):
        return self.name


class ListingState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    CLOSED = "closed", _("Reactietermijn gesloten")
    ALLOCATED = "allocated", _("Toegewezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class ListingCategory(models.TextChoices):
    ALL = "all", _("Iedereen")
    STARTER = "starter", _("Starters")
    MOVER = "doorstromer", _("Doorstromers")


class Listing(models.Model):
    """An advertisement (advertentie) for one home, garage or parking space."""

    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="listings"
    )
    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="listings"
    )
    unit = models.ForeignKey(
        "contracts.Unit", verbose_name=_("eenheid"), on_delete=models.PROTECT, related_name="listings"
    )
    number = models.CharField(_("advertentienummer"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    home_type = models.CharField(_("woningtype"), max_length=60, blank=True)
    rooms = models.PositiveSmallIntegerField(_("kamers"), null=True, blank=True)
    floor_area = models.PositiveSmallIntegerField(_("woonoppervlakte (m²)"), null=True, blank=True)
    base_rent = models.DecimalField(_("kale huur"), **MONEY)
    service_charges = models.DecimalField(_("servicekosten"), default=Decimal("0"), **MONEY)
    energy_label = models.CharField(_("energielabel"), max_length=5, blank=True)
    temporary = models.BooleanField(_("tijdelijke verhuur"), default=False)
    category = models.CharField(
        _("voor"), max_length=20, choices=ListingCategory.choices, default=ListingCategory.ALL
    )
    ordering_policy = models.CharField(_("volgorde"), max_length=20, choices=OrderingPolicy.choices)
    min_age = models.PositiveSmallIntegerField(
        _("minimumleeftijd"), null=True, blank=True, help_text=_("Bijvoorbeeld 55 voor een seniorenwoning.")
    )
    floor_plan = CheckedFileField(
        _("plattegrond"), upload_to="listings/plans/", blank=True, policy=files.FLOOR_PLAN
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    reaction_deadline = models.DateTimeField(_("reageren kan tot"))
    state = models.CharField(
        _("status"), max_length=20, choices=ListingState.choices, default=ListingState.DRAFT
    )
    allocated_at = models.DateTimeField(_("toegewezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("advertentie")
        verbose_name_plural = _("advertenties")
        indexes = [models.Index(fields=["state", "region", "reaction_deadline"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def total_rent(self) -> Decimal:
        return self.base_rent + self.service_charges


class ListingPhoto(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = CheckedFileField(_("foto"), upload_to="listings/photos/", policy=files.LISTING_PHOTO)
    alt = models.CharField(_("beschrijving"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["listing", "order", "id"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self):
        return self.alt


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Wacht op betaling")
    ACTIVE = "active", _("Ingeschreven")
    ENDED = "ended", _("Uitgeschreven")


class Registration(models.Model):
    """A seeker's registration (inschrijving) in one region."""

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("woningzoekende"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="registrations"
    )
    number = models.CharField(_("inschrijfnummer"), max_length=20, unique=True)
    state = models.CharField(
        _("status"), max_length=20, choices=RegistrationState.choices, default=RegistrationState.PENDING
    )
    registered_on = models.DateField(_("inschrijfdatum"))
    renew_by = models.DateField(_("verlengen voor"), null=True, blank=True)
    ended_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)
    co_applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medeaanvrager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="co_registrations",
    )
    household_income = models.DecimalField(_("inkomen huishouden per jaar"), null=True, blank=True, **MONEY)
    expecting = models.BooleanField(_("zwanger (het huishouden wordt groter)"), default=False)
    lived_in_region_since = models.DateField(_("woont in de regio sinds"), null=True, blank=True)
    economically_tied = models.BooleanField(_("economisch gebonden aan de regio"), default=False)
    living_since = models.DateField(_("woont in de huidige woning sinds"), null=True, blank=True)
    leaves_home_in_region = models.BooleanField(
        _("laat een zelfstandige woning in de regio leeg achter"), default=False
    )
    correct_reactions = models.PositiveIntegerField(_("correcte reacties"), default=0)
    urgent = models.BooleanField(_("urgentie"), default=False)
    option_held = models.BooleanField(_("optie op een woning"), default=False)
    watch_list = models.BooleanField(
        _("signaleringslijst"),
        default=False,
        help_text=_("Eerst een gesprek voordat er een aanbieding gaat."),
    )
    search_profile = models.JSONField(_("zoekprofiel"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "registered_on"]
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "region"], condition=~Q(state="ended"), name="registration_one_per_region"
            )
        ]

    def __str__(self):
        return self.number


class HouseholdMember(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("naam"), max_length=120)
    birth_date = models.DateField(_("geboortedatum"))
    relation = models.CharField(_("relatie"), max_length=40, blank=True)

    class Meta:
        ordering = ["birth_date"]
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")

    def __str__(self):
        return self.name


class AddressHistory(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="addresses")
    address = models.CharField(_("adres"), max_length=200)
    city = models.CharField(_("plaats"), max_length=80)
    from_date = models.DateField(_("van"))
    to_date = models.DateField(_("tot"), null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]
        verbose_name = _("woonadres")
        verbose_name_plural = _("woonadressen")

    def __str__(self):
        return f"{self.address}, {self.city}"


class DocumentKind(models.TextChoices):
    ID = "id", _("Identiteitsbewijs")
    INCOME = "income", _("Inkomensverklaring (IBRI)")
    PAYSLIP = "payslip", _("Loonstrook")
    LANDLORD = "landlord", _("Verhuurdersverklaring")


class Document(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices)
    file = CheckedFileField(_("bestand"), upload_to="registrations/", policy=files.DOCUMENT)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self):
        return self.original_name


class ReactionState(models.TextChoices):
    ACTIVE = "active", _("Gereageerd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    OFFERED = "offered", _("Aangeboden")
    ACCEPTED = "accepted", _("Geaccepteerd")
    REFUSED = "refused", _("Geweigerd")
    EXPIRED = "expired", _("Niet op tijd gereageerd")
    NOT_CHOSEN = "not_chosen", _("Niet gekozen")


class Reaction(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="reactions")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, null=True, blank=True, related_name="reactions"
    )
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reactions")
    reacted_at = models.DateTimeField(_("gereageerd op"))
    state = models.CharField(
        _("status"), max_length=20, choices=ReactionState.choices, default=ReactionState.ACTIVE
    )
    position = models.PositiveIntegerField(_("plaats"), null=True, blank=True)
    deciding_value = models.CharField(_("doorslaggevend"), max_length=120, blank=True)
    lottery_number = models.PositiveIntegerField(_("lotnummer"), null=True, blank=True)
    # The watch-list talk (A16): until one is recorded, a seeker on the watch list gets no offer
    # for this listing; `watch_talk_offer` false takes the reaction out of the running.
    watch_talk_at = models.DateTimeField(_("gesprek gevoerd op"), null=True, blank=True)
    watch_talk_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gesprek gevoerd door"),
    )
    watch_talk_note = models.TextField(_("verslag van het gesprek"), blank=True)
    watch_talk_offer = models.BooleanField(_("aanbieding mag volgen"), null=True, blank=True)

    class Meta:
        ordering = ["listing", "position", "reacted_at"]
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        constraints = [
            # One open reaction per seeker and listing: a double click reacts once.
            models.UniqueConstraint(
                fields=["listing", "seeker"], condition=~Q(state="withdrawn"), name="reaction_one_per_listing"
            )
        ]

    def __str__(self):
        return f"{self.listing.number} {self.seeker}"


class OfferKind(models.TextChoices):
    PROVISIONAL = "provisional", _("Voorlopige aanbieding")
    POLL = "poll", _("Interesse gepeild")
    VIEWING = "viewing", _("Uitnodiging groepsbezichtiging")
    FINAL = "final", _("Definitieve toewijzing")


class Offer(models.Model):
    reaction = models.ForeignKey(Reaction, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("soort"), max_length=20, choices=OfferKind.choices)
    sent_at = models.DateTimeField(_("verstuurd op"))
    deadline = models.DateTimeField(_("reageren voor"))
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    accepted = models.BooleanField(_("geaccepteerd"), null=True, blank=True)
    refusal_reason = models.TextField(_("reden van weigeren"), blank=True)
    reason_concerns_home = models.BooleanField(_("reden gaat over de woning"), default=False)
    expired_at = models.DateTimeField(_("verlopen op"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("aanbieding")
        verbose_name_plural = _("aanbiedingen")

    def __str__(self):
        return f"{self.get_kind_display()} {self.reaction}"


class Block(models.Model):
    """A block for not responding or not showing up (A11).

    A block whose end date has passed never blocks, whether or not a job has
    closed it; at most one block per registration is open (`closed` false).
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="blocks")
    starts_on = models.DateField(_("van"))
    ends_on = models.DateField(_("tot"))
    reason = models.CharField(_("reden"), max_length=200)
    closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("blokkade")
        verbose_name_plural = _("blokkades")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"], condition=Q(closed=False), name="block_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="block_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.registration} {self.starts_on}–{self.ends_on}"
