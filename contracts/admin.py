"""Complexes, units, contracts and valuations for staff, scoped to their corporation."""

import contextlib

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contracts.models import (
    CommonArea,
    Complex,
    Contract,
    ServiceCharge,
    ServiceContract,
    Space,
    Unit,
    Valuation,
)
from portal.admin_scoping import CorporationScopedMixin
from portal.errors import DomainError
from portal.templatetags.portal import euro
from portal.validators import normalize_postcode


class CommonAreaInline(CorporationScopedMixin, admin.TabularInline):
    model = CommonArea
    extra = 0


@admin.register(Complex)
class ComplexAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("code", "name", "city")
    list_filter = ("city", "corporation")
    search_fields = ("code", "name", "city")
    fields = ("corporation", "code", "name", "city")
    inlines = [CommonAreaInline]


class SpaceInline(CorporationScopedMixin, admin.TabularInline):
    model = Space
    extra = 0


@admin.register(Unit)
class UnitAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("address", "postcode", "city", "kind", "complex", "unit_number")
    list_filter = ("kind", ("complex", admin.RelatedOnlyFieldListFilter), "corporation")
    list_select_related = ("complex",)
    search_fields = ("postcode", "street", "unit_number")
    actions = ["compute_valuation"]
    inlines = [SpaceInline]
    readonly_fields = ("valuation_summary",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "corporation",
                    "kind",
                    "unit_number",
                    "complex",
                    ("street", "house_number", "house_letter", "house_number_addition"),
                    ("postcode", "city"),
                )
            },
        ),
        (
            _("Woning"),
            {
                "fields": (
                    "home_type",
                    "rooms",
                    "build_year",
                    ("energy_label", "energy_label_registered_on"),
                    ("woz_value", "woz_reference_date"),
                    "valuation_summary",
                )
            },
        ),
    )

    @admin.display(description=_("adres"), ordering="street")
    def address(self, obj):
        return obj.address_line

    @admin.display(description=_("woningwaardering"))
    def valuation_summary(self, obj):
        valuation = getattr(obj, "valuation", None) if obj.pk else None
        if valuation is None:
            return _("Nog niet berekend. Kies bovenaan de actie “Woningwaardering berekenen”.")
        return format_html(
            '<a href="{}">{} {}</a> · {} {}',
            reverse("admin:contracts_valuation_change", args=[valuation.pk]),
            valuation.points,
            _("punten"),
            _("maximale huurprijs"),
            euro(valuation.max_rent),
        )

    def get_search_results(self, request, queryset, search_term):
        # "7601ab" finds "7601 AB": postcodes are stored in their normal form.
        with contextlib.suppress(ValidationError):
            search_term = normalize_postcode(search_term.strip())
        return super().get_search_results(request, queryset, search_term)

    @admin.action(
        description=_("Woningwaardering berekenen"),
        permissions=["change"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def compute_valuation(self, request, queryset):
        from contracts.services import unit_valuation_compute

        done = 0
        for unit in queryset:
            try:
                unit_valuation_compute(unit=unit)
            except DomainError as exc:
                self.message_user(request, f"{unit.address_line}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "De woningwaardering van %(count)d eenheid is berekend.",
                    "De woningwaardering van %(count)d eenheden is berekend.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )


class ServiceChargeInline(CorporationScopedMixin, admin.TabularInline):
    model = ServiceCharge
    extra = 0


class ServiceContractInline(CorporationScopedMixin, admin.TabularInline):
    model = ServiceContract
    extra = 0


@admin.register(Contract)
class ContractAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("number", "unit", "tenant_names", "start_date", "end_date", "rent")
    list_filter = ("unit__kind", "corporation")
    list_select_related = ("unit",)
    search_fields = ("number", "unit__street", "unit__postcode", "tenants__email", "tenants__surname")
    autocomplete_fields = ("unit", "tenants")
    fields = ("corporation", "number", "unit", "tenants", ("start_date", "end_date"), "base_rent")
    inlines = [ServiceChargeInline, ServiceContractInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tenants")

    @admin.display(description=_("huurders"))
    def tenant_names(self, obj):
        return ", ".join(str(tenant) for tenant in obj.tenants.all())

    @admin.display(description=_("kale huur"), ordering="base_rent")
    def rent(self, obj):
        return euro(obj.base_rent)


@admin.register(Valuation)
class ValuationAdmin(CorporationScopedMixin, admin.ModelAdmin):
    """Read-only: a valuation is computed from the unit, never typed in."""

    list_display = ("unit", "points", "max_rent", "computed_at")
    list_select_related = ("unit",)
    search_fields = ("unit__postcode", "unit__street", "unit__unit_number")
    fields = readonly_fields = ("unit", "points", "max_rent", "computed_at", "rubric_table")

    @admin.display(description=_("rubrieken"))
    def rubric_table(self, obj):
        rows = ((item.get("name", ""), item.get("points", "")) for item in obj.rubrics or [])
        return format_html("<table>{}</table>", format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
