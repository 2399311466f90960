"""Repair catalogues, trades, blocks and requests for staff, scoped to their corporation.

Staff keep their corporation's catalogue here: the trades, the kinds with
their questions and the places per block. Requests are read-only apart from
the planning note: planning fixes, moves and closes them on the staff
planning pages, which call repairs.services. `Slot.booked` is never typed
in: only the services change it.
"""

from datetime import timedelta
from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_scoping import CorporationScopedMixin, register_scope
from repairs import rules
from repairs.models import RepairKind, RepairPhoto, RepairProblem, RepairRequest, Slot, Trade

register_scope("repairs.trade", "corporation")
register_scope("repairs.repairkind", "corporation")
register_scope("repairs.repairproblem", "kind__corporation")
register_scope("repairs.slot", "trade__corporation")
register_scope("repairs.repairrequest", "corporation")
register_scope("repairs.repairphoto", "request__corporation")

#: The staff planning page of one repair (built elsewhere; a plain path, it may not exist yet).
PLANNING_URL = "/medewerker/reparaties/{number}/"

LOCATION_CHOICES = [
    (_("In de woning"), list(rules.ROOMS.items())),
    (_("Gemeenschappelijke ruimten"), list(rules.COMMON_AREAS.items())),
]


# --- trades ---------------------------------------------------------------------


@admin.register(Trade)
class TradeAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("name", "block_capacity")
    list_filter = ("corporation",)
    search_fields = ("name",)
    fields = ("corporation", "name", "block_capacity")


# --- kinds and their questions ---------------------------------------------------


class RepairKindForm(forms.ModelForm):
    locations = forms.MultipleChoiceField(
        label=_("ruimten"),
        choices=LOCATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Waar het probleem kan zijn. Een gemeenschappelijke ruimte wordt alleen aangeboden "
            "als het complex van de huurder die ruimte heeft."
        ),
    )

    class Meta:
        model = RepairKind
        fields = (
            "corporation",
            "name",
            "slug",
            "pictogram",
            "featured",
            "order",
            "active",
            "trade",
            "duration_minutes",
            "locations",
            "keywords",
            "urgent",
            "urgent_text",
        )

    def clean_locations(self):
        chosen = set(self.cleaned_data["locations"])
        # Stored in the order of rules.LOCATIONS: rooms first, then common areas.
        return [code for code in rules.LOCATIONS if code in chosen]


class RepairProblemInline(CorporationScopedMixin, admin.TabularInline):
    model = RepairProblem
    extra = 0
    fields = ("order", "label", "follow_up", "follow_up_choices", "follow_up_required")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 30})}}


@admin.register(RepairKind)
class RepairKindAdmin(CorporationScopedMixin, admin.ModelAdmin):
    form = RepairKindForm
    list_display = ("name", "pictogram", "featured", "urgent", "trade", "duration_minutes", "order", "active")
    list_filter = ("featured", "urgent", "active", ("trade", admin.RelatedOnlyFieldListFilter), "corporation")
    list_select_related = ("trade",)
    search_fields = ("name", "keywords", "problems__label")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RepairProblemInline]
    fieldsets = (
        (None, {"fields": ("corporation", "name", "slug", "pictogram", ("featured", "order"), "active")}),
        (_("Inplannen"), {"fields": ("trade", "duration_minutes", "locations")}),
        (_("Zoeken"), {"fields": ("keywords",)}),
        (
            _("Spoed"),
            {
                "fields": ("urgent", "urgent_text"),
                "description": _(
                    "Een spoedreparatie wordt niet online ingepland: de huurder ziet deze tekst "
                    "en het spoednummer van de corporatie."
                ),
            },
        ),
    )


# --- blocks -------------------------------------------------------------------------


class SlotForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = ("trade", "date", "start_hour", "capacity")

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            booked = Slot.objects.filter(pk=self.instance.pk).values_list("booked", flat=True).first() or 0
            if capacity < booked:
                raise forms.ValidationError(
                    ngettext(
                        "Er is al %(booked)d plaats geboekt. Vul minstens %(booked)d in.",
                        "Er zijn al %(booked)d plaatsen geboekt. Vul minstens %(booked)d in.",
                        booked,
                    )
                    % {"booked": booked}
                )
        return capacity


class AppointmentDayFilter(admin.SimpleListFilter):
    title = _("dag")
    parameter_name = "dag"

    def lookups(self, request, model_admin):
        return [
            ("vandaag", _("Vandaag")),
            ("morgen", _("Morgen")),
            ("komend", _("Vanaf vandaag")),
            ("voorbij", _("Voorbij")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        field = "date" if queryset.model is Slot else "slot__date"
        value = self.value()
        if value == "vandaag":
            return queryset.filter(**{field: today})
        if value == "morgen":
            return queryset.filter(**{field: today + timedelta(days=1)})
        if value == "komend":
            return queryset.filter(**{f"{field}__gte": today})
        if value == "voorbij":
            return queryset.filter(**{f"{field}__lt": today})
        return queryset


@admin.register(Slot)
class SlotAdmin(CorporationScopedMixin, admin.ModelAdmin):
    """Places per block for one day. Staff may change `capacity`, never `booked`."""

    form = SlotForm
    list_display = ("date", "time", "trade", "capacity", "booked", "free")
    list_editable = ("capacity",)
    list_filter = (AppointmentDayFilter, ("trade", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("trade",)
    date_hierarchy = "date"
    ordering = ("date", "start_hour", "trade__name")

    def get_fields(self, request, obj=None):
        return ("trade", "date", "start_hour", "capacity", "booked")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("booked",)
        return ("trade", "date", "start_hour", "booked")

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", SlotForm)
        return super().get_changelist_form(request, **kwargs)

    @admin.display(description=_("tijdvak"), ordering="start_hour")
    def time(self, obj):
        return obj.label

    @admin.display(description=_("vrij"))
    def free(self, obj):
        return obj.free

    def save_model(self, request, obj, form, change):
        if not change:
            obj.booked = 0
            obj.save()
            return
        # Only the capacity, and only while it still holds every booking: a
        # tenant may have taken a place since the form was shown, and a plain
        # save would write the old `booked` back.
        updated = Slot.objects.filter(pk=obj.pk, booked__lte=obj.capacity).update(capacity=obj.capacity)
        if not updated:
            self.message_user(
                request,
                _("%(slot)s: er is net een plaats geboekt. De plaatsen zijn niet gewijzigd.") % {"slot": obj},
                messages.ERROR,
            )


# --- requests ---------------------------------------------------------------------


class RepairPhotoInline(CorporationScopedMixin, admin.TabularInline):
    model = RepairPhoto
    extra = 0
    fields = readonly_fields = ("original_name", "width", "height", "uploaded_at")
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RepairRequest)
class RepairRequestAdmin(CorporationScopedMixin, admin.ModelAdmin):
    """Read-only but for the planning note; planning itself is on /medewerker/planning/."""

    list_display = ("number", "appointment", "kind", "trade", "address", "contact_name", "state", "planning")
    list_filter = (
        "state",
        AppointmentDayFilter,
        ("kind", admin.RelatedOnlyFieldListFilter),
        ("slot__trade", admin.RelatedOnlyFieldListFilter),
        "corporation",
    )
    list_select_related = ("kind", "slot__trade", "unit", "complex", "common_area")
    search_fields = (
        "number",
        "contact_name",
        "contact_phone",
        "contact_email",
        "unit__postcode",
        "unit__street",
    )
    date_hierarchy = "slot__date"
    inlines = [RepairPhotoInline]
    fieldsets = (
        (None, {"fields": ("number", "corporation", "state", "planning", "staff_note")}),
        (_("Afspraak"), {"fields": ("slot", "created_at", "fixed_at", "reminder_sent_at", "closed_at")}),
        (
            _("Melding"),
            {
                "fields": (
                    "unit",
                    "complex",
                    "common_area",
                    "kind",
                    "location_label",
                    "problem",
                    "follow_up_answer",
                    "description",
                )
            },
        ),
        (
            _("Melder"),
            {"fields": ("reporter", "contact_name", "contact_phone", "contact_email", "no_show_item")},
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        shown = [name for _title, options in self.fieldsets for name in options["fields"]]
        return [name for name in shown if name != "staff_note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A request is cancelled or closed, never deleted: its block keeps count of it.
        return False

    def save_model(self, request, obj, form, change):
        # Only the note: the services may have moved or closed the repair meanwhile.
        obj.save(update_fields=["staff_note"])

    @admin.display(description=_("afspraak"), ordering="slot__date")
    def appointment(self, obj):
        return f"{obj.slot.date:%d-%m-%Y} {obj.slot.label}"

    @admin.display(description=_("vakgebied"), ordering="slot__trade__name")
    def trade(self, obj):
        return obj.slot.trade

    @admin.display(description=_("adres"))
    def address(self, obj):
        return obj.address

    @admin.display(description=_("ruimte"))
    def location_label(self, obj):
        return obj.location_label

    @admin.display(description=_("planning"))
    def planning(self, obj):
        return format_html(
            '<a href="{}">{}</a>', PLANNING_URL.format(number=quote(obj.number, safe="")), _("Plannen")
        )
