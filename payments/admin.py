"""Open items for staff, scoped to their corporation."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from payments.models import OpenItem
from portal.admin_scoping import CorporationScopedMixin
from portal.templatetags.portal import euro


class PaidFilter(admin.SimpleListFilter):
    title = _("betaald")
    parameter_name = "betaald"

    def lookups(self, request, model_admin):
        return [("nee", _("Openstaand")), ("ja", _("Betaald"))]

    def queryset(self, request, queryset):
        if self.value() == "nee":
            return queryset.filter(paid_at__isnull=True)
        if self.value() == "ja":
            return queryset.filter(paid_at__isnull=False)
        return queryset


@admin.register(OpenItem)
class OpenItemAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("reference", "tenant", "description", "money", "due_date", "paid")
    list_filter = (PaidFilter, "due_date", "corporation")
    list_select_related = ("tenant",)
    search_fields = ("reference", "description", "tenant__email", "tenant__surname")
    autocomplete_fields = ("tenant", "contract")
    ordering = ("due_date", "id")
    fields = (
        "corporation",
        "tenant",
        "contract",
        "kind",
        "period",
        "reference",
        "description",
        "amount",
        "due_date",
        "amount_paid",
        "paid_at",
    )
    # Only payments change what is paid (payments.ledger), never a hand in the admin.
    readonly_fields = ("amount_paid", "paid_at")

    @admin.display(description=_("bedrag"), ordering="amount")
    def money(self, obj):
        return euro(obj.amount)

    @admin.display(description=_("betaald"), boolean=True, ordering="paid_at")
    def paid(self, obj):
        return obj.paid_at is not None


# Each area registers its own admin classes.
from payments import admin_arrangements, admin_arrears  # noqa: E402, F401
