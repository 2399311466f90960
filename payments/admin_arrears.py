"""Payments admin: arrears files, escalation steps and calls, to look things up.

Read-only: calls are claimed and recorded, and escalation steps recorded, on
the staff pages under /medewerker/belrij/, which call payments.arrears (so
the rules for an eviction and a second chance always hold). Staff see only
their own corporation's files.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from payments.models import ArrearsFile, CallTask, EscalationStep
from portal.admin_scoping import CorporationScopedMixin, register_scope
from portal.templatetags.portal import euro

register_scope("payments.arrearsfile", "case__corporation")
register_scope("payments.escalationstep", "arrears__case__corporation")
register_scope("payments.calltask", "corporation")


class ReadOnlyMixin:
    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EscalationStepInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = EscalationStep
    fields = ("on", "kind", "note", "recorded_by")
    readonly_fields = fields
    extra = 0


class CallInline(CorporationScopedMixin, ReadOnlyMixin, admin.TabularInline):
    model = CallTask
    fields = ("queue_date", "state", "outcome", "follow_up", "promised_on", "claimed_by", "finished_at")
    readonly_fields = fields
    extra = 0
    ordering = ("-queue_date", "-id")


@admin.register(ArrearsFile)
class ArrearsFileAdmin(CorporationScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("case", "tenant", "state", "opened", "children_in_household")
    list_select_related = ("case__tenant",)
    list_filter = ("case__state",)
    search_fields = ("case__number", "case__tenant__email", "case__tenant__surname")
    ordering = ("-case__created_at",)
    fields = (
        "case",
        "staff_page",
        "opened_amount",
        "children_in_household",
        "household_notes",
        "shelter_contact",
        "second_chance_conditions",
    )
    readonly_fields = fields
    inlines = [EscalationStepInline, CallInline]

    @admin.display(description=_("huurder"), ordering="case__tenant__surname")
    def tenant(self, obj):
        return obj.case.tenant

    @admin.display(description=_("status"), ordering="case__state")
    def state(self, obj):
        return obj.case.get_state_display()

    @admin.display(description=_("achterstand bij opening"), ordering="opened_amount")
    def opened(self, obj):
        return euro(obj.opened_amount)

    @admin.display(description=_("belrij"))
    def staff_page(self, obj):
        call = obj.calls.order_by("-queue_date", "-id").first()
        if call is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("callqueue:call", args=[call.pk]),
            _("Open het gesprek in de belrij"),
        )


@admin.register(CallTask)
class CallTaskAdmin(CorporationScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("tenant", "queue_date", "state", "outcome", "follow_up", "claimed_by")
    list_filter = ("state", "outcome", "follow_up", "queue_date", "corporation")
    list_select_related = ("tenant", "claimed_by")
    search_fields = ("tenant__email", "tenant__surname", "arrears__case__number")
    ordering = ("-queue_date", "-id")
    fields = (
        "tenant",
        "arrears",
        "queue_date",
        "state",
        "claimed_by",
        "claimed_at",
        "outcome",
        "reason",
        "follow_up",
        "promised_on",
        "note",
        "finished_at",
    )
    readonly_fields = fields
