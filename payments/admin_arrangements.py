"""Payments admin: arrangements and their terms, read-only, scoped to the corporation.

Staff decide on a request on its case in the work queue (Zaken):
"Afhandelen (toekennen)" approves it and makes the terms, "Afwijzen" needs a
note for the tenant. This page is for looking arrangements up; nothing here
is typed in: the daily job records what is paid and missed.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from payments.models import Arrangement, Instalment
from portal.admin_scoping import CorporationScopedMixin, register_scope
from portal.templatetags.portal import euro

register_scope("payments.arrangement", "case__corporation")
register_scope("payments.instalment", "arrangement__case__corporation")


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InstalmentInline(ReadOnlyMixin, CorporationScopedMixin, admin.TabularInline):
    model = Instalment
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "due_date", "money", "paid", "paid_at", "missed_at")
    ordering = ("number",)

    @admin.display(description=_("bedrag"))
    def money(self, obj):
        return euro(obj.amount)

    @admin.display(description=_("betaald"))
    def paid(self, obj):
        return euro(obj.amount_paid)


class StateFilter(admin.SimpleListFilter):
    title = _("stand")
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return [
            ("aanvraag", _("Nog niet goedgekeurd")),
            ("loopt", _("Loopt")),
            ("gemist", _("Met gemiste termijn")),
            ("betaald", _("Helemaal betaald")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "aanvraag":
            return queryset.filter(approved_at__isnull=True)
        if value == "loopt":
            return queryset.filter(approved_at__isnull=False, instalments__paid_at__isnull=True).distinct()
        if value == "gemist":
            return queryset.filter(
                instalments__missed_at__isnull=False, instalments__paid_at__isnull=True
            ).distinct()
        if value == "betaald":
            return queryset.filter(approved_at__isnull=False).exclude(instalments__paid_at__isnull=True)
        return queryset


@admin.register(Arrangement)
class ArrangementAdmin(ReadOnlyMixin, CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("case_number", "tenant", "total", "periods", "monthly", "approved_at", "first_due_date")
    list_filter = (StateFilter, "case__corporation")
    list_select_related = ("case__tenant",)
    search_fields = ("case__number", "case__tenant__email", "case__tenant__surname")
    ordering = ("-case__created_at",)
    inlines = [InstalmentInline]
    fields = readonly_fields = (
        "case_link",
        "tenant",
        "had_arrangement_last_year",
        "reason",
        "total",
        "periods",
        "monthly",
        "first_due_date",
        "approved_at",
    )

    @admin.display(description=_("zaak"), ordering="case__number")
    def case_number(self, obj):
        return obj.case.number

    @admin.display(description=_("zaak"))
    def case_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:portal_case_change", args=[obj.case_id]), obj.case.number
        )

    @admin.display(description=_("huurder"))
    def tenant(self, obj):
        return obj.case.tenant.full_name or obj.case.tenant.email

    @admin.display(description=_("totaalbedrag"), ordering="total_amount")
    def total(self, obj):
        return euro(obj.total_amount)

    @admin.display(description=_("per maand"), ordering="per_month")
    def monthly(self, obj):
        return euro(obj.per_month)
