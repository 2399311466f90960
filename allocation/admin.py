"""Regions, listings, registrations, reactions, offers and blocks in the admin, scoped to the corporation.

Who sees what (registered in `portal.admin_scoping`):

- a region: staff of the corporations that offer their homes in it;
- a listing and its photos: staff of the corporation that lets the home;
- a registration, with its household, addresses, documents and blocks:
  staff of every corporation in the registration's region, since they all
  allocate from the same pool of seekers (one registration per region);
- a reaction and its offers: staff of the corporation whose listing it is.
  A seeker's reactions to another corporation's homes are not theirs to see.

Staff look registrations, reactions, offers and blocks up here; they change
them through the allocation pages (`/medewerker/…`), which call the
services. The two listing actions are plain state changes for now.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from allocation.models import (
    AddressHistory,
    Block,
    Document,
    HouseholdMember,
    Listing,
    ListingPhoto,
    ListingState,
    Offer,
    Reaction,
    Region,
    Registration,
)
from portal.admin_scoping import CorporationScopedMixin, register_scope
from portal.templatetags.portal import euro

_REGION_OF_REGISTRATION = "registration__region__corporations"

register_scope("allocation.region", "corporations")
register_scope("allocation.listing", "corporation")
register_scope("allocation.listingphoto", "listing__corporation")
register_scope("allocation.registration", "region__corporations")
register_scope("allocation.householdmember", _REGION_OF_REGISTRATION)
register_scope("allocation.addresshistory", _REGION_OF_REGISTRATION)
register_scope("allocation.document", _REGION_OF_REGISTRATION)
register_scope("allocation.block", _REGION_OF_REGISTRATION)
register_scope("allocation.reaction", "listing__corporation")
register_scope("allocation.offer", "reaction__listing__corporation")


class ReadOnlyMixin:
    """Lists to look things up in; the allocation pages and services do the writing."""

    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("name", "limit_kind", "max_reactions", "max_provisional_offers", "default_ordering")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("corporations",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "corporations")}),
        (
            _("Reageren"),
            {
                "fields": (
                    "limit_kind",
                    ("max_reactions", "max_provisional_offers"),
                    ("unregistered_rent_threshold", "unregistered_fee"),
                    "default_ordering",
                    "refusal_policy",
                )
            },
        ),
        (
            _("Inschrijving"),
            {"fields": (("registration_fee", "renewal_fee", "split_fee"), "max_registration_years")},
        ),
        (_("Spelregels voor woningzoekenden"), {"fields": ("rules_text",)}),
    )


class ListingPhotoInline(CorporationScopedMixin, admin.TabularInline):
    model = ListingPhoto
    extra = 1
    fields = ("image", "alt", "order")


@admin.register(Listing)
class ListingAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("number", "address", "region", "state", "rent", "reaction_deadline", "corporation")
    list_filter = ("state", "region", "category", "temporary", "corporation")
    list_select_related = ("unit", "region", "corporation")
    search_fields = ("number", "title", "unit__street", "unit__city", "unit__postcode")
    autocomplete_fields = ("unit",)
    date_hierarchy = "reaction_deadline"
    readonly_fields = ("published_at", "allocated_at")
    inlines = [ListingPhotoInline]
    actions = ["publish", "close_reactions"]
    fieldsets = (
        (None, {"fields": ("corporation", "region", "unit", "number", "title", "description")}),
        (
            _("Woning"),
            {"fields": (("home_type", "rooms", "floor_area"), "energy_label", "floor_plan")},
        ),
        (_("Huur"), {"fields": (("base_rent", "service_charges"), "temporary")}),
        (_("Voor wie"), {"fields": ("category", "min_age", "ordering_policy")}),
        (
            _("Reageren"),
            {"fields": ("state", "reaction_deadline", "published_at", "allocated_at")},
        ),
    )

    @admin.display(description=_("adres"), ordering="unit__street")
    def address(self, listing):
        return str(listing.unit)

    @admin.display(description=_("huur"), ordering="base_rent")
    def rent(self, listing):
        return euro(listing.total_rent)

    def _move(self, request, queryset, source, target, **fields):
        # Only rows still in the source state change: a listing that was
        # published meanwhile is not published twice.
        changed = queryset.filter(state=source).update(state=target, **fields)
        skipped = queryset.count() - changed
        return changed, skipped

    @admin.action(description=_("Publiceren"), permissions=["change"])
    def publish(self, request, queryset):
        changed, skipped = self._move(
            request, queryset, ListingState.DRAFT, ListingState.PUBLISHED, published_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(n)d advertentie gepubliceerd.", "%(n)d advertenties gepubliceerd.", changed)
            % {"n": changed},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d advertentie is overgeslagen: alleen een concept kan gepubliceerd worden.",
                    "%(n)d advertenties zijn overgeslagen: alleen een concept kan gepubliceerd worden.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Reactietermijn sluiten"), permissions=["change"])
    def close_reactions(self, request, queryset):
        changed, skipped = self._move(request, queryset, ListingState.PUBLISHED, ListingState.CLOSED)
        self.message_user(
            request,
            ngettext(
                "Bij %(n)d advertentie is de reactietermijn gesloten.",
                "Bij %(n)d advertenties is de reactietermijn gesloten.",
                changed,
            )
            % {"n": changed},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d advertentie is overgeslagen: die was niet gepubliceerd.",
                    "%(n)d advertenties zijn overgeslagen: die waren niet gepubliceerd.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )


class HouseholdInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = HouseholdMember
    extra = 0


class AddressInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = AddressHistory
    extra = 0


class DocumentInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = Document
    extra = 0
    fields = ("kind", "original_name", "uploaded_at")
    readonly_fields = ("kind", "original_name", "uploaded_at")


class BlockInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = Block
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(CorporationScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "seeker", "region", "state", "registered_on", "urgent", "watch_list")
    list_filter = ("state", "region", "urgent", "watch_list")
    list_select_related = ("seeker", "region")
    search_fields = ("number", "seeker__email", "seeker__surname")
    inlines = [HouseholdInline, AddressInline, DocumentInline, BlockInline]


class OfferInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = Offer
    extra = 0


@admin.register(Reaction)
class ReactionAdmin(CorporationScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("listing", "seeker", "state", "position", "deciding_value", "reacted_at")
    list_filter = ("state",)
    list_select_related = ("listing", "seeker")
    search_fields = ("listing__number", "seeker__email", "seeker__surname")
    inlines = [OfferInline]


@admin.register(Offer)
class OfferAdmin(CorporationScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("reaction", "kind", "sent_at", "deadline", "accepted", "expired_at")
    list_filter = ("kind", "accepted")
    list_select_related = ("reaction__listing", "reaction__seeker")


@admin.register(Block)
class BlockAdmin(CorporationScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("registration", "starts_on", "ends_on", "reason", "closed")
    list_filter = ("closed",)
    list_select_related = ("registration",)
