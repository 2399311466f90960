"""Staff pages of the arrears approach (P4–P6): the call queue, one call, the team overview.

Only staff see these pages, and only their own corporation's calls (a
superuser sees all): for a tenant or another corporation's staff member a
call simply does not exist (404). Each view parses input, calls one function
of `payments.arrears` and renders.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from payments import arrears
from payments.forms_staff import EscalationForm, LanguagesForm, OutcomeForm
from payments.models import CallState
from portal import once
from portal.errors import DomainError
from portal.models import Language

ESCALATION_PREFIX = "esc"

#: How staff read each line of an arrears case's history.
EVENT_LABELS = {
    "open": gettext_lazy("Dossier geopend"),
    "start": gettext_lazy("In behandeling genomen"),
    "reopen": gettext_lazy("Opnieuw geopend: nieuwe achterstand"),
    "complete": gettext_lazy("Afgehandeld"),
    "close": gettext_lazy("Gesloten"),
    "call": gettext_lazy("Gesprek"),
    "escalation": gettext_lazy("Escalatiestap"),
    "message": gettext_lazy("Bericht"),
}


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        # Like another corporation's call, the call queue does not exist for a tenant.
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _call_or_404(request, pk):
    call = arrears.call_for_staff(request.user, pk)
    if call is None:
        raise Http404
    return call


def _languages(codes) -> str:
    return ", ".join(str(arrears.language_label(code)) for code in codes)


@staff_required
def queue(request):
    """Today's calls, most days late and largest amount first; "mijn talen" by default."""
    today = timezone.localdate()
    mine_only = request.GET.get("talen") != "alle"
    data = arrears.call_queue(request.user, today, mine_only=mine_only)
    own = sorted(arrears.caller_languages(request.user.spoken_languages))
    return render(
        request,
        "payments/staff/queue.html",
        {
            "queue": data,
            "today": today,
            "my_languages": _languages(own),
            "languages_form": LanguagesForm(initial={"spoken_languages": own}),
        },
    )


@staff_required
@require_POST
def languages(request):
    """The staff member says which languages they call in."""
    form = LanguagesForm(request.POST)
    if form.is_valid():
        request.user.spoken_languages = [
            code for code in Language.values if code in form.cleaned_data["spoken_languages"]
        ]
        request.user.save(update_fields=["spoken_languages"])
        messages.success(
            request,
            _("Uw talen zijn opgeslagen: %(languages)s.")
            % {"languages": _languages(arrears.caller_languages(request.user.spoken_languages))},
        )
    return redirect("callqueue:queue")


def _render_call(request, call, outcome_form=None, escalation_form=None, status=200):
    today = timezone.localdate()
    page = arrears.call_page(call, today)
    mine = call.state == CallState.CLAIMED and call.claimed_by_id == request.user.pk
    return render(
        request,
        "payments/staff/call.html",
        {
            "page": page,
            "call": call,
            "case": call.arrears.case,
            "file": call.arrears,
            "today": today,
            "tenant_language": arrears.language_label(call.tenant.preferred_language),
            "events": [(event, EVENT_LABELS.get(event.action, event.action)) for event in page.events],
            "may_claim": call.state == CallState.OPEN,
            "mine": mine,
            "claimed_by_other": call.state == CallState.CLAIMED and not mine,
            "family_with_children": arrears.family_with_children(call.arrears.children_in_household),
            "outcome_form": outcome_form or OutcomeForm(),
            "escalation_form": escalation_form
            or EscalationForm(prefix=ESCALATION_PREFIX, arrears=call.arrears, initial={"on": today}),
        },
        status=status,
    )


@staff_required
def call_detail(request, pk):
    return _render_call(request, _call_or_404(request, pk))


@staff_required
@require_POST
def claim(request, pk):
    call = _call_or_404(request, pk)
    try:
        arrears.call_claim(call, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("callqueue:queue")
    messages.success(
        request, _("U belt nu %(name)s. Collega's zien dat u dit gesprek heeft.") % {"name": call.tenant}
    )
    return redirect("callqueue:call", pk=call.pk)


@staff_required
@require_POST
def release(request, pk):
    call = _call_or_404(request, pk)
    try:
        arrears.call_release(call, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("callqueue:call", pk=call.pk)
    messages.success(request, _("Het gesprek met %(name)s staat weer in de belrij.") % {"name": call.tenant})
    return redirect("callqueue:queue")


@staff_required
@require_POST
def record(request, pk):
    call = _call_or_404(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            arrears.call_record(
                call,
                request.user,
                outcome=data["outcome"],
                reason=data["reason"],
                follow_up=data["follow_up"],
                promised_on=data["promised_on"],
                note=data["note"],
            )
        except arrears.CallError as exc:
            for name, message in exc.fields.items():
                form.add_error(name, message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("callqueue:call", pk=call.pk)
        else:
            messages.success(
                request, _("De uitkomst van het gesprek met %(name)s is opgeslagen.") % {"name": call.tenant}
            )
            return redirect("callqueue:call", pk=call.pk)
    return _render_call(request, call, outcome_form=form, status=400)


@staff_required
@require_POST
def escalate(request, number):
    file = arrears.arrears_for_staff(request.user, number)
    call = arrears.latest_call(file) if file else None
    if call is None:
        raise Http404
    form = EscalationForm(request.POST, prefix=ESCALATION_PREFIX)
    if form.is_valid():
        data = form.cleaned_data
        try:
            step = arrears.escalation_record(
                file,
                kind=data["kind"],
                on=data["on"],
                note=data["note"],
                staff=request.user,
                children=data["children"],
                household_notes=data["household_notes"],
                shelter_contact=data["shelter_contact"],
                conditions=data["conditions"],
                key=once.posted_key(request, "payments.escalation", file.pk),
            )
        except arrears.CallError as exc:
            for name, message in exc.fields.items():
                form.add_error(name, message)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("callqueue:call", pk=call.pk)
        else:
            messages.success(
                request,
                _("De stap “%(step)s” is vastgelegd bij dossier %(number)s.")
                % {"step": step.get_kind_display(), "number": number},
            )
            return redirect("callqueue:call", pk=call.pk)
    return _render_call(request, call, escalation_form=form, status=400)


@staff_required
def overview(request):
    """The team's numbers: open calls, calls made, share reached, the arrears and their trend."""
    today = timezone.localdate()
    corporation = None if request.user.is_superuser else request.user.corporation
    if corporation is None and not request.user.is_superuser:
        raise Http404
    return render(
        request,
        "payments/staff/overview.html",
        {"overview": arrears.team_overview(corporation, today), "corporation": corporation},
    )
