"""Offers, the staff side of allocation (A9–A13, A16): close, rank, offer, answer, expire.

Every write goes through one function here; the staff pages, the seeker's
offer page, the Celery job and the tests call the same functions. The rules
themselves (ranking, deadlines, block lengths, sanctions, deregistration) are
the pure functions of `allocation.rules`; this module applies them to rows.

The watch-list talk (A16) is kept on the reaction (`Reaction.watch_talk_*`:
who, when, note, outcome). Until a talk with a positive outcome is recorded
for a reaction, no offer goes to that seeker for that listing; a negative
outcome takes the reaction out of the running.

An offer that expires unanswered leaves its reaction `expired`, not
`refused`: not answering is blocked (A11) but is no refusal for the refusal
sanction (001 "Sanctie op weigeren" speaks of refusing only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allocation import rules
from allocation.models import (
    Block,
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
from allocation.registrations import counted_since
from portal.errors import DomainError
from portal.services import message_send

#: Reactions that still take part in the allocation of their listing.
RUNNING_STATES = (ReactionState.ACTIVE, ReactionState.OFFERED)


# --- reading ----------------------------------------------------------------


@dataclass
class Check:
    ok: bool
    reason: str = ""


@dataclass
class CandidateRow:
    """One reaction on the candidates list, with its checks and deciding value."""

    reaction: Reaction
    position: int | None
    deciding_value: str
    admitted: Check
    suitable: Check
    category: Check
    blocked: bool
    watch_list: bool
    offers: list = field(default_factory=list)

    @property
    def correct(self) -> bool:
        """Admitted, suitable and of the listing's category: the reaction counts."""
        return self.admitted.ok and self.suitable.ok and self.category.ok

    @property
    def talked(self) -> bool:
        """A watch-list talk about this reaction is recorded (A16)."""
        return self.reaction.watch_talk_at is not None

    @property
    def talk_needed(self) -> bool:
        return self.watch_list and not self.talked

    @property
    def in_running(self) -> bool:
        """May get the next offer: a correct, open reaction of a seeker who is not blocked."""
        registration = self.reaction.registration
        return (
            self.correct
            and not self.blocked
            and self.reaction.state in RUNNING_STATES
            and (registration is None or registration.state == RegistrationState.ACTIVE)
            and (not self.talked or bool(self.reaction.watch_talk_offer))
        )

    @property
    def open_offer(self) -> Offer | None:
        return next((o for o in self.offers if o.answered_at is None and o.expired_at is None), None)


def _reactions(listing: Listing):
    return list(
        Reaction.objects.filter(listing=listing)
        .exclude(state=ReactionState.WITHDRAWN)
        .select_related(
            "seeker",
            "registration__seeker",
            "registration__co_applicant",
            "listing__unit",
            "listing__region",
            "watch_talk_by",
        )
        .prefetch_related("registration__household", "registration__blocks", "offers")
        .order_by("reacted_at", "pk")
    )


def _candidate(reaction: Reaction) -> rules.Candidate:
    registration = reaction.registration
    return rules.Candidate(
        id=reaction.pk,
        category=rules.category(bool(registration and registration.leaves_home_in_region)),
        birth_date=reaction.seeker.birth_date or timezone.localdate(reaction.reacted_at),
        living_since=registration.living_since if registration else None,
        correct_reactions=registration.correct_reactions if registration else 0,
        # With a co-applicant the longest registration counts (A4).
        registered_on=counted_since(registration)
        if registration
        else timezone.localdate(reaction.reacted_at),
        reacted_at=reaction.reacted_at,
        lottery_number=reaction.lottery_number,
        urgent=bool(registration and registration.urgent),
    )


def is_blocked(registration: Registration | None, on: date) -> bool:
    """A block blocks from its first day until its end, job or no job (A11)."""
    if registration is None:
        return False
    return any(
        not b.closed and b.starts_on <= on and rules.block_active(b.ends_on, on)
        for b in registration.blocks.all()
    )


def candidates(listing: Listing, on: date | None = None) -> list[CandidateRow]:
    """The reactions of a listing, best first: the ranked correct ones, then the others.

    Three queries, however many reactions: the reactions with their seekers
    and registrations, the households, the blocks and the offers.
    """
    on = on or timezone.localdate()
    reactions = _reactions(listing)
    rows = {}
    for reaction in reactions:
        admitted, suitable, category = _checks(listing, reaction, on)
        rows[reaction.pk] = CandidateRow(
            reaction=reaction,
            position=None,
            deciding_value="",
            admitted=admitted,
            suitable=suitable,
            category=category,
            blocked=is_blocked(reaction.registration, on),
            watch_list=bool(reaction.registration and reaction.registration.watch_list),
            offers=sorted(reaction.offers.all(), key=lambda o: o.sent_at),
        )
    correct = {pk: _candidate(rows[pk].reaction) for pk in rows if rows[pk].correct}
    max_years = listing.region.max_registration_years
    order = rules.rank(
        listing.ordering_policy, list(correct.values()), on=on, max_registration_years=max_years
    )
    ranked = []
    for position, pk in enumerate(order, start=1):
        row = rows[pk]
        row.position = position
        row.deciding_value = rules.deciding_value(
            listing.ordering_policy,
            correct[pk],
            list(correct.values()),
            on=on,
            max_registration_years=max_years,
        )
        ranked.append(row)
    others = [row for pk, row in rows.items() if pk not in correct]
    return ranked + others


# --- the checks (admission, suitability, category) -------------------------------------


def _checks(listing: Listing, reaction: Reaction, on: date) -> tuple[Check, Check, Check]:
    """Admission (A6), suitability (A8) and category (A7) of one reaction, by `allocation.rules`.

    The seeker's data reach the rules through `reacting.facts_of`, the same
    mapping as when they reacted: the household (the applicant is one of its
    members), a co-applicant's birth date, the income and the category.
    """
    from allocation.reacting import facts_of

    registration = reaction.registration
    ok = Check(True)
    if registration is None:
        # Reacting without registration above the region's rent threshold (002): no admission rules apply.
        return ok, ok, ok
    facts = facts_of(registration, on=on)
    if not facts["birth_dates"]:
        unknown = Check(False, _("Geboortedatum onbekend."))
        return unknown, unknown, ok
    decision = rules.admitted(
        birth_date=facts["birth_dates"][0],
        on=on,
        lived_in_region_since=registration.lived_in_region_since,
        economically_tied=registration.economically_tied,
    )
    admitted = Check(decision.ok, "" if decision.ok else decision.reason)
    decision = rules.fits_category(
        facts["category"], None if listing.category == ListingCategory.ALL else listing.category
    )
    category = Check(decision.ok, decision.reason)
    suitable = ok
    if listing.unit.kind == "home":
        decision = rules.suitable(
            rent=listing.total_rent,
            rooms=listing.rooms or 0,
            household_size=facts["household_size"],
            income=facts["income"],
            birth_dates=facts["birth_dates"],
            on=on,
            criteria=rules.Criteria(min_age=listing.min_age),
        )
        suitable = Check(decision.ok, "" if decision.ok else decision.reason)
    return admitted, suitable, category


# --- closing the reaction period ----------------------------------------------


def reaction_period_close(listing: Listing, staff, *, early: bool = False, now: datetime | None = None):
    """Published → closed, after the deadline or earlier when staff choose so; fixes positions."""
    now = now or timezone.now()
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.state != ListingState.PUBLISHED:
            raise DomainError(_("De reactietermijn van deze advertentie is niet open."))
        if now < listing.reaction_deadline and not early:
            raise DomainError(
                _("Reageren kan nog tot %(when)s. Kies ‘nu sluiten’ om de termijn eerder te sluiten.")
                % {"when": date_format(timezone.localtime(listing.reaction_deadline), "j F Y, H:i")}
            )
        listing.state = ListingState.CLOSED
        listing.save(update_fields=["state"])
        for row in candidates(listing, on=timezone.localdate(now)):
            reaction = row.reaction
            reaction.position = row.position
            reaction.deciding_value = row.deciding_value[:120]
            reaction.save(update_fields=["position", "deciding_value"])
    return listing


# --- offers -------------------------------------------------------------------------


def _open_offers(listing: Listing):
    return Offer.objects.filter(reaction__listing=listing, answered_at__isnull=True, expired_at__isnull=True)


def next_candidate(listing: Listing, kind: str, *, on: date | None = None) -> CandidateRow | None:
    """Who gets the next offer of this kind: for a final allocation the candidate who accepted a
    provisional offer, else the best candidate still in the running without an offer of this kind."""
    rows = [row for row in candidates(listing, on=on) if row.position is not None]
    full = _offers_full(listing, rows) if kind == OfferKind.PROVISIONAL else set()
    rows = [row for row in rows if row.reaction.seeker_id not in full]
    if kind == OfferKind.FINAL:
        for row in rows:
            if (
                row.in_running
                and any(o.kind == OfferKind.PROVISIONAL and o.accepted for o in row.offers)
                and not any(o.kind == OfferKind.FINAL for o in row.offers)
            ):
                return row
    for row in rows:
        if row.talk_needed and row.reaction.state in RUNNING_STATES and row.correct and not row.blocked:
            return row  # the talk comes first: nobody below a waiting watch-list seeker is skipped to
        if row.in_running and not any(o.kind == kind for o in row.offers):
            return row
    return None


def _offers_full(listing: Listing, rows: list) -> set[int]:
    """Seekers who already hold the region's maximum of open provisional offers elsewhere (002:
    "maximaal 2 voorlopige aanbiedingen tegelijk"); they are passed over for another one. One query."""
    limit = listing.region.max_provisional_offers
    if not limit:
        return set()
    counts = (
        Offer.objects.filter(
            kind=OfferKind.PROVISIONAL,
            answered_at__isnull=True,
            expired_at__isnull=True,
            reaction__seeker_id__in=[row.reaction.seeker_id for row in rows],
        )
        .exclude(reaction__listing=listing)
        .values("reaction__seeker_id")
        .annotate(n=Count("id"))
    )
    return {c["reaction__seeker_id"] for c in counts if c["n"] >= limit}


OFFER_SUBJECTS = {
    OfferKind.PROVISIONAL: _("Voorlopige aanbieding: %(title)s"),
    OfferKind.POLL: _("Heeft u nog belangstelling voor %(title)s?"),
    OfferKind.VIEWING: _("Uitnodiging groepsbezichtiging: %(title)s"),
    OfferKind.FINAL: _("Definitieve toewijzing: %(title)s"),
}


def offer_send(listing: Listing, staff, kind: str, *, now: datetime | None = None) -> Offer:
    """Send an offer of `kind` to the next candidate (A10); the deadline comes from the rules."""
    now = now or timezone.now()
    if kind not in OfferKind.values:
        raise DomainError(_("Onbekende soort aanbieding."))
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.state != ListingState.CLOSED:
            raise DomainError(_("Sluit eerst de reactietermijn; daarna kunt u aanbieden."))
        if kind in (OfferKind.PROVISIONAL, OfferKind.FINAL) and (
            _open_offers(listing).filter(kind__in=[OfferKind.PROVISIONAL, OfferKind.FINAL]).exists()
        ):
            raise DomainError(
                _("Er staat al een aanbieding open. Wacht op het antwoord of tot die verloopt.")
            )
        row = next_candidate(listing, kind, on=timezone.localdate(now))
        if row is None:
            raise DomainError(_("Er is geen kandidaat meer over om aan te bieden."))
        if row.talk_needed:
            raise DomainError(
                _("Kandidaat %(position)s staat op de signaleringslijst: leg eerst het gesprek vast.")
                % {"position": row.position}
            )
        return _send(listing, row.reaction, kind, now)


def _send(listing: Listing, reaction: Reaction, kind: str, now: datetime) -> Offer:
    offer = Offer.objects.create(
        reaction=reaction,
        kind=kind,
        sent_at=now,
        deadline=rules.offer_deadline(now, final=kind == OfferKind.FINAL),
    )
    reaction.state = ReactionState.OFFERED
    reaction.save(update_fields=["state"])
    deadline = date_format(timezone.localtime(offer.deadline), "l j F Y, H:i")
    message_send(
        person=reaction.seeker,
        subject=OFFER_SUBJECTS[kind] % {"title": listing.title},
        body=_(
            "U bent de eerste kandidaat voor %(title)s (advertentie %(number)s).\n\n"
            "Geef uw antwoord voor %(deadline)s op %(url)s. Reageert u niet op tijd, dan wordt "
            "uw inschrijving een tijd geblokkeerd en gaat de woning naar de volgende kandidaat."
        )
        % {
            "title": listing.title,
            "number": listing.number,
            "deadline": deadline,
            "url": reverse("offers:detail", args=[offer.pk]),
        },
    )
    return offer


def _send_next(listing: Listing, kind: str, now: datetime) -> Offer | None:
    """After a refusal or an expiry: the same kind of offer to the next candidate, if one may get it."""
    if listing.state != ListingState.CLOSED:
        return None
    if (
        kind in (OfferKind.PROVISIONAL, OfferKind.FINAL)
        and _open_offers(listing).filter(kind__in=[OfferKind.PROVISIONAL, OfferKind.FINAL]).exists()
    ):
        return None
    row = next_candidate(listing, kind, on=timezone.localdate(now))
    if row is None or row.talk_needed:
        return None  # a watch-list seeker waits for the talk; the candidates page shows the task
    return _send(listing, row.reaction, kind, now)


def watch_talk_record(reaction: Reaction, staff, note: str, *, offer: bool = True, now=None) -> Reaction:
    """Staff talked to a seeker on the watch list about this reaction (A16)."""
    now = now or timezone.now()
    if not note.strip():
        raise DomainError(_("Schrijf kort op wat er besproken is."))
    with transaction.atomic():
        reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
        reaction.watch_talk_at = now
        reaction.watch_talk_by = staff
        reaction.watch_talk_note = note.strip()
        reaction.watch_talk_offer = offer
        changed = ["watch_talk_at", "watch_talk_by", "watch_talk_note", "watch_talk_offer"]
        if not offer and reaction.state in RUNNING_STATES:
            reaction.state = ReactionState.NOT_CHOSEN
            changed.append("state")
        reaction.save(update_fields=changed)
    return reaction


def _refusals_this_year(registration: Registration, year: int, exclude: int) -> int:
    return (
        Offer.objects.filter(
            reaction__registration=registration,
            accepted=False,
            reason_concerns_home=False,
            answered_at__year=year,
        )
        .exclude(pk=exclude)
        .count()
    )


def offer_answer(
    offer: Offer,
    accepted: bool,
    reason: str = "",
    concerns_home: bool = False,
    *,
    now: datetime | None = None,
) -> Offer:
    """The seeker (or staff for them) accepts or refuses an offer (A12, A13)."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = Offer.objects.select_for_update().select_related("reaction__listing__unit").get(pk=offer.pk)
        listing = (
            Listing.objects.select_for_update()
            .select_related("unit", "region")
            .get(pk=offer.reaction.listing_id)
        )
        if offer.answered_at is not None or offer.expired_at is not None:
            raise DomainError(_("Deze aanbieding is al beantwoord of verlopen."))
        if now > offer.deadline:
            raise DomainError(_("De termijn om te antwoorden is voorbij."))
        if not accepted and not reason.strip():
            raise DomainError(_("Schrijf waarom u de woning weigert."))
        reaction = offer.reaction
        offer.answered_at = now
        offer.accepted = accepted
        offer.refusal_reason = "" if accepted else reason.strip()
        offer.reason_concerns_home = bool(concerns_home) and not accepted
        offer.save(update_fields=["answered_at", "accepted", "refusal_reason", "reason_concerns_home"])
        if accepted:
            if offer.kind == OfferKind.FINAL:
                _allocate(listing, reaction, now)
            return offer
        reaction.state = ReactionState.REFUSED
        reaction.save(update_fields=["state"])
        if reaction.registration_id:
            _sanction(listing, reaction, offer, now)
        _send_next(listing, offer.kind, now)
    return offer


#: The region's refusal policy (`Region.refusal_policy`) as the rules know it.
REFUSAL_POLICIES = {"warning": rules.REFUSAL_WARN_THEN_RESET, "priority": rules.REFUSAL_PRIORITY}


def _sanction(listing: Listing, reaction: Reaction, offer: Offer, now: datetime) -> None:
    registration = Registration.objects.select_for_update().get(pk=reaction.registration_id)
    # A12: refusing the final allocation after having accepted the provisional offer of this home.
    after_accepting = (
        offer.kind == OfferKind.FINAL
        and reaction.offers.filter(kind=OfferKind.PROVISIONAL, accepted=True).exists()
    )
    sanction = rules.refusal_sanction(
        REFUSAL_POLICIES[listing.region.refusal_policy],
        _refusals_this_year(registration, timezone.localdate(now).year, offer.pk),
        offer.reason_concerns_home,
        True,  # offers go to the best candidate still in the running: the first candidate
        after_accepting=after_accepting,
        has_priority=registration.urgent,
    )
    changed = []
    if sanction.reset_reactions:
        registration.correct_reactions = 0
        changed.append("correct_reactions")
    if sanction.loses_priority:
        registration.urgent = False
        changed.append("urgent")
    if changed:
        registration.save(update_fields=changed)
    if sanction.reason:
        message_send(person=registration.seeker, subject=_("Uw weigering"), body=str(sanction.reason))
    if sanction.may_block:
        block_for_no_answer(
            registration,
            listing,
            now,
            reason=_("Woning geweigerd na accepteren (advertentie %(number)s)") % {"number": listing.number},
        )
    # 002 Spelregel 12: the landlord "kan … een boete in rekening brengen". The seed names no amount
    # and leaves it to the corporation, so the portal never charges a fine by itself: staff may add
    # one as an invoice in the admin. The seeker is told (sanction.reason) that it may come.


def _allocate(listing: Listing, reaction: Reaction, now: datetime) -> None:
    """A final allocation accepted: the home is let; the others did not get it; maybe deregister (A13)."""
    listing.state = ListingState.ALLOCATED
    listing.allocated_at = now
    listing.save(update_fields=["state", "allocated_at"])
    reaction.state = ReactionState.ACCEPTED
    reaction.save(update_fields=["state"])
    Reaction.objects.filter(listing=listing, state__in=RUNNING_STATES).exclude(pk=reaction.pk).update(
        state=ReactionState.NOT_CHOSEN
    )
    _open_offers(listing).update(expired_at=now)
    registration = reaction.registration
    if registration is None:
        # 002: reacting without registration may cost administration costs at signing (A5).
        from allocation.reacting import unregistered_fee_charge

        unregistered_fee_charge(reaction, today=timezone.localdate(now))
    if registration is not None and rules.deregisters_on_accept(listing.unit.kind, listing.temporary):
        registration.state = RegistrationState.ENDED
        registration.ended_on = timezone.localdate(now)
        registration.save(update_fields=["state", "ended_on"])
        registration.reactions.filter(state=ReactionState.ACTIVE).exclude(pk=reaction.pk).update(
            state=ReactionState.WITHDRAWN
        )
    message_send(
        person=reaction.seeker,
        subject=_("De woning is aan u toegewezen: %(title)s") % {"title": listing.title},
        body=_(
            "Gefeliciteerd! %(title)s (advertentie %(number)s) is aan u toegewezen. "
            "We nemen contact met u op."
        )
        % {"title": listing.title, "number": listing.number},
    )


# --- the job --------------------------------------------------------------------------


def offers_expire(now: datetime | None = None) -> int:
    """Offers past their deadline without an answer: expired, a block, the next candidate (A10, A11).

    Idempotent: an expired offer is never looked at again. Returns how many expired.
    """
    now = now or timezone.now()
    due = list(
        Offer.objects.filter(answered_at__isnull=True, expired_at__isnull=True, deadline__lt=now).values_list(
            "pk", flat=True
        )
    )
    count = 0
    for pk in due:
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update()
                .filter(pk=pk, answered_at__isnull=True, expired_at__isnull=True)
                .select_related("reaction")
                .first()
            )
            if offer is None:
                continue
            listing = Listing.objects.select_for_update().get(pk=offer.reaction.listing_id)
            offer.expired_at = now
            offer.save(update_fields=["expired_at"])
            reaction = offer.reaction
            # Not answering is no refusal (001): the reaction is out of the running, and blocked below.
            reaction.state = ReactionState.EXPIRED
            reaction.save(update_fields=["state"])
            if reaction.registration_id:
                block_for_no_answer(reaction.registration, listing, now)
            _send_next(listing, offer.kind, now)
            count += 1
    return count


def block_for_no_answer(
    registration: Registration, listing: Listing, now: datetime, *, reason: str | None = None
) -> Block:
    """1 week, then 1 month, then 3 months (A11); the open block is closed first (one open block).

    `reason`: another cause than not answering in time (refusing after accepting, A12).
    """
    today = timezone.localdate(now)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    previous = registration.blocks.count()
    ends_on = today + rules.block_duration(previous)
    current = registration.blocks.filter(closed=False).first()
    if current is not None:
        if rules.block_active(current.ends_on, today):
            # Still blocked: the new block takes over and adds its length to what is left.
            ends_on = current.ends_on + rules.block_duration(previous)
        current.closed = True
        current.save(update_fields=["closed"])
    block = Block.objects.create(
        registration=registration,
        starts_on=today,
        ends_on=ends_on,
        reason=reason
        or _("Niet op tijd gereageerd op een aanbieding (advertentie %(number)s)")
        % {"number": listing.number},
    )
    if reason:
        body = _(
            "U heeft %(title)s geweigerd nadat u de aanbieding had geaccepteerd. Uw inschrijving is "
            "geblokkeerd van %(start)s tot %(end)s: in die tijd kunt u niet reageren en krijgt u geen "
            "aanbiedingen."
        )
    else:
        body = _(
            "U heeft niet op tijd gereageerd op de aanbieding van %(title)s. Uw inschrijving is geblokkeerd "
            "van %(start)s tot %(end)s: in die tijd kunt u niet reageren en krijgt u geen aanbiedingen."
        )
    message_send(
        person=registration.seeker,
        subject=_("Uw inschrijving is tijdelijk geblokkeerd"),
        body=body
        % {
            "title": listing.title,
            "start": date_format(block.starts_on, "j F Y"),
            "end": date_format(block.ends_on, "j F Y"),
        },
    )
    return block
