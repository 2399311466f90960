"""Reacting to a listing (A5): who may, within the region's limits, and withdrawing.

Every refusal is a DomainError with a Dutch reason the seeker can act on.
The rules themselves (admission, category, suitability, blocks) are pure
functions in `allocation.rules`; this module gathers the seeker's data for
them and enforces the region's limit under concurrency:

- the seeker's Registration row is locked (`select_for_update`) and the open
  reactions or provisional offers are counted inside that transaction, so a
  seeker reacting to many listings at once in separate requests never gets
  past the limit: the second request waits for the first and then counts it;
- the database constraint `reaction_one_per_listing` makes a double click
  react once.

Reacting without registration (002, A5): only above the region's rent threshold on a listing ordered
by first reaction. The seed: "Wanneer u overgaat tot het tekenen van het huurcontract kan een corporatie
50 euro administratiekosten extra … in rekening brengen". So the reaction counts at once, like any other,
and the region's `unregistered_fee` is charged only to the seeker who gets the home: when they accept
the final allocation (`allocation.offers`) an open item "REA-<listing number>-<seeker id>" is made,
paid with iDEAL from Mijn reacties. Nobody who reacts without getting the home pays anything.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from allocation import rules
from allocation.models import (
    LimitKind,
    Listing,
    ListingCategory,
    ListingState,
    Offer,
    OfferKind,
    Reaction,
    ReactionState,
    Registration,
    RegistrationState,
)
from allocation.registrations import missing_documents
from portal import once
from portal.errors import DomainError
from portal.models import User

#: Reactions that still take a place under the region's limit.
OPEN_STATES = (ReactionState.ACTIVE, ReactionState.OFFERED)

MESSAGES = {
    "closed": _("U kunt niet meer reageren op deze woning: de reactietermijn is voorbij."),
    "not_registered": _(
        "U staat niet ingeschreven in de regio %(region)s. Schrijf u eerst in (of betaal uw inschrijfgeld)."
    ),
    "documents": _("Upload eerst uw documenten in Mijn inschrijving: %(missing)s. Daarna kunt u reageren."),
    "no_birth_date": _("Vul eerst uw geboortedatum in bij Mijn inschrijving."),
    "limit_offers": _(
        "U heeft al %(count)s voorlopige aanbiedingen. In de regio %(region)s kunt u niet reageren zolang "
        "u %(max)s voorlopige aanbiedingen heeft."
    ),
    "twice": _("U heeft al op deze woning gereageerd."),
    "not_yours": _("Deze reactie kunt u niet intrekken."),
    "not_active": _("Deze reactie kunt u niet meer intrekken."),
    "nothing_to_pay": _("Voor deze reactie hoeft u niets (meer) te betalen."),
}


def facts_of(registration: Registration, *, on: date) -> dict:
    """The seeker's data as the rule functions want it."""
    seeker = registration.seeker
    births = [seeker.birth_date] if seeker.birth_date else []
    if registration.co_applicant_id and registration.co_applicant.birth_date:
        births.append(registration.co_applicant.birth_date)
    members = max(len(registration.household.all()), 1)
    return {
        "birth_dates": births,
        "household_size": rules.household_size(members, registration.expecting),
        "income": registration.household_income or Decimal("0"),
        "category": rules.category(registration.leaves_home_in_region),
    }


def refusal_for(registration: Registration, listing: Listing, *, now: datetime, rules_only=False):
    """Why this registration may not react to the listing (a Dutch sentence), or None.

    Checked in the order a seeker can act on: the deadline, documents and a block
    (`rules.may_react`), admission (A6), category (A7), suitability (A8). `rules_only`:
    only the seeker's data against the listing (for tips).
    """
    on = timezone.localdate(now)
    if not rules_only:
        if listing.state != ListingState.PUBLISHED or listing.reaction_deadline <= now:
            return str(MESSAGES["closed"])
        missing = missing_documents(registration)
        block_ends = [b.ends_on for b in registration.blocks.all() if not b.closed]
        blocked = any(rules.block_active(ends_on, on) for ends_on in block_ends)
        decision = rules.may_react(rules.REACT, 0, 0, blocked=blocked, documents_complete=not missing)
        if not decision:
            if missing and not blocked:
                return str(MESSAGES["documents"]) % {"missing": ", ".join(str(m) for m in missing)}
            return str(decision.reason)
    facts = facts_of(registration, on=on)
    if not facts["birth_dates"]:
        return str(MESSAGES["no_birth_date"])
    if rules.within_allocation_system(listing.total_rent, None):
        decision = rules.admitted(
            birth_date=facts["birth_dates"][0],
            on=on,
            lived_in_region_since=registration.lived_in_region_since,
            economically_tied=registration.economically_tied,
        )
        if not decision:
            return str(decision.reason)
    listing_category = None if listing.category == ListingCategory.ALL else listing.category
    decision = rules.fits_category(facts["category"], listing_category)
    if not decision:
        return str(decision.reason)
    decision = rules.suitable(
        rent=listing.total_rent,
        rooms=listing.rooms or 0,
        household_size=facts["household_size"],
        income=facts["income"],
        birth_dates=facts["birth_dates"],
        on=on,
        criteria=rules.Criteria(min_age=listing.min_age),
    )
    if not decision:
        return str(decision.reason)
    return None


# --- reacting -------------------------------------------------------------------------


def _limit_refusal(region, seeker_id) -> str | None:
    """The region's limit, counted while the seeker's row is locked (see the module docstring)."""
    active = Reaction.objects.filter(
        seeker_id=seeker_id, listing__region=region, state__in=OPEN_STATES
    ).count()
    max_reactions = region.max_reactions if region.limit_kind == LimitKind.REACTIONS else None
    decision = rules.may_react(rules.REACT, active, 0, max_reactions)
    if not decision:
        return str(decision.reason)
    if region.limit_kind == LimitKind.OFFERS and region.max_provisional_offers is not None:
        offers = Offer.objects.filter(
            reaction__seeker_id=seeker_id,
            reaction__listing__region=region,
            kind=OfferKind.PROVISIONAL,
            answered_at__isnull=True,
            expired_at__isnull=True,
        ).count()
        if offers >= region.max_provisional_offers:
            return str(MESSAGES["limit_offers"]) % {
                "count": offers,
                "region": region.name,
                "max": region.max_provisional_offers,
            }
    return None


def registration_to_react(seeker, listing: Listing) -> Registration | None:
    return (
        Registration.objects.filter(
            seeker=seeker, region_id=listing.region_id, state=RegistrationState.ACTIVE
        )
        .select_related("region", "seeker", "co_applicant")
        .prefetch_related("household", "documents", "blocks")
        .first()
    )


def _unregistered_refusal(listing: Listing, now: datetime) -> str | None:
    """002: reacting without registration, only above the region's rent threshold."""
    if listing.state != ListingState.PUBLISHED or listing.reaction_deadline <= now:
        return str(MESSAGES["closed"])
    decision = rules.may_react_without_registration(
        listing.total_rent, listing.region.unregistered_rent_threshold, listing.ordering_policy
    )
    if not decision:
        return str(MESSAGES["not_registered"]) % {"region": listing.region.name}
    return None


def check(seeker, listing: Listing, *, now: datetime | None = None) -> str | None:
    """Why the seeker may not react now (for the confirm page), or None. No lock, no write."""
    now = now or timezone.now()
    registration = registration_to_react(seeker, listing)
    if registration is None:
        reason = _unregistered_refusal(listing, now)
    else:
        reason = refusal_for(registration, listing, now=now)
    return reason or _limit_refusal(listing.region, seeker.pk)


def react(
    seeker, listing: Listing, now: datetime | None = None, *, key: once.SendKey | None = None
) -> Reaction:
    """React to the listing, or raise DomainError with the reason.

    The form sent again (its `key`, see `portal.once`) returns the reaction
    its first send made, instead of "you have reacted already"; once that
    reaction is withdrawn, the same form reacts anew.
    """
    return once.send(
        key, lambda: _react(seeker, listing, now), reuse=lambda r: r.state != ReactionState.WITHDRAWN
    )


def _react(seeker, listing: Listing, now: datetime | None) -> Reaction:
    now = now or timezone.now()
    listing = Listing.objects.select_related("region", "unit").get(pk=listing.pk)
    with transaction.atomic():
        registration = registration_to_react(seeker, listing)
        if registration is None:
            # No registration row to lock: the seeker's own row serialises their reactions.
            User.objects.select_for_update(of=("self",)).filter(pk=seeker.pk).first()
            reason = _unregistered_refusal(listing, now)
        else:
            # The lock serialises one seeker's reactions in a region: the count below sees them all.
            locked = Registration.objects.select_for_update(of=("self",)).filter(
                pk=registration.pk, state=RegistrationState.ACTIVE
            )
            if not locked.exists():
                raise DomainError(str(MESSAGES["not_registered"]) % {"region": listing.region.name})
            reason = refusal_for(registration, listing, now=now)
        reason = reason or _limit_refusal(listing.region, seeker.pk)
        if reason:
            raise DomainError(reason)
        if (
            Reaction.objects.filter(listing=listing, seeker=seeker)
            .exclude(state=ReactionState.WITHDRAWN)
            .exists()
        ):
            raise DomainError(MESSAGES["twice"])
        try:
            with transaction.atomic():
                return Reaction.objects.create(
                    listing=listing,
                    registration=registration,
                    seeker=seeker,
                    reacted_at=now,
                    state=ReactionState.ACTIVE,
                )
        except IntegrityError:
            raise DomainError(MESSAGES["twice"]) from None


# --- the fee of reacting without registration ------------------------------------------

UNREGISTERED_PREFIX = "REA-"


def unregistered_reference(listing: Listing, seeker_id: int) -> str:
    reference = f"{UNREGISTERED_PREFIX}{listing.number}-{seeker_id}"
    return reference if len(reference) <= 30 else f"{UNREGISTERED_PREFIX}{listing.pk}-{seeker_id}"


def unregistered_fee_charge(reaction: Reaction, *, today: date | None = None):
    """The administration costs of the seeker who got the home without registration (None: no fee)."""
    from payments.models import ItemKind, OpenItem

    listing = reaction.listing
    fee = listing.region.unregistered_fee
    if reaction.registration_id or fee <= 0:
        return None
    today = today or timezone.localdate()
    with translation.override("nl"):
        text = str(_("Administratiekosten reageren zonder inschrijving %(number)s")) % {
            "number": listing.number
        }
    item, _created = OpenItem.objects.get_or_create(
        corporation_id=listing.corporation_id,
        reference=unregistered_reference(listing, reaction.seeker_id),
        defaults={
            "tenant_id": reaction.seeker_id,
            "kind": ItemKind.OTHER,
            "description": text,
            "amount": fee,
            "due_date": today,
        },
    )
    return item


def unregistered_fee_items(seeker) -> dict:
    """The seeker's open "REA-" items by reference (for Mijn reacties)."""
    from payments.models import OpenItem

    items = OpenItem.objects.filter(
        tenant=seeker, reference__startswith=UNREGISTERED_PREFIX, paid_at__isnull=True
    )
    return {item.reference: item for item in items}


def unregistered_fee_payment_start(*, seeker, pk: int, key: once.SendKey | None = None):
    """Start the iDEAL payment of the administration costs of one's own reaction (404 otherwise).

    The button pressed again (its `key`, see `portal.once`) gives the payment it started first.
    """
    from payments.ledger import payment_reusable

    return once.send(key, lambda: _unregistered_fee_payment(seeker, pk), reuse=payment_reusable)


def _unregistered_fee_payment(seeker, pk: int):
    from payments.ledger import payment_start

    reaction = Reaction.objects.select_related("listing").filter(pk=pk, seeker=seeker).first()
    if reaction is None:
        raise Http404
    item = unregistered_fee_items(seeker).get(unregistered_reference(reaction.listing, seeker.pk))
    if item is None:
        raise DomainError(MESSAGES["nothing_to_pay"])
    return payment_start(tenant=seeker, items=[item], description=item.description)


def reaction_withdraw(*, seeker, pk: int) -> Reaction:
    """Withdraw one's own open reaction (its place under the limit comes free)."""
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update(of=("self",)).filter(pk=pk, seeker=seeker).first()
        if reaction is None:
            raise Http404
        if reaction.state != ReactionState.ACTIVE:
            raise DomainError(MESSAGES["not_active"])
        reaction.state = ReactionState.WITHDRAWN
        reaction.save(update_fields=["state"])
    return reaction
