"""Reads that the allocation pages share: open listings, one public listing, the accountability.

Each returns a queryset with its related rows already joined or prefetched,
so a page needs the same number of queries for 3 listings or 300.
"""

from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from allocation.models import Listing, ListingPhoto, ListingState, Reaction, ReactionState

#: States in which a listing's own page is public: it was published, whatever happened since.
PUBLIC_STATES = (ListingState.PUBLISHED, ListingState.CLOSED, ListingState.ALLOCATED)


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("unit", "region", "corporation").prefetch_related(
        Prefetch("photos", queryset=ListingPhoto.objects.order_by("order", "id"), to_attr="photo_list")
    )


def listings_open(*, now=None) -> QuerySet:
    """Published listings whose reaction deadline has not passed, of every corporation, soonest first."""
    now = now or timezone.now()
    return _with_relations(
        Listing.objects.filter(state=ListingState.PUBLISHED, reaction_deadline__gt=now).order_by(
            "reaction_deadline", "number"
        )
    )


def listings_filter(
    queryset: QuerySet,
    *,
    place: str = "",
    max_rent: Decimal | None = None,
    min_rooms: int | None = None,
    kind: str = "",
    region: str = "",
) -> QuerySet:
    """Narrow listings by the search form's choices; empty values do not filter."""
    if place:
        queryset = queryset.filter(unit__city__iexact=place)
    if max_rent is not None:
        # The total rent (kale huur + servicekosten) is what the seeker pays.
        queryset = queryset.alias(total=F("base_rent") + F("service_charges")).filter(total__lte=max_rent)
    if min_rooms:
        queryset = queryset.filter(rooms__gte=min_rooms)
    if kind:
        queryset = queryset.filter(unit__kind=kind)
    if region:
        queryset = queryset.filter(region__slug=region)
    return queryset


def open_places(*, now=None) -> list[str]:
    """The places that have an open listing, for the place filter."""
    return list(
        listings_open(now=now)
        .prefetch_related(None)
        .order_by("unit__city")
        .values_list("unit__city", flat=True)
        .distinct()
    )


def listing_public(number: str) -> QuerySet:
    """The listing with this number if its page is public (never a draft or a withdrawn one)."""
    return _with_relations(Listing.objects.filter(number=number, state__in=PUBLIC_STATES))


def allocations_published() -> QuerySet:
    """Every allocated listing, newest first, with its count of reactions and the winner's facts (A14).

    The number of reactions counts everyone who reacted and did not withdraw.
    The winner is the accepted reaction; its deciding value (reactions,
    years, age, registration time or lot number) and whether the winner
    had urgency come along as annotations, so the page needs one query.
    """
    winner = Reaction.objects.filter(listing=OuterRef("pk"), state=ReactionState.ACCEPTED).order_by(
        "position"
    )
    return (
        Listing.objects.filter(state=ListingState.ALLOCATED)
        .select_related("unit", "region", "corporation")
        .annotate(
            reaction_count=Count("reactions", filter=~Q(reactions__state=ReactionState.WITHDRAWN)),
            deciding_value=Subquery(winner.values("deciding_value")[:1]),
            winner_urgent=Subquery(winner.values("registration__urgent")[:1]),
        )
        .order_by("-allocated_at", "-id")
    )
