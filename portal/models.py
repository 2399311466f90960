"""Corporations, people, cases and messages: what every area shares."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import EVENT_LABELS, OPEN_STATES, CaseKind, CaseState, kind_spec


class Corporation(models.Model):
    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    phone = models.CharField(_("telefoon klantencentrum"), max_length=30)
    emergency_phone = models.CharField(
        _("spoednummer (24 uur)"),
        max_length=30,
        blank=True,
        help_text=_("Voor spoedreparaties en gaslucht, dag en nacht bereikbaar."),
    )
    email = models.EmailField(_("e-mailadres klantencentrum"))
    address = models.CharField(_("bezoekadres"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("corporatie")
        verbose_name_plural = _("corporaties")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class CivilStatus(models.TextChoices):
    UNMARRIED = "unmarried", _("Ongehuwd")
    MARRIED = "married", _("Gehuwd")
    PARTNERSHIP = "partnership", _("Geregistreerd partnerschap")
    DIVORCED = "divorced", _("Gescheiden")
    WIDOWED = "widowed", _("Weduwe of weduwnaar")


class Language(models.TextChoices):
    """Languages the customer-service team calls in (seed 004: "mensen die ook
    de taal van de huurder spreken, zoals Turks en Marokkaans")."""

    DUTCH = "nl", _("Nederlands")
    ENGLISH = "en", _("Engels")
    TURKISH = "tr", _("Turks")
    MOROCCAN_ARABIC = "ary", _("Marokkaans-Arabisch")
    BERBER = "ber", _("Berbers (Tamazight)")
    POLISH = "pl", _("Pools")
    ARABIC = "ar", _("Arabisch")
    TIGRINYA = "ti", _("Tigrinya")
    UKRAINIAN = "uk", _("Oekraïens")
    GERMAN = "de", _("Duits")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a tenant, a staff member or (later) a seeker.

    The e-mail address is the login name. Staff belong to exactly one
    corporation; a tenant's corporation is the landlord that invited them.
    """

    email = models.EmailField(_("e-mailadres"), unique=True)
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_name = models.CharField(_("roepnaam"), max_length=60, blank=True)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=80, blank=True)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    civil_status = models.CharField(
        _("burgerlijke staat"), max_length=20, choices=CivilStatus.choices, blank=True
    )
    phone_private = models.CharField(_("telefoon privé"), max_length=30, blank=True)
    phone_work = models.CharField(_("telefoon werk"), max_length=30, blank=True)
    phone_mobile = models.CharField(_("telefoon mobiel"), max_length=30, blank=True)
    relation_number = models.CharField(_("relatienummer"), max_length=20, blank=True)
    corporation = models.ForeignKey(
        Corporation,
        verbose_name=_("corporatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    is_staff = models.BooleanField(_("medewerker"), default=False, help_text=_("Mag inloggen in het beheer."))
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    preferred_language = models.CharField(
        _("voorkeurstaal"),
        max_length=5,
        choices=Language.choices,
        default=Language.DUTCH,
        help_text=_("De taal waarin wij deze huurder bij voorkeur bellen."),
    )
    spoken_languages = models.JSONField(
        _("talen die de medewerker spreekt"),
        default=list,
        blank=True,
        help_text=_("Voor de belrij: een medewerker krijgt huurders die een van deze talen spreken."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["surname", "email"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")

    def __str__(self):
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        first = self.first_name or self.initials
        return " ".join(part for part in (first, self.surname_prefix, self.surname) if part)

    @property
    def formal_name(self) -> str:
        """Initials and surname, as on a contract: 'J.P. de Vries'."""
        return " ".join(p for p in (self.initials, self.surname_prefix, self.surname) if p)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.first_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class EmailChange(models.Model):
    """A request to log in with another e-mail address.

    It takes effect only when the person clicks the link sent to the new address
    (proof that the address is theirs); until then the old address stays the login.
    A newer request replaces an older one; the row records who asked (the person,
    or a staff member in the admin) and when it was confirmed.
    """

    user = models.ForeignKey(
        User, verbose_name=_("persoon"), on_delete=models.CASCADE, related_name="email_changes"
    )
    email = models.EmailField(_("nieuw e-mailadres"))
    old_email = models.EmailField(_("oud e-mailadres"))
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("gevraagd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: de persoon zelf, bij Mijn gegevens."),
    )
    requested_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)

    #: How long the link works: the person asked a moment ago and reads the new mailbox now.
    LINK_MAX_AGE = timedelta(hours=24)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("wijziging e-mailadres")
        verbose_name_plural = _("wijzigingen e-mailadres")

    def __str__(self):
        return f"{self.old_email} → {self.email}"


class Case(models.Model):
    """A tenant's request that the corporation handles (zaak).

    Each kind keeps its own details in a one-to-one row in the app that owns
    the kind; this table is what the dashboard, the work queue and the
    reminders read. Only `portal.services.case_transition` sets `state`.
    """

    number = models.CharField(_("zaaknummer"), max_length=20, unique=True)
    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="cases"
    )
    tenant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("huurder"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    kind = models.CharField(_("soort"), max_length=40, choices=CaseKind.choices)
    state = models.CharField(
        _("status"), max_length=20, choices=CaseState.choices, default=CaseState.SUBMITTED
    )
    step = models.PositiveSmallIntegerField(_("stap"), default=1)
    expected_on = models.DateField(_("verwacht klaar op"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("zaak")
        verbose_name_plural = _("zaken")
        indexes = [
            # The dashboard's "Mijn aanvragen" and the work queue's filters.
            models.Index(fields=["tenant", "state"]),
            models.Index(fields=["corporation", "state", "expected_on"]),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("portal:case_detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        """The corporation still has work to do on it."""
        return self.state in OPEN_STATES

    @property
    def spec(self):
        return kind_spec(self.kind)

    @property
    def steps(self):
        """[(number, label, status)] with status 'done', 'current' or 'todo'."""
        result = []
        for number, label in enumerate(self.spec.steps, start=1):
            if number < self.step or self.state == CaseState.CLOSED:
                status = "done"
            elif number == self.step:
                status = "current"
            else:
                status = "todo"
            result.append((number, label, status))
        return result


class CaseEvent(models.Model):
    """One line of a case's history: who did what, when, from which state to which."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    def __str__(self):
        return f"{self.case.number}: {self.action}"

    def get_description(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class Message(models.Model):
    """A message in Mijn berichten, or on a case in either direction.

    `person` is the tenant whose mailbox it belongs to. A message with
    `to_staff` set was written by the tenant and waits for the corporation.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("huurder"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("zaak"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afzender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_staff = models.BooleanField(_("aan de corporatie"), default=False)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"))
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        indexes = [models.Index(fields=["person", "to_staff", "-created_at"])]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("portal:message_detail", args=[self.pk])


class CaseFeedback(models.Model):
    """The last step of every case: "Uw mening"."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("cijfer"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mening")
        verbose_name_plural = _("meningen")

    def __str__(self):
        return f"{self.case.number}: {self.rating}"


class DataChangeRequest(models.Model):
    """Details of a request to change personal data other than contact data.

    Only the fields the tenant filled in are changed; `previous` keeps the
    values as they were when the request came in.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="data_change")
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_name = models.CharField(_("roepnaam"), max_length=60, blank=True)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=80, blank=True)
    civil_status = models.CharField(
        _("burgerlijke staat"), max_length=20, choices=CivilStatus.choices, blank=True
    )
    explanation = models.TextField(_("toelichting"), blank=True)
    previous = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijziging persoonsgegevens")
        verbose_name_plural = _("wijzigingen persoonsgegevens")

    def __str__(self):
        return self.case.number

    def requested(self) -> dict:
        from portal.rules import DATA_CHANGE_FIELDS

        return {name: getattr(self, name) for name in DATA_CHANGE_FIELDS if getattr(self, name)}


class Sent(models.Model):
    """One send of a form, claimed once: what it made (see `portal.once`).

    `digest` is a hash of the send's key (the form's one-time key and who
    sent it, or a natural key such as a repair draft's token); the unique
    index is what makes a second send of the same form wait for the first and
    then find its result instead of making another. No key, session or other
    secret is stored, only the hash.
    """

    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("formulier"), max_length=80)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("verzonden formulier")
        verbose_name_plural = _("verzonden formulieren")

    def __str__(self):
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"


class OutboxJob(models.Model):
    """Work for later (an e-mail, a reminder), written in the transaction of the change that causes it.

    portal.outbox hands it to Celery and records how that went; see there.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wacht")
        PUBLISHED = "published", _("doorgegeven")
        RUNNING = "running", _("bezig")
        DONE = "done", _("verstuurd")

    name = models.CharField(_("taak"), max_length=200)
    # Ids and texts for the job; never shown (a password-reset link may be among them).
    args = models.JSONField(default=list)
    summary = models.CharField(_("omschrijving"), max_length=300, blank=True)
    # Whose work it is, for scoping in the admin; none: only superusers see it.
    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), null=True, blank=True, on_delete=models.SET_NULL
    )
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.PENDING)
    tries = models.PositiveIntegerField(_("pogingen"), default=0)
    # Pending: when to hand it over; published or running: when to count it as lost and hand it over again.
    due_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    done_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "due_at"], name="outbox_due")]
        verbose_name = _("uitgaande taak")
        verbose_name_plural = _("uitgaande taken")

    def __str__(self):
        return self.summary or self.name


class CacheEntry(models.Model):
    """The table of the database cache that stands in while Redis does not answer (portal.cache).

    Django's DatabaseCache reads and writes it with its own SQL; it is a model
    only so that migrate creates it everywhere, without a createcachetable step.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "portal_cache"
        verbose_name = _("cache-item")

    def __str__(self):
        return self.cache_key
