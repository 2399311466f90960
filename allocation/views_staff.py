"""Staff pages of allocation (A9–A13, A16), and the seeker's answer to an offer.

Only staff see the staff pages, and only their own corporation's listings (a
superuser sees all): for a tenant, a seeker or another corporation's staff
member a listing simply does not exist here (404). The seeker's offer page
(mounted at /woningzoekend/aanbod/ by `allocation.urls_offers`) shows an offer
to that seeker only. Each view parses input, calls one function of
`allocation.offers` and renders.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allocation import offers
from allocation.models import Listing, ListingState, Offer, OfferKind, Reaction, ReactionState
from portal.errors import DomainError


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        # Like another corporation's listing, the allocation pages do not exist for a seeker or tenant.
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _listings_for(user):
    listings = Listing.objects.all()
    if not user.is_superuser:
        listings = (
            listings.filter(corporation_id=user.corporation_id) if user.corporation_id else listings.none()
        )
    return listings


def _listing_or_404(request, number):
    return get_object_or_404(_listings_for(request.user).select_related("unit", "region"), number=number)


@staff_required
def listings(request):
    """The corporation's listings by state, with the number of reactions and open offers."""
    rows = (
        _listings_for(request.user)
        .select_related("region", "corporation")
        .annotate(
            reaction_count=Count(
                "reactions", filter=~Q(reactions__state=ReactionState.WITHDRAWN), distinct=True
            ),
            open_offer_count=Count(
                "reactions__offers",
                filter=Q(
                    reactions__offers__answered_at__isnull=True, reactions__offers__expired_at__isnull=True
                ),
                distinct=True,
            ),
        )
        .order_by("reaction_deadline", "number")
    )
    by_state = {state: [] for state in ListingState.values}
    for listing in rows:
        by_state[listing.state].append(listing)
    groups = [
        {"state": state, "label": label, "listings": by_state[state]}
        for state, label in ListingState.choices
        if by_state[state]
    ]
    return render(request, "allocation/staff/listings.html", {"groups": groups, "now": timezone.now()})


@staff_required
def listing(request, number):
    """The ranked candidates with their checks and deciding value, the offers, and the actions."""
    listing = _listing_or_404(request, number)
    rows = offers.candidates(listing)
    sent = sorted((o for row in rows for o in row.offers), key=lambda o: o.sent_at, reverse=True)
    reactions = {row.reaction.pk: row for row in rows}
    return render(
        request,
        "allocation/staff/listing.html",
        {
            "listing": listing,
            "rows": rows,
            "sent": [{"offer": o, "row": reactions[o.reaction_id]} for o in sent],
            "kinds": OfferKind.choices,
            "may_close": listing.state == ListingState.PUBLISHED,
            "early": listing.state == ListingState.PUBLISHED and timezone.now() < listing.reaction_deadline,
            "may_offer": listing.state == ListingState.CLOSED,
            "talks": [row for row in rows if row.talk_needed and row.reaction.state in offers.RUNNING_STATES],
            "now": timezone.now(),
        },
    )


def _run(request, action, success):
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


@require_POST
@staff_required
def listing_close(request, number):
    listing = _listing_or_404(request, number)
    _run(
        request,
        lambda: offers.reaction_period_close(listing, request.user, early=request.POST.get("early") == "1"),
        _("De reactietermijn is gesloten en de volgorde is vastgelegd."),
    )
    return redirect("allocation_staff:listing", listing.number)


@require_POST
@staff_required
def listing_offer(request, number):
    listing = _listing_or_404(request, number)
    kind = request.POST.get("kind", "")
    if kind not in OfferKind.values:
        messages.error(request, _("Kies wat u wilt versturen."))
    else:
        _run(
            request,
            lambda: offers.offer_send(listing, request.user, kind),
            _("Verstuurd: %(kind)s.") % {"kind": OfferKind(kind).label},
        )
    return redirect("allocation_staff:listing", listing.number)


@require_POST
@staff_required
def listing_talk(request, number, reaction_pk):
    listing = _listing_or_404(request, number)
    reaction = get_object_or_404(
        Reaction.objects.select_related("registration"),
        pk=reaction_pk,
        listing=listing,
        registration__isnull=False,
    )
    _run(
        request,
        lambda: offers.watch_talk_record(
            reaction, request.user, request.POST.get("note", ""), offer=request.POST.get("outcome") == "offer"
        ),
        _("Het gesprek is vastgelegd."),
    )
    return redirect("allocation_staff:listing", listing.number)


@require_POST
@staff_required
def listing_answer(request, number, offer_pk):
    """Staff record the seeker's answer (given by phone or at the desk)."""
    listing = _listing_or_404(request, number)
    offer = get_object_or_404(Offer, pk=offer_pk, reaction__listing=listing)
    answer = request.POST.get("answer")
    if answer not in ("accept", "refuse"):
        messages.error(request, _("Kies of de kandidaat accepteert of weigert."))
    else:
        _run(
            request,
            lambda: offers.offer_answer(
                offer,
                answer == "accept",
                reason=request.POST.get("reason", ""),
                concerns_home=request.POST.get("concerns_home") == "yes",
            ),
            _("Het antwoord is vastgelegd."),
        )
    return redirect("allocation_staff:listing", listing.number)


# --- the seeker's side -----------------------------------------------------------------


@login_required
def seeker_offer(request, pk):
    """One offer to the logged-in seeker: the listing, the deadline, accept or refuse (POST)."""
    offer = get_object_or_404(
        Offer.objects.select_related("reaction__listing__unit", "reaction__listing__region"),
        pk=pk,
        reaction__seeker=request.user,
    )
    error = ""
    values = {"answer": "", "reason": "", "concerns_home": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        if values["answer"] not in ("accept", "refuse"):
            error = _("Kies of u de woning accepteert of weigert.")
        elif values["answer"] == "refuse" and values["concerns_home"] not in ("yes", "no"):
            error = _("Geef aan of de reden over de woning zelf gaat.")
        else:
            try:
                offers.offer_answer(
                    offer,
                    values["answer"] == "accept",
                    reason=values["reason"],
                    concerns_home=values["concerns_home"] == "yes",
                )
            except DomainError as e:
                error = e.message
            else:
                messages.success(request, _("Dank u wel, uw antwoord is ontvangen."))
                return redirect("offers:detail", offer.pk)
    now = timezone.now()
    return render(
        request,
        "allocation/staff/seeker_offer.html",
        {
            "offer": offer,
            "listing": offer.reaction.listing,
            "open": offer.answered_at is None and offer.expired_at is None and now <= offer.deadline,
            "error": error,
            "values": values,
        },
        status=400 if error else 200,
    )
