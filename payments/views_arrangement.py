"""Direct regelen → Ik wil een betalingsregeling aanvragen (seed 000, P3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from payments import arrangements
from payments.forms import ArrangementForm
from portal import once
from portal.errors import DomainError


@login_required
def start(request):
    """Who may not ask is told why and whom to call; who may gets the form.

    A submit opens the case and goes to its page. "Bereken" (the second
    button, for browsers without JavaScript) only shows the amount per month.
    The form sent again goes to the case its first send opened.
    """
    user = request.user
    key = once.posted_key(request, "payments.arrangement") if request.method == "POST" else None
    state = arrangements.eligibility(user)
    if not state.allowed:
        if case := once.earlier(key):
            return _sent(request, case)
        return render(request, "payments/arrangement_unavailable.html", {"state": state})
    form = ArrangementForm(request.POST or None, balance=state.balance)
    if request.method == "POST" and form.is_valid() and "bereken" not in request.POST:
        data = form.cleaned_data
        try:
            case = arrangements.arrangement_request(
                tenant=user,
                had_arrangement_last_year=data["had_arrangement_last_year"],
                reason=data["reason"],
                total_amount=data["total_amount"],
                periods=data["periods"],
                key=key,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _sent(request, case)
    return render(
        request,
        "payments/arrangement_request.html",
        {
            "state": state,
            "form": form,
            "max_periods": arrangements.MAX_PERIODS,
            "min_term": arrangements.MIN_TERM,
        },
    )


def _sent(request, case):
    messages.success(
        request,
        _("Uw aanvraag is verstuurd. Een medewerker beoordeelt hem. Hier ziet u hoe het ermee staat."),
    )
    return redirect(case)
