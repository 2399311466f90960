"""Public pages of the housing offer (woningaanbod): the listings, one listing, the accountability.

Nothing here needs a login: anyone may look for a home and see how homes
were allocated (A1, A14). Reacting is the seeker pages' work
(`/woningzoekend/reageren/<number>/`); this only links to it.
"""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocation import selectors
from allocation.housing_cost import housing_cost
from allocation.models import ListingState, Region
from contracts.models import UnitKind
from portal.upload_fields import file_response, stored_kind

PAGE_SIZE = 20


class ListingFilterForm(forms.Form):
    """The search form on /woningaanbod/ (GET, works without JavaScript)."""

    plaats = forms.ChoiceField(label=_("Plaats"), required=False)
    huur = forms.DecimalField(
        label=_("Huur hoogstens (€ per maand)"), required=False, min_value=0, max_digits=7, decimal_places=2
    )
    kamers = forms.IntegerField(label=_("Kamers minstens"), required=False, min_value=1, max_value=10)
    soort = forms.ChoiceField(label=_("Soort"), required=False)
    regio = forms.ChoiceField(label=_("Regio"), required=False)

    def __init__(self, *args, places, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plaats"].choices = [("", _("Alle plaatsen"))] + [(p, p) for p in places]
        self.fields["soort"].choices = [("", _("Alle soorten"))] + list(UnitKind.choices)
        self.fields["regio"].choices = [("", _("Alle regio's"))] + [(r.slug, r.name) for r in regions]
        self.fields["huur"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


def listing_list(request):
    now = timezone.now()
    form = ListingFilterForm(
        request.GET or None,
        places=selectors.open_places(now=now),
        regions=Region.objects.order_by("name"),
    )
    listings = selectors.listings_open(now=now)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        listings = selectors.listings_filter(
            listings,
            place=data["plaats"],
            max_rent=data["huur"],
            min_rooms=data["kamers"],
            kind=data["soort"],
            region=data["regio"],
        )
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "allocation/listing_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(form.is_bound)},
    )


def _public_listing(number):
    return get_object_or_404(selectors.listing_public(number))


def listing_detail(request, number):
    listing = _public_listing(number)
    open_for_reactions = (
        listing.state == ListingState.PUBLISHED and listing.reaction_deadline > timezone.now()
    )
    # By what the stored bytes are, as the file itself is served: an old plan.jpg that is no image
    # is offered as a download, not shown.
    plan_kind = stored_kind(listing.floor_plan)
    return render(
        request,
        "allocation/listing_detail.html",
        {
            "listing": listing,
            "region": listing.region,
            "cost": housing_cost(
                base_rent=listing.base_rent,
                service_charges=listing.service_charges,
                energy_label=listing.energy_label,
                is_home=listing.unit.kind == UnitKind.HOME,
            ),
            "open_for_reactions": open_for_reactions,
            "react_url": reverse("seeker:react", args=[listing.number]),
            "floor_plan_is_image": bool(plan_kind and plan_kind.image),
        },
    )


def listing_photo(request, number, photo_id):
    listing = _public_listing(number)
    photo = next((p for p in listing.photo_list if p.pk == photo_id), None)
    if photo is None:
        raise Http404
    return file_response(photo.image, download_name=f"foto-{listing.number}-{photo.order + 1}")


def listing_floor_plan(request, number):
    listing = _public_listing(number)
    return file_response(listing.floor_plan, download_name=f"plattegrond-{listing.number}")


def accountability(request):
    page = Paginator(selectors.allocations_published(), 50).get_page(request.GET.get("pagina"))
    return render(request, "allocation/accountability.html", {"page": page})
