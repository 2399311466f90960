"""Open items and payments for staff, scoped to their corporation.

Staff add and correct invoices here; payments are read-only: only the
provider's status, booked by payments.ledger, changes them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from payments.models import OpenItem, Payment, PaymentLine
from portal.admin_scoping import CorporationScopedMixin, register_scope
from portal.templatetags.portal import euro

register_scope("payments.payment", "corporation")
register_scope("payments.paymentline", "payment__corporation")


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


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentLineInline(ReadOnly, CorporationScopedMixin, admin.TabularInline):
    model = PaymentLine
    extra = 0
    can_delete = False
    fields = readonly_fields = ("item", "money", "booked")

    @admin.display(description=_("bedrag"))
    def money(self, obj):
        return euro(obj.amount)

    @admin.display(description=_("geboekt"))
    def booked(self, obj):
        return euro(obj.applied)


@admin.register(Payment)
class PaymentAdmin(ReadOnly, CorporationScopedMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "provider_id",
        "tenant",
        "money",
        "status",
        "paid_at",
        "applied_at",
        "credit",
    )
    list_filter = ("status", "provider", "created_at", "corporation")
    list_select_related = ("tenant",)
    search_fields = ("provider_id", "description", "tenant__email", "tenant__surname")
    ordering = ("-created_at", "-id")
    date_hierarchy = "created_at"
    inlines = [PaymentLineInline]
    fields = readonly_fields = (
        "corporation",
        "tenant",
        "description",
        "money",
        "method",
        "provider",
        "provider_id",
        "status",
        "created_at",
        "paid_at",
        "applied_at",
        "credit",
    )

    @admin.display(description=_("bedrag"), ordering="amount")
    def money(self, obj):
        return euro(obj.amount)

    @admin.display(description=_("niet toegewezen"), ordering="unapplied")
    def credit(self, obj):
        return euro(obj.unapplied) if obj.unapplied else "–"


# Each area registers its own admin classes.
from payments import admin_arrangements, admin_arrears  # noqa: E402, F401
