"""Seekers' registrations (inschrijvingen): signing up, paying the fee, Mijn inschrijving.

A registration starts as "pending" and becomes "active" on the day its fee
is paid (seed 002, spelregel 2: "Als de inschrijving voltooid is en de
inschrijfkosten zijn betaald …"); a region without a fee activates at once.
The fee is an open item of the seeker with reference "INS-<number>" (a
renewal "INS-<number>-V<year>"); `payments.ledger` calls `fee_paid` once
such an item is paid.

Writes are keyword-only functions here; the pages call them. A seeker only
ever reaches their own registrations: every read takes the seeker.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from allocation import files, rules
from allocation.models import (
    AddressHistory,
    Document,
    DocumentKind,
    HouseholdMember,
    Listing,
    ListingState,
    Reaction,
    Region,
    Registration,
    RegistrationState,
)
from portal import once, uploads
from portal.errors import DomainError
from portal.templatetags.portal import euro

log = logging.getLogger(__name__)

#: Fee references: "INS-<registration number>" and "INS-<number>-V<year>" for a renewal.
FEE_PREFIX = "INS-"
#: The split fee of the person split off: "SPL-<their new registration number>" (A4).
SPLIT_PREFIX = "SPL-"
#: search_profile keys of a joint registration (A4), kept by the seeker's own profile form:
#: "co_invite" on the inviting registration {"seeker": pk or None, "email": typed, "on": iso date} until
#: answered or withdrawn ("seeker" only when the address is a seeker's in the region);
#: "co_joined" on the joint registration {"seeker": pk, "on": iso date, "own_registered_on": iso date}.
CO_INVITE = "co_invite"
CO_JOINED = "co_joined"
#: A registration not renewed ends this many days after its renew-by date.
RENEWAL_GRACE_DAYS = 30
#: Documents a seeker must have uploaded before reacting (seed 002, spelregel 4).
REQUIRED_DOCUMENTS = (DocumentKind.ID, DocumentKind.INCOME)
MAX_HOUSEHOLD = 6

MESSAGES = {
    "already_registered": _("U staat al ingeschreven in de regio %(region)s."),
    "no_region": _("Kies ten minste één regio."),
    "not_pending": _("Deze inschrijving wacht niet (meer) op betaling."),
    "not_active": _("Alleen een lopende inschrijving kunt u verlengen of beëindigen."),
    "renewal_open": _("U heeft de verlenging al aangevraagd. Betaal die eerst."),
    "no_registration": _("U heeft nog geen inschrijving. Schrijf u eerst in."),
    "co_unknown": _(
        "Wij vinden geen woningzoekende met dit e-mailadres die in de regio %(region)s ingeschreven staat."
    ),
    "co_self": _("U kunt uzelf niet als medeaanvrager toevoegen."),
    "co_taken": _("Deze inschrijving heeft al een medeaanvrager. Splits de inschrijving eerst."),
    "co_partner_taken": _("Deze woningzoekende staat al met een partner ingeschreven."),
    "co_none": _("Deze inschrijving heeft geen medeaanvrager om af te splitsen."),
    "co_no_invite": _("Er staat geen verzoek aan een medeaanvrager open."),
    "co_email": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
    "co_invite_open": _("Er staat al een verzoek aan een medeaanvrager open. Trek dat eerst in."),
    "split_first": _(
        "Er staat een medeaanvrager bij u ingeschreven. Splits de inschrijving eerst; daarna kunt u zich "
        "uitschrijven."
    ),
}


# --- reads ------------------------------------------------------------------------------


def registrations_for(seeker):
    """The seeker's own registrations, newest state first, with what the pages show."""
    return (
        Registration.objects.filter(seeker=seeker)
        .select_related("region", "co_applicant")
        .prefetch_related("household", "addresses", "documents")
        .order_by("state", "region__name", "-created_at")
    )


def current_registrations(seeker):
    """The seeker's registrations that have not ended (at most one per region)."""
    return registrations_for(seeker).exclude(state=RegistrationState.ENDED)


def registration_for(seeker, number: str) -> Registration:
    """The seeker's own registration by number, or 404: another's does not exist for them."""
    registration = registrations_for(seeker).filter(number=number).first()
    if registration is None:
        raise Http404
    return registration


def co_registrations_for(seeker):
    """Joint registrations of others on which this seeker is the co-applicant (A4)."""
    return (
        Registration.objects.filter(co_applicant=seeker)
        .exclude(state=RegistrationState.ENDED)
        .select_related("region", "seeker")
        .order_by("region__name")
    )


def invitations_for(seeker):
    """Registrations of others that invite this seeker as co-applicant and wait for an answer."""
    return (
        Registration.objects.filter(state=RegistrationState.ACTIVE, co_applicant__isnull=True)
        .filter(**{f"search_profile__{CO_INVITE}__seeker": seeker.pk})
        .exclude(seeker=seeker)
        .select_related("region", "seeker")
    )


def documents_for(seeker):
    return (
        Document.objects.filter(registration__seeker=seeker)
        .exclude(registration__state=RegistrationState.ENDED)
        .select_related("registration__region")
        .order_by("kind", "-uploaded_at")
    )


def document_for(seeker, pk: int) -> Document:
    document = (
        Document.objects.filter(registration__seeker=seeker, pk=pk).select_related("registration").first()
    )
    if document is None:
        raise Http404
    return document


def missing_documents(registration: Registration) -> list:
    """The required kinds of document this registration lacks (labels)."""
    present = set(registration.documents.values_list("kind", flat=True))
    return [DocumentKind(kind).label for kind in REQUIRED_DOCUMENTS if kind not in present]


def reactions_for(seeker):
    return (
        Reaction.objects.filter(seeker=seeker)
        .select_related("listing__region", "listing__unit", "registration")
        .prefetch_related("offers")
        .order_by("-reacted_at")
    )


def counted_since(registration: Registration) -> date:
    """The registration date that counts: with a co-applicant the longest (earliest) one (A4).

    The co-applicant's own date is kept in ``search_profile["co_joined"]`` when they joined
    (their own registration in the region ended then); a co-applicant set without it (older data,
    staff) still counts with their current registration in the region.
    """
    joined = (registration.search_profile or {}).get(CO_JOINED) if registration.co_applicant_id else None
    if joined and joined.get("own_registered_on"):
        own = date.fromisoformat(joined["own_registered_on"])
        return rules.joined_registration_date(registration.registered_on, own)
    dates = [registration.registered_on]
    if registration.co_applicant_id:
        own = (
            Registration.objects.filter(
                seeker_id=registration.co_applicant_id, region_id=registration.region_id
            )
            .exclude(state=RegistrationState.ENDED)
            .values_list("registered_on", flat=True)
            .first()
        )
        if own:
            dates.append(own)
    return min(dates)


def counted_time(registration: Registration, *, on: date | None = None) -> relativedelta:
    """Registration time that counts, at most the region's maximum (seed 002: "maximaal 3 jaar")."""
    on = on or timezone.localdate()
    since = counted_since(registration)
    if registration.state != RegistrationState.ACTIVE or since > on:
        return relativedelta()
    cap = since + relativedelta(years=registration.region.max_registration_years)
    return relativedelta(min(on, cap), since)


def duration_text(time: relativedelta) -> str:
    """'3 jaar en 1 maand': years and months with the right singular or plural."""
    from django.utils.translation import gettext, ngettext

    years = ngettext("%(n)s jaar", "%(n)s jaar", time.years) % {"n": time.years}
    months = ngettext("%(n)s maand", "%(n)s maanden", time.months) % {"n": time.months}
    return gettext("%(years)s en %(months)s") % {"years": years, "months": months}


# --- signing up -------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    birth_date: date
    relation: str = ""


@dataclass(frozen=True)
class Address:
    address: str
    city: str
    from_date: date


@dataclass(frozen=True)
class SeekerData:
    """What a seeker tells about their household (the same for each region they register in)."""

    household_income: Decimal | None
    expecting: bool
    lived_in_region_since: date | None
    economically_tied: bool
    living_since: date | None
    leaves_home_in_region: bool
    members: tuple  # Member, the seeker first
    address: Address | None
    search_profile: dict


def _new_number() -> str:
    while True:
        number = f"WZ{timezone.localdate():%y}{secrets.randbelow(10**6):06d}"
        if not Registration.objects.filter(number=number).exists():
            return number


def _apply(registration: Registration, data: SeekerData) -> None:
    registration.household_income = data.household_income
    registration.expecting = data.expecting
    registration.lived_in_region_since = data.lived_in_region_since
    registration.economically_tied = data.economically_tied
    registration.living_since = data.living_since
    registration.leaves_home_in_region = data.leaves_home_in_region
    profile = dict(registration.search_profile or {})
    profile.update(data.search_profile)
    registration.search_profile = profile
    registration.full_clean(exclude=["seeker", "region", "number"])
    registration.save()
    registration.household.all().delete()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(registration=registration, name=m.name, birth_date=m.birth_date, relation=m.relation)
        for m in data.members
    )
    if data.address:
        current = registration.addresses.filter(to_date__isnull=True).first()
        if current and (current.address, current.city) != (data.address.address, data.address.city):
            current.to_date = data.address.from_date
            current.save(update_fields=["to_date"])
            current = None
        if current is None:
            AddressHistory.objects.create(
                registration=registration,
                address=data.address.address,
                city=data.address.city,
                from_date=data.address.from_date,
            )
        elif current.from_date != data.address.from_date:
            current.from_date = data.address.from_date
            current.save(update_fields=["from_date"])


def _fee_item(registration: Registration, reference: str, amount: Decimal, description: str, today: date):
    from payments.models import ItemKind, OpenItem

    corporation = registration.region.corporations.order_by("pk").first()
    item, _created = OpenItem.objects.get_or_create(
        corporation=corporation,
        reference=reference,
        defaults={
            "tenant": registration.seeker,
            "kind": ItemKind.OTHER,
            "description": description,
            "amount": amount,
            "due_date": today,
        },
    )
    return item


def registration_create(
    *, seeker, regions, data: SeekerData, today: date | None = None
) -> list[Registration]:
    """Register the seeker in each region: pending until the fee is paid, active at once without one."""
    today = today or timezone.localdate()
    regions = list(regions)
    if not regions:
        raise DomainError(MESSAGES["no_region"])
    made = []
    with transaction.atomic():
        for region in regions:
            if (
                Registration.objects.filter(seeker=seeker, region=region)
                .exclude(state=RegistrationState.ENDED)
                .exists()
            ):
                raise DomainError(MESSAGES["already_registered"] % {"region": region.name})
            registration = Registration(
                seeker=seeker, region=region, number=_new_number(), registered_on=today
            )
            try:
                with transaction.atomic():
                    registration.save()
            except IntegrityError:
                # Registered in this region a moment ago by another sign-up that passed the check too.
                raise DomainError(MESSAGES["already_registered"] % {"region": region.name}) from None
            _apply(registration, data)
            if region.registration_fee > 0:
                with translation.override("nl"):
                    text = str(_("Inschrijfgeld %(region)s")) % {"region": region.name}
                _fee_item(
                    registration, FEE_PREFIX + registration.number, region.registration_fee, text, today
                )
            else:
                _activate(registration, today)
            made.append(registration)
    return made


def registration_update(*, seeker, data: SeekerData) -> int:
    """Change the seeker's data in all their current registrations (they share one household)."""
    with transaction.atomic():
        registrations = list(
            Registration.objects.select_for_update(of=("self",))
            .filter(seeker=seeker)
            .exclude(state=RegistrationState.ENDED)
        )
        if not registrations:
            raise DomainError(MESSAGES["no_registration"])
        for registration in registrations:
            _apply(registration, data)
    return len(registrations)


def seeker_data_of(registration: Registration) -> dict:
    """Initial values for the edit form, from one registration."""
    address = registration.addresses.filter(to_date__isnull=True).first()
    members = list(registration.household.all())
    return {
        "household_income": registration.household_income,
        "expecting": registration.expecting,
        "lived_in_region_since": registration.lived_in_region_since,
        "economically_tied": registration.economically_tied,
        "living_since": registration.living_since,
        "leaves_home_in_region": registration.leaves_home_in_region,
        "members": members,
        "address": address,
        "search_profile": registration.search_profile or {},
    }


# --- the fee ----------------------------------------------------------------------------


def _activate(registration: Registration, on: date) -> None:
    registration.state = RegistrationState.ACTIVE
    registration.registered_on = on
    registration.renew_by = on + relativedelta(years=1)
    registration.save(update_fields=["state", "registered_on", "renew_by"])


def fee_item_for(registration: Registration):
    """The unpaid fee item (registration or renewal) of this registration, if any."""
    from payments.models import OpenItem

    return (
        OpenItem.objects.filter(
            tenant=registration.seeker,
            paid_at__isnull=True,
        )
        .filter(
            Q(reference__startswith=FEE_PREFIX + registration.number)
            | Q(reference=SPLIT_PREFIX + registration.number),
        )
        .order_by("pk")
        .first()
    )


def fee_payment_start(*, seeker, number: str, key: once.SendKey | None = None):
    """Start the iDEAL payment of the registration's open fee (registration or renewal).

    The button pressed again (its `key`, see `portal.once`) gives the payment it started
    first, also once that is paid, unless it failed at the bank.
    """
    from payments.ledger import payment_reusable

    return once.send(key, lambda: _fee_payment(seeker, number), reuse=payment_reusable)


def _fee_payment(seeker, number: str):
    from payments.ledger import payment_start

    registration = registration_for(seeker, number)
    item = fee_item_for(registration)
    if item is None:
        raise DomainError(MESSAGES["not_pending"])
    return payment_start(tenant=seeker, items=[item], description=item.description)


def fee_paid(item, *, paid_on: date | None = None) -> None:
    """Called by the ledger, inside its transaction, once an "INS-" item is paid in full.

    "INS-<number>": the registration becomes active on the day of payment.
    "INS-<number>-V<year>": the renewal; renew-by moves a year on. Safe to call twice.
    """
    paid_on = paid_on or timezone.localdate()
    rest = item.reference[len(FEE_PREFIX) :]
    number, _sep, suffix = rest.partition("-")
    registration = Registration.objects.select_for_update(of=("self",)).filter(number=number).first()
    if registration is None:
        log.warning("fee %s paid for an unknown registration", item.reference)
        return
    if not suffix:
        if registration.state == RegistrationState.PENDING:
            _activate(registration, paid_on)
        return
    if suffix.startswith("V") and registration.state == RegistrationState.ACTIVE:
        marker = f"renewed:{item.reference}"
        profile = dict(registration.search_profile or {})
        if profile.get("renewal_paid") == marker:
            return
        profile["renewal_paid"] = marker
        registration.search_profile = profile
        registration.renew_by = (registration.renew_by or paid_on) + relativedelta(years=1)
        registration.save(update_fields=["renew_by", "search_profile"])


def renewal_request(*, seeker, number: str, today: date | None = None, key: once.SendKey | None = None):
    """Ask to renew for a year: an open item for the renewal fee (or at once without a fee: None).

    The form sent again (its `key`, see `portal.once`) renews once.
    """
    done = once.send(key, lambda: _renew(seeker, number, today or timezone.localdate()))
    return None if isinstance(done, Registration) else done


def _renew(seeker, number: str, today: date):
    with transaction.atomic():
        registration = registration_for(seeker, number)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if registration.state != RegistrationState.ACTIVE:
            raise DomainError(MESSAGES["not_active"])
        if fee_item_for(registration):
            raise DomainError(MESSAGES["renewal_open"])
        year = (registration.renew_by or today).year
        reference = f"{FEE_PREFIX}{registration.number}-V{year}"
        fee = registration.region.renewal_fee
        if fee <= 0:
            registration.renew_by = (registration.renew_by or today) + relativedelta(years=1)
            registration.save(update_fields=["renew_by"])
            return registration
        with translation.override("nl"):
            text = str(_("Verlenging inschrijving %(region)s")) % {"region": registration.region.name}
        return _fee_item(registration, reference, fee, text, today)


def deregister(*, seeker, number: str, today: date | None = None) -> Registration:
    """End the registration on the seeker's request (state ended, ended_on today)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        registration = registration_for(seeker, number)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if registration.state == RegistrationState.ENDED:
            raise DomainError(MESSAGES["not_active"])
        if registration.co_applicant_id:
            raise DomainError(MESSAGES["split_first"])  # 002 Spelregel 7: split first
        registration.state = RegistrationState.ENDED
        registration.ended_on = today
        registration.save(update_fields=["state", "ended_on"])
        # Open reactions go with it.
        registration.reactions.filter(state="active").update(state="withdrawn")
    return registration


# --- a co-applicant: joining and splitting (A4) ------------------------------------------
#
# Seed 002 Spelregel 5: "u schrijft zich óf individueel in óf met partner. Bij het samenvoegen van twee
# inschrijvingsdata telt de langste inschrijfduur … De persoon die wordt toegevoegd behoudt zijn
# oorspronkelijke inschrijfdatum (voor het geval van een splitsing)." So on joining, the partner's own
# registration in the region ends (no double registration) and its date is kept on the joint one.
# Both must be seekers with an account: the holder invites by e-mail, the invited one accepts on their
# own Mijn inschrijving. Spelregel 6 (splitting): the holder of the joint registration keeps its number
# and date; the co-applicant is the one split off (here always, whoever asks), gets a new number with
# the date of `rules.split_registration_dates` and pays the region's split fee (€ 35) before it is active.


def co_applicant_invite(
    *, seeker, number: str, email: str, today: date | None = None, key: once.SendKey | None = None
) -> Registration:
    """Invite another seeker registered in the same region as co-applicant of this registration.

    Whoever the address belongs to (a seeker in the region, an account that is not, nobody),
    the invitation is kept and shown to the inviter the same way, with the address they typed,
    until it is answered or withdrawn: the form cannot be used to find out who is a seeker.
    Only a seeker in the region is told and can accept.

    The form sent again (its `key`, see `portal.once`) answers as its first send did, instead
    of "an invitation is already open"; once that invitation is withdrawn or declined it invites anew.
    """
    return once.send(
        key,
        lambda: _co_applicant_invite(seeker, number, email, today or timezone.localdate()),
        reuse=co_invite_stands,
    )


def co_invite_stands(registration: Registration | None) -> bool:
    """An earlier send's invitation still answers a resend: open, or accepted."""
    return registration is not None and bool(
        registration.co_applicant_id or CO_INVITE in (registration.search_profile or {})
    )


def _co_applicant_invite(seeker, number: str, email: str, today: date) -> Registration:
    from portal.models import User

    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(MESSAGES["co_email"]) from None
    with transaction.atomic():
        registration = registration_for(seeker, number)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if registration.state != RegistrationState.ACTIVE:
            raise DomainError(MESSAGES["not_active"])
        if registration.co_applicant_id:
            raise DomainError(MESSAGES["co_taken"])
        if email == seeker.email.lower():
            raise DomainError(MESSAGES["co_self"])
        if CO_INVITE in (registration.search_profile or {}):
            raise DomainError(MESSAGES["co_invite_open"])
        partner = User.objects.filter(
            email__iexact=email,
            registrations__region=registration.region,
            registrations__state=RegistrationState.ACTIVE,
        ).first()
        registration.search_profile = {
            **(registration.search_profile or {}),
            CO_INVITE: {"seeker": partner.pk if partner else None, "email": email, "on": today.isoformat()},
        }
        registration.save(update_fields=["search_profile"])
    if partner is None:
        log.info("co-applicant invitation for %s: no seeker in the region", registration.number)
        return registration
    _tell(
        partner,
        _("Verzoek medeaanvrager"),
        _(
            "%(name)s wil samen met u ingeschreven staan in de regio %(region)s. Ga naar Mijn inschrijving "
            "om dit te accepteren. Uw eigen inschrijving in deze regio stopt dan; uw inschrijfdatum blijft "
            "bewaard."
        )
        % {"name": seeker.get_full_name() or seeker.email, "region": registration.region.name},
    )
    return registration


def co_applicant_accept(*, seeker, number: str, today: date | None = None) -> Registration:
    """The invited seeker accepts: co-applicant of `number`; their own registration there ends."""
    today = today or timezone.localdate()
    with transaction.atomic():
        registration = invitations_for(seeker).filter(number=number).first()
        if registration is None:
            raise Http404
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        own = (
            Registration.objects.select_for_update(of=("self",))
            .filter(seeker=seeker, region=registration.region, state=RegistrationState.ACTIVE)
            .first()
        )
        if own is None:
            raise DomainError(MESSAGES["co_unknown"] % {"region": registration.region.name})
        if own.co_applicant_id:
            raise DomainError(MESSAGES["co_partner_taken"])
        profile = dict(registration.search_profile or {})
        profile.pop(CO_INVITE, None)
        profile[CO_JOINED] = {
            "seeker": seeker.pk,
            "on": today.isoformat(),
            "own_registered_on": own.registered_on.isoformat(),
        }
        registration.co_applicant = seeker
        registration.search_profile = profile
        registration.save(update_fields=["co_applicant", "search_profile"])
        own.state = RegistrationState.ENDED
        own.ended_on = today
        own.save(update_fields=["state", "ended_on"])
        own.reactions.filter(state="active").update(state="withdrawn")
    return registration


def co_applicant_decline(*, seeker, number: str) -> Registration:
    """The invited seeker declines the invitation of registration `number`; 404 when not invited.

    The inviting seeker is told in Mijn berichten.
    """
    with transaction.atomic():
        registration = invitations_for(seeker).filter(number=number).first()
        if registration is None:
            raise Http404
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        profile = dict(registration.search_profile or {})
        profile.pop(CO_INVITE, None)
        registration.search_profile = profile
        registration.save(update_fields=["search_profile"])
    _tell(
        registration.seeker,
        _("Verzoek medeaanvrager geweigerd"),
        _(
            "%(name)s heeft uw verzoek om samen ingeschreven te staan in de regio %(region)s geweigerd. "
            "Uw inschrijving %(number)s blijft zoals die was."
        )
        % {
            "name": seeker.get_full_name() or seeker.email,
            "region": registration.region.name,
            "number": registration.number,
        },
    )
    return registration


def co_applicant_withdraw(*, seeker, number: str) -> Registration:
    """The inviting seeker withdraws the open invitation of their own registration `number`."""
    with transaction.atomic():
        registration = registration_for(seeker, number)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        profile = dict(registration.search_profile or {})
        if CO_INVITE not in profile:
            raise DomainError(MESSAGES["co_no_invite"])
        profile.pop(CO_INVITE)
        registration.search_profile = profile
        registration.save(update_fields=["search_profile"])
    return registration


def _joint_for(seeker, number: str) -> Registration:
    """A joint registration the seeker holds or is co-applicant of; 404 for anyone else."""
    registration = (
        Registration.objects.filter(number=number)
        .filter(Q(seeker=seeker) | Q(co_applicant=seeker))
        .exclude(state=RegistrationState.ENDED)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def split(*, seeker, number: str, today: date | None = None, key: once.SendKey | None = None) -> Registration:
    """Split a joint registration; returns the split-off person's new registration.

    Either partner may ask. The holder keeps the number and date; the co-applicant gets a new
    registration dated by `rules.split_registration_dates`, pending until the split fee
    ("SPL-<new number>") is paid, active at once when the region has no split fee. The form
    sent again (its `key`, see `portal.once`) returns the registration of the first split.
    """
    return once.send(key, lambda: _split(seeker, number, today or timezone.localdate()))


def _split(seeker, number: str, today: date) -> Registration:
    with transaction.atomic():
        registration = _joint_for(seeker, number)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if not registration.co_applicant_id:
            raise DomainError(MESSAGES["co_none"])
        partner = registration.co_applicant
        profile = dict(registration.search_profile or {})
        joined = profile.pop(CO_JOINED, None) or {}
        added_on = date.fromisoformat(joined["on"]) if joined.get("on") else registration.registered_on
        own = date.fromisoformat(joined["own_registered_on"]) if joined.get("own_registered_on") else None
        _main_date, partner_date = rules.split_registration_dates(registration.registered_on, added_on, own)
        registration.co_applicant = None
        registration.search_profile = profile
        registration.save(update_fields=["co_applicant", "search_profile"])
        if (
            Registration.objects.filter(seeker=partner, region=registration.region)
            .exclude(state=RegistrationState.ENDED)
            .exists()
        ):
            raise DomainError(MESSAGES["already_registered"] % {"region": registration.region.name})
        new = Registration.objects.create(
            seeker=partner,
            region=registration.region,
            number=_new_number(),
            registered_on=partner_date,
            renew_by=registration.renew_by,
            household_income=registration.household_income,
            lived_in_region_since=registration.lived_in_region_since,
            economically_tied=registration.economically_tied,
            search_profile={"split_from": registration.number},
        )
        if partner.birth_date:
            HouseholdMember.objects.create(
                registration=new,
                name=partner.get_full_name() or partner.email,
                birth_date=partner.birth_date,
                relation="aanvrager",
            )
        fee = registration.region.split_fee
        if fee > 0:
            with translation.override("nl"):
                text = str(_("Splitsen inschrijving %(region)s")) % {"region": registration.region.name}
            _fee_item(new, SPLIT_PREFIX + new.number, fee, text, today)
        else:
            _split_activate(new, today)
    return new


def _split_activate(registration: Registration, on: date) -> None:
    """Active, keeping the registration date the split gave it (unlike a new registration)."""
    registration.state = RegistrationState.ACTIVE
    registration.renew_by = registration.renew_by or on + relativedelta(years=1)
    registration.save(update_fields=["state", "renew_by"])


def split_fee_paid(item, *, paid_on: date | None = None) -> None:
    """Called by the ledger once an "SPL-" item is paid: the split-off registration becomes active."""
    paid_on = paid_on or timezone.localdate()
    number = item.reference[len(SPLIT_PREFIX) :]
    registration = Registration.objects.select_for_update(of=("self",)).filter(number=number).first()
    if registration is None:
        log.warning("split fee %s paid for an unknown registration", item.reference)
        return
    if registration.state == RegistrationState.PENDING:
        _split_activate(registration, paid_on)


# --- documents --------------------------------------------------------------------------


def document_add(*, seeker, kind: str, upload, key: once.SendKey | None = None) -> Document:
    """Check the file and keep it with each of the seeker's current registrations; returns the
    first registration's copy.

    The form sent again (its `key`, see `portal.once`) keeps one copy per registration and
    returns the first send's document.
    """
    return once.send(key, lambda: _document_add(seeker, kind, upload))


def _document_add(seeker, kind: str, upload) -> Document:
    if kind not in DocumentKind.values:
        raise DomainError(_("Kies wat voor document het is."))
    # The name is only shown to the seeker; the file is stored and served under the portal's names.
    original = uploads.display_name(getattr(upload, "name", ""), default="document")
    clean = uploads.check(upload, files.DOCUMENT, label=original)
    registrations = list(current_registrations(seeker))
    if not registrations:
        raise DomainError(MESSAGES["no_registration"])
    documents = []
    with transaction.atomic():
        for registration in registrations:
            document = Document(registration=registration, kind=kind, original_name=original)
            document.file.save(original, clean, save=False)
            document.save()
            documents.append(document)
    return documents[0]


def document_delete(*, seeker, pk: int) -> None:
    """Remove a document (from each current registration that has the same upload)."""
    document = document_for(seeker, pk)
    same = Document.objects.filter(
        registration__seeker=seeker,
        kind=document.kind,
        original_name=document.original_name,
        uploaded_at__gte=document.uploaded_at - timedelta(seconds=5),
        uploaded_at__lte=document.uploaded_at + timedelta(seconds=5),
    )
    for each in same:
        each.file.delete(save=False)
        each.delete()


# --- jobs -------------------------------------------------------------------------------


def registrations_expire(*, today: date | None = None) -> int:
    """End registrations past their renew-by date (plus a grace period) or past the maximum registration
    time (X2), unless an option is held. Returns how many ended.

    Seed 002, spelregel 2: "U kunt maximaal 3 jaar inschrijftijd opbouwen … Na 3 jaar wordt u
    uitgeschreven als woningzoekende. Maakt u echter gebruik van de optiecatalogus en heeft u een optie
    genomen … dan wordt u niet uitgeschreven … Uw inschrijftijd komt wel te vervallen en moet dus opnieuw
    opgebouwd worden." The maximum is the region's `max_registration_years` (every region; 001 says
    nothing of its own). With an option held the registration stays and its date moves to the end of the
    term (`rules.registration_term_end`), so the time is built up again. Each seeker gets a message.
    Running it twice changes nothing more: an ended registration or a moved date is not due again.
    """
    today = today or timezone.localdate()
    limit = today - timedelta(days=RENEWAL_GRACE_DAYS)
    ended = 0
    for pk in Registration.objects.filter(
        state=RegistrationState.ACTIVE, renew_by__lt=limit, option_held=False
    ).values_list("pk", flat=True):
        with transaction.atomic():
            changed = Registration.objects.filter(
                pk=pk, state=RegistrationState.ACTIVE, option_held=False
            ).update(state=RegistrationState.ENDED, ended_on=today)
            if changed:
                ended += 1
                registration = Registration.objects.select_related("seeker", "region").get(pk=pk)
                _tell(
                    registration.seeker,
                    _("Uw inschrijving is beëindigd"),
                    _(
                        "U heeft uw inschrijving %(number)s in de regio %(region)s niet verlengd. "
                        "Daarom bent u uitgeschreven. Wilt u weer een woning zoeken? "
                        "Schrijf u dan opnieuw in."
                    )
                    % {"number": registration.number, "region": registration.region.name},
                )
    return ended + _term_ends(today)


def _term_ends(today: date) -> int:
    """The maximum registration time (X2): deregister, or with an option start the time again."""
    ended = 0
    due = [
        pk
        for pk, registered_on, years in Registration.objects.filter(
            state=RegistrationState.ACTIVE, registered_on__lte=today
        ).values_list("pk", "registered_on", "region__max_registration_years")
        if years and rules.registration_expired(registered_on, today, years)
    ]
    for pk in due:
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(of=("self",))
                .select_related("seeker", "region")
                .filter(pk=pk, state=RegistrationState.ACTIVE)
                .first()
            )
            years = registration.region.max_registration_years if registration else 0
            if registration is None or not rules.registration_expired(
                registration.registered_on, today, years
            ):
                continue  # another run got here first
            term = rules.registration_term_end(registration.registered_on, registration.option_held, years)
            facts = {"number": registration.number, "region": registration.region.name, "years": years}
            if term.deregister:
                registration.state = RegistrationState.ENDED
                registration.ended_on = today
                registration.save(update_fields=["state", "ended_on"])
                registration.reactions.filter(state="active").update(state="withdrawn")
                ended += 1
                _tell(
                    registration.seeker,
                    _("Uw inschrijving is beëindigd"),
                    _(
                        "Uw inschrijving %(number)s in de regio %(region)s heeft de hoogste inschrijfduur "
                        "van %(years)s jaar bereikt. Daarom bent u uitgeschreven. Wilt u weer een woning "
                        "zoeken? Schrijf u dan opnieuw in."
                    )
                    % facts,
                )
            else:
                registration.registered_on = term.registered_on
                registration.save(update_fields=["registered_on"])
                _tell(
                    registration.seeker,
                    _("Uw inschrijftijd begint opnieuw"),
                    _(
                        "Uw inschrijving %(number)s in de regio %(region)s heeft de hoogste inschrijfduur "
                        "van %(years)s jaar bereikt. Omdat u een optie heeft, blijft u ingeschreven, maar "
                        "uw inschrijftijd begint opnieuw vanaf %(date)s."
                    )
                    % {**facts, "date": term.registered_on.strftime("%d-%m-%Y")},
                )
    return ended


def _tell(person, subject, body) -> None:
    from portal.services import message_send

    with translation.override("nl"):
        message_send(person=person, subject=str(subject), body=str(body))


def profile_matches(listing: Listing, profile: dict) -> bool:
    """Does the listing fit the search profile (places, highest rent, least rooms)?"""
    places = [p.strip().lower() for p in profile.get("places", []) if p.strip()]
    if places and (listing.unit.city or "").strip().lower() not in places:
        return False
    max_rent = profile.get("max_rent")
    if max_rent not in (None, "") and listing.total_rent > Decimal(str(max_rent)):
        return False
    min_rooms = profile.get("min_rooms")
    return min_rooms in (None, "") or (listing.rooms or 0) >= int(min_rooms)


def tips_send(*, now: datetime | None = None) -> int:
    """One message per active registration with the new listings that fit it (A15).

    New: published after the last tip (kept in search_profile["last_tip"]) and up to
    now; a second run finds nothing new, so it sends nothing twice.
    """
    from allocation.reacting import refusal_for

    now = now or timezone.now()
    sent = 0
    registrations = Registration.objects.filter(state=RegistrationState.ACTIVE).select_related(
        "seeker", "region", "co_applicant"
    )
    for registration in registrations.prefetch_related(Prefetch("household")):
        profile = registration.search_profile or {}
        since = _parse_moment(profile.get("last_tip")) or timezone.make_aware(
            datetime.combine(registration.registered_on, time.min)
        )
        listings = (
            Listing.objects.filter(
                region=registration.region,
                state=ListingState.PUBLISHED,
                published_at__gt=since,
                published_at__lte=now,
                reaction_deadline__gt=now,
            )
            .select_related("unit", "region")
            .order_by("published_at")
        )
        fitting = [
            listing
            for listing in listings
            if profile_matches(listing, profile)
            and refusal_for(registration, listing, now=now, rules_only=True) is None
        ]
        with transaction.atomic():
            locked = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
            if (locked.search_profile or {}).get("last_tip") != profile.get("last_tip"):
                continue  # another run got here first
            locked.search_profile = {**(locked.search_profile or {}), "last_tip": now.isoformat()}
            locked.save(update_fields=["search_profile"])
            if fitting:
                lines = "\n".join(
                    f"- {listing.title} ({listing.unit.city}), {euro(listing.total_rent)}: "
                    f"{settings.SITE_URL}{reverse('listings:detail', args=[listing.number])}"
                    for listing in fitting
                )
                _tell(
                    registration.seeker,
                    _("Nieuwe woningen voor u"),
                    _(
                        "Er zijn nieuwe woningen die passen bij uw zoekprofiel en uw gegevens:\n\n"
                        "%(lines)s\n\nBekijk ze en reageer voor de sluitingsdatum."
                    )
                    % {"lines": lines},
                )
                sent += 1
    return sent


def _parse_moment(value) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def regions_open():
    return Region.objects.order_by("name")


def winners_for(listing_ids) -> dict:
    """For allocated listings: the winner's deciding value (A14), by listing id."""
    rows = Reaction.objects.filter(
        listing_id__in=set(listing_ids), listing__state=ListingState.ALLOCATED, position=1
    ).values_list("listing_id", "deciding_value")
    return dict(rows)
