"""The staff side: people, corporations and the case work queue.

Every class is scoped to the staff member's corporation (see
portal.admin_scoping). Nothing here changes a case's state or sends an
invitation itself: the forms and actions call portal.services.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import rules, services
from portal.admin_scoping import CorporationScopedMixin, is_global
from portal.cases import OPEN_STATES, TRANSITIONS, Actor, CaseKind, CaseState, allowed_transitions, is_overdue
from portal.errors import DomainError
from portal.models import Case, CaseEvent, Corporation, DataChangeRequest, Message, User

# --- corporations -------------------------------------------------------------


@admin.register(Corporation)
class CorporationAdmin(admin.ModelAdmin):
    """Only superusers add or change corporations."""

    list_display = ("name", "phone", "email")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def has_module_permission(self, request):
        return is_global(request.user)

    def has_view_permission(self, request, obj=None):
        return is_global(request.user)

    def has_add_permission(self, request):
        return is_global(request.user)

    def has_change_permission(self, request, obj=None):
        return is_global(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_global(request.user)


# --- people -------------------------------------------------------------------


@admin.register(User)
class UserAdmin(CorporationScopedMixin, admin.ModelAdmin):
    """People by e-mail address. A new person gets no password: the
    invitation lets them choose one."""

    list_display = ("name", "email", "corporation", "is_staff", "is_active", "invited_at")
    list_filter = ("is_staff", "is_active", "corporation")
    list_select_related = ("corporation",)
    search_fields = ("email", "surname", "relation_number")
    ordering = ("surname", "email")
    actions = ["send_invitation"]
    filter_horizontal = ("groups", "user_permissions")

    personal = (
        "initials",
        "first_name",
        "surname_prefix",
        "surname",
        "birth_date",
        "civil_status",
        "relation_number",
        "corporation",
    )
    contact = ("email", "phone_private", "phone_work", "phone_mobile")

    @admin.display(description=_("naam"), ordering="surname")
    def name(self, obj):
        return obj.full_name or "–"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_global(request.user):
            # Staff look after tenants and seekers: a colleague's or a
            # superuser's account is not theirs to see, let alone change.
            queryset = queryset.filter(is_staff=False, is_superuser=False)
        return queryset

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (_("Contactgegevens"), {"fields": self.contact}),
            (_("Persoonsgegevens"), {"fields": self.personal}),
        ]
        if obj is not None:
            # The call queue (seed 004): the language we call this tenant in.
            fieldsets.append((_("Belrij"), {"fields": ("preferred_language",)}))
            fieldsets.append(
                (
                    _("Account"),
                    {"fields": ("is_active", "is_staff", "invited_at", "last_login", "date_joined")},
                )
            )
            if is_global(request.user):
                fieldsets.append((_("Rechten"), {"fields": ("is_superuser", "groups", "user_permissions")}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ["invited_at", "last_login", "date_joined"]
        if not is_global(request.user):
            readonly.append("is_staff")
        return readonly

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
            obj.save()
            return
        changed = set(form.changed_data)
        if changed & set(rules.CONTACT_FIELDS):
            # The e-mail address is the login name: a new one counts only once its
            # owner clicks the link the service sends to it (a typo must not hand the
            # account to a stranger's mailbox).
            try:
                result = services.contact_details_update(
                    user=User.objects.get(pk=obj.pk),
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in rules.CONTACT_FIELDS},
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                if result.email_change:
                    self.message_user(
                        request,
                        _(
                            "Er is een link gestuurd naar %(email)s. Het e-mailadres wijzigt pas als "
                            "de persoon op die link klikt."
                        )
                        % {"email": result.email_change.email},
                        messages.INFO,
                    )
        model_fields = {f.name for f in User._meta.concrete_fields}
        others = [name for name in form.changed_data if name in model_fields - set(rules.CONTACT_FIELDS)]
        if others:
            obj.save(update_fields=others)

    @admin.action(
        description=_("Uitnodiging versturen"),
        permissions=["change"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def send_invitation(self, request, queryset):
        sent, skipped = 0, 0
        for person in queryset:
            if services.tenant_invite(user=person, invited_by=request.user):
                sent += 1
            else:
                skipped += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d uitnodiging verstuurd.", "%(count)d uitnodigingen verstuurd.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d persoon heeft al een wachtwoord en kreeg geen uitnodiging.",
                    "%(count)d personen hebben al een wachtwoord en kregen geen uitnodiging.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


# --- the case work queue ------------------------------------------------------


def _overdue_q() -> Q:
    """The query form of portal.cases.is_overdue: still open and past its date."""
    return Q(state__in=OPEN_STATES, expected_on__lt=timezone.localdate())


class OverdueFilter(admin.SimpleListFilter):
    title = _("termijn")
    parameter_name = "termijn"

    def lookups(self, request, model_admin):
        return [("te_laat", _("Te laat")), ("op_tijd", _("Op tijd"))]

    def queryset(self, request, queryset):
        if self.value() == "te_laat":
            return queryset.filter(_overdue_q())
        if self.value() == "op_tijd":
            return queryset.exclude(_overdue_q())
        return queryset


class TransitionField(forms.ChoiceField):
    """Offers the steps open to staff now, but accepts any step's name, so a
    step that became impossible (a colleague was quicker) gets the engine's
    own Dutch refusal instead of "not a valid choice"."""

    def valid_value(self, value):
        return value in TRANSITIONS or super().valid_value(value)


class CaseForm(forms.ModelForm):
    transition = TransitionField(label=_("Volgende stap"), required=False)
    note = forms.CharField(
        label=_("Toelichting voor de huurder"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staat in het bericht dat de huurder over deze stap krijgt."),
    )
    message = forms.CharField(
        label=_("Bericht aan huurder"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Een los bericht in Mijn berichten; de zaak blijft in dezelfde stap."),
    )

    class Meta:
        model = Case
        fields = ["assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = [(t.name, t.label) for t in allowed_transitions(self.instance.state, Actor.STAFF)]
        self.fields["transition"].choices = [("", _("— geen stap, de status blijft —")), *steps]

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("transition")
        note = cleaned.get("note", "")
        if name:
            try:
                services.case_transition_check(case=self.instance, name=name, role=Actor.STAFF, note=note)
            except DomainError as exc:
                self.add_error(None, exc.message)
        elif note.strip():
            self.add_error(
                "note",
                _(
                    "Een toelichting hoort bij een stap. Kies de volgende stap, "
                    "of zet uw tekst bij Bericht aan huurder."
                ),
            )
        return cleaned


def _data_change_details(case: Case):
    detail = getattr(case, "data_change", None)
    if detail is None:
        return "–"
    rows = []
    for name, requested in detail.requested().items():
        field = DataChangeRequest._meta.get_field(name)
        previous = detail.previous.get(name, "")
        if field.choices:
            choices = dict(field.choices)
            previous, requested = choices.get(previous, previous), choices.get(requested, requested)
        rows.append((field.verbose_name.capitalize(), previous or "–", requested))
    table = format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("Gegeven"),
        _("Was"),
        _("Gevraagd"),
        format_html_join("", "<tr><td>{}</td><td>{}</td><td><strong>{}</strong></td></tr>", rows),
    )
    extra = []
    if detail.explanation:
        extra.append(format_html("<p>{}: {}</p>", _("Toelichting"), detail.explanation))
    if detail.applied_at:
        extra.append(format_html("<p>{} {}</p>", _("Verwerkt op"), date_format(detail.applied_at, "j F Y")))
    return format_html("{}{}", table, format_html_join("", "{}", ((e,) for e in extra)))


def _arrangement_details(case: Case):
    """A payment arrangement request: the tenant's answers, what the portal knows, the terms."""
    from datetime import timedelta

    from payments import arrangements
    from payments.models import Arrangement
    from portal.templatetags.portal import euro

    detail = Arrangement.objects.filter(case=case).prefetch_related("instalments").first()
    if detail is None:
        return "–"
    today = timezone.localdate()
    since = arrangements.rented_since(
        arrangements.contract_starts(case.tenant, case.corporation, today), today
    )
    earlier = list(
        Arrangement.objects.filter(
            case__tenant=case.tenant_id,
            approved_at__gte=case.created_at - timedelta(days=365),
            approved_at__lte=case.created_at,
        )
        .exclude(pk=detail.pk)
        .values_list("case__number", flat=True)
    )
    if since is None:
        tenancy = _("geen lopend huurcontract")
    else:
        tenancy = format_html(
            "{} ({})",
            date_format(since, "j F Y"),
            _("een jaar of langer") if arrangements.may_request([since], today) else _("nog geen jaar"),
        )
    rows = [
        (
            _("Afgelopen jaar al een regeling gehad (volgens de huurder)"),
            _("Ja") if detail.had_arrangement_last_year else _("Nee"),
        ),
        (
            _("Goedgekeurde regelingen in het jaar ervoor (volgens het portaal)"),
            ", ".join(earlier) or _("geen"),
        ),
        (_("Reden"), detail.reason),
        (_("Totaalbedrag"), euro(detail.total_amount)),
        (_("Openstaand saldo nu"), euro(arrangements.balance_for(case.tenant, case.corporation))),
        (_("Aantal maanden"), detail.periods),
        (_("Per maand"), euro(detail.per_month)),
        (_("Huurt sinds"), tenancy),
    ]
    facts = format_html(
        "<table><tbody>{}</tbody></table>",
        format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
    )
    if detail.approved_at is None:
        first = arrangements.first_due_date(today)
        plan = format_html(
            "<p>{}</p>",
            _(
                "Bij “Afhandelen (toekennen)” maakt het portaal %(count)s termijnen van %(amount)s, "
                "de eerste op %(date)s. Bij “Afwijzen” schrijft u de huurder waarom."
            )
            % {
                "count": detail.periods,
                "amount": euro(detail.per_month),
                "date": date_format(first, "j F Y"),
            },
        )
        return format_html("{}{}", facts, plan)

    def state(term):
        if term.paid_at:
            return _("betaald, te laat") if term.missed_at else _("betaald")
        return _("niet op tijd betaald") if term.missed_at else _("nog te betalen")

    terms = format_html(
        "<p>{} {}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("Goedgekeurd op"),
        date_format(timezone.localtime(detail.approved_at), "j F Y"),
        _("Termijn"),
        _("Uiterlijk op"),
        _("Bedrag"),
        _("Betaald"),
        _("Stand"),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (t.number, date_format(t.due_date, "j F Y"), euro(t.amount), euro(t.amount_paid), state(t))
                for t in detail.instalments.all()
            ),
        ),
    )
    return format_html("{}{}", facts, terms)


#: Per case kind: how the change page shows the kind's own detail row.
#: Apps that add a kind add their function here.
CASE_DETAILS = {
    CaseKind.DATA_CHANGE: _data_change_details,
    CaseKind.PAYMENT_ARRANGEMENT: _arrangement_details,
}


class ReadOnlyInline(CorporationScopedMixin, admin.TabularInline):
    """History and messages are written by the services, never in a form."""

    template = "admin/portal/readonly_tabular.html"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("wanneer"))
    def when(self, obj):
        return date_format(timezone.localtime(obj.created_at), "j F Y H:i")


def _state_label(value: str) -> str:
    return CaseState(value).label if value else ""


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    verbose_name_plural = _("Geschiedenis")
    fields = readonly_fields = ("when", "who", "description", "from_label", "to_label", "text")
    ordering = ("created_at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("door"))
    def who(self, obj):
        return obj.actor or "–"

    @admin.display(description=_("wat"))
    def description(self, obj):
        return obj.get_description()

    @admin.display(description=_("van status"))
    def from_label(self, obj):
        return _state_label(obj.from_state)

    @admin.display(description=_("naar status"))
    def to_label(self, obj):
        return _state_label(obj.to_state)

    @admin.display(description=_("toelichting"))
    def text(self, obj):
        return obj.note


class MessageInline(ReadOnlyInline):
    model = Message
    verbose_name_plural = _("Berichten")
    fields = readonly_fields = ("when", "direction", "author", "subject", "body", "read_at")
    ordering = ("created_at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=_("richting"))
    def direction(self, obj):
        return _("Van huurder") if obj.to_staff else _("Aan huurder")


@admin.register(Case)
class CaseAdmin(CorporationScopedMixin, admin.ModelAdmin):
    """The work queue: oldest promise first, overdue cases marked."""

    form = CaseForm
    list_display = ("number", "kind", "tenant", "state", "step_label", "expected", "assigned_to")
    list_filter = ("kind", "state", OverdueFilter, "corporation")
    search_fields = ("number", "tenant__email", "tenant__surname")
    ordering = ("expected_on", "id")
    actions = ["start_cases", "complete_cases"]
    inlines = [CaseEventInline, MessageInline]
    readonly_fields = (
        "number",
        "corporation",
        "kind",
        "tenant_details",
        "state",
        "step_label",
        "expected",
        "created_at",
        "closed_at",
        "request_details",
        "feedback_details",
    )

    def get_fieldsets(self, request, obj=None):
        details = ["number", "kind", "tenant_details", "state", "step_label", "expected", "created_at"]
        if obj is not None and obj.closed_at:
            details.append("closed_at")
        if is_global(request.user):
            details.insert(1, "corporation")
        fieldsets = [
            (_("Zaak"), {"fields": details}),
            (_("Aanvraag"), {"fields": ["request_details", "feedback_details"]}),
        ]
        if obj is not None and allowed_transitions(obj.state, Actor.STAFF):
            fieldsets.append((_("Volgende stap"), {"fields": ["transition", "note"]}))
        fieldsets.append((_("Bericht aan huurder"), {"fields": ["message"]}))
        fieldsets.append((_("Behandelaar"), {"fields": ["assigned_to"]}))
        return fieldsets

    def get_queryset(self, request):
        # One query for the whole queue page, and for the change page's details.
        return (
            super().get_queryset(request).select_related("tenant", "assigned_to", "feedback", "data_change")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = self._scoped_choices(db_field, request).filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "assigned_to":
            # Pick a colleague; people are added and changed on their own page.
            field.widget.can_add_related = field.widget.can_change_related = False
        return field

    # Cases are opened by tenants (or by services), never in the admin.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns and read-only parts ---

    @admin.display(description=_("stap"), ordering="step")
    def step_label(self, obj):
        steps = obj.spec.steps
        label = steps[obj.step - 1] if 0 < obj.step <= len(steps) else ""
        return f"{obj.step}. {label}"

    @admin.display(description=_("verwacht klaar op"), ordering="expected_on")
    def expected(self, obj):
        text = date_format(obj.expected_on, "SHORT_DATE_FORMAT")
        if is_overdue(obj.state, obj.expected_on, timezone.localdate()):
            return format_html('{} <strong class="overdue">{}</strong>', text, _("te laat"))
        return text

    @admin.display(description=_("huurder"))
    def tenant_details(self, obj):
        tenant = obj.tenant
        return format_html(
            '<a href="{}">{}</a> · {} {}',
            reverse("admin:portal_user_change", args=[tenant.pk]),
            tenant.full_name or tenant.email,
            tenant.email,
            f"· {tenant.relation_number}" if tenant.relation_number else "",
        )

    @admin.display(description=_("gevraagd"))
    def request_details(self, obj):
        show = CASE_DETAILS.get(obj.kind)
        return show(obj) if show else "–"

    @admin.display(description=_("mening van de huurder"))
    def feedback_details(self, obj):
        feedback = getattr(obj, "feedback", None)
        if feedback is None:
            return "–"
        return format_html("{}/5 {}", feedback.rating, feedback.comment)

    # --- saving goes through the case engine ---

    def save_model(self, request, obj, form, change):
        # Save only what the form changed: a full save would write back a
        # state that a colleague may have changed in the meantime.
        own_fields = [name for name in form.changed_data if name in CaseForm._meta.fields]
        if own_fields:
            obj.save(update_fields=[*own_fields, "updated_at"])
        data = form.cleaned_data
        try:
            if data.get("transition"):
                services.case_transition(
                    case=obj,
                    name=data["transition"],
                    actor=request.user,
                    role=Actor.STAFF,
                    note=data.get("note", ""),
                )
                self.message_user(
                    request,
                    _("Zaak %(number)s heeft nu de status “%(state)s”. De huurder heeft bericht gekregen.")
                    % {"number": obj.number, "state": obj.get_state_display()},
                    messages.SUCCESS,
                )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        if data.get("message"):
            services.case_message_from_staff(case=obj, staff=request.user, body=data["message"])

    # --- bulk actions ---

    @admin.action(description=_("In behandeling nemen"), permissions=["change"])
    def start_cases(self, request, queryset):
        self._transition_all(request, queryset, "start")

    @admin.action(description=_("Afhandelen"), permissions=["change"])
    def complete_cases(self, request, queryset):
        self._transition_all(request, queryset, "complete")

    def _transition_all(self, request, queryset, name):
        done, refused = 0, {}
        for case in queryset.order_by("expected_on", "id"):
            try:
                services.case_transition(case=case, name=name, actor=request.user, role=Actor.STAFF)
            except DomainError as exc:
                refused.setdefault(str(exc.message), []).append(case.number)
            else:
                done += 1
        if done:
            target = TRANSITIONS[name].target.label
            self.message_user(
                request,
                ngettext(
                    "%(count)d zaak heeft nu de status “%(state)s”.",
                    "%(count)d zaken hebben nu de status “%(state)s”.",
                    done,
                )
                % {"count": done, "state": target},
                messages.SUCCESS,
            )
        for reason, numbers in refused.items():
            self.message_user(
                request,
                _("Niet gelukt bij %(numbers)s: %(reason)s")
                % {"numbers": ", ".join(numbers), "reason": reason},
                messages.ERROR,
            )


from portal import admin_outbox  # noqa: E402, F401 (registers what waits in the outbox)
