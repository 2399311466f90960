"""Factuur & betaling: open items, paying them with iDEAL, the return page,
the provider's webhook and the demo bank page."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import ledger, selectors
from payments.arrangements import next_term
from payments.models import Payment, PaymentStatus
from payments.providers import (
    DemoProvider,
    ProviderError,
    ProviderUnavailable,
    UnknownPayment,
    checkout_origins,
    demo_bank_available,
)
from portal import once
from portal.errors import DomainError
from portal.selectors import open_balance

log = logging.getLogger(__name__)


class ItemCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose group links to the first box (the error summary points there)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class PayForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Welke facturen wilt u betalen?"),
        queryset=None,
        widget=ItemCheckboxes,
        error_messages={
            "required": gettext_lazy("Kies ten minste één factuur om te betalen."),
            "invalid_choice": gettext_lazy(
                "Een van de gekozen facturen kunt u niet (meer) betalen. Kies opnieuw."
            ),
            "invalid_pk_value": gettext_lazy(
                "Een van de gekozen facturen kunt u niet (meer) betalen. Kies opnieuw."
            ),
            "invalid_list": gettext_lazy("Kies ten minste één factuur om te betalen."),
        },
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = selectors.open_items_for(tenant)


def to_bank(payment: Payment):
    """The bank's page of a payment just started; the return page of one that is done
    (a pay form sent again after paying shows what became of it)."""
    if payment.status == PaymentStatus.OPEN and payment.checkout_url:
        return _checkout_allowed(redirect(payment.checkout_url))
    return redirect("payments:payment_return", pk=payment.pk)


def _checkout_allowed(response):
    """The pay form's POST answers with a redirect to the provider's checkout page:
    the browser follows it only when the page's form-action rule allows that origin."""
    origins = checkout_origins()
    if origins:
        config = dict(settings.SECURE_CSP)
        config["form-action"] = [CSP.SELF, *origins]
        response._csp_config = config
    return response


@login_required
def my_invoices(request):
    """Factuur & betaling: the open items with their details, paying them, the history."""
    tenant = request.user
    form = PayForm(request.POST if request.method == "POST" else None, tenant=tenant)
    key = once.posted_key(request, "payments.pay") if form.is_bound else None
    if form.is_bound and not form.is_valid() and (payment := once.earlier(key)):
        return to_bank(payment)  # sent again after its invoices were paid
    if form.is_bound and form.is_valid():
        try:
            payment = ledger.payment_start(tenant=tenant, items=form.cleaned_data["items"], key=key)
        except DomainError as exc:
            # "No online paying here" is about the page, not about the invoices chosen.
            form.add_error(None if exc.code == "payments_off" else "items", exc.message)
        except ProviderError:
            log.exception("payment could not be started")
            form.add_error(
                None,
                _(
                    "De betaalpagina van de bank is nu niet bereikbaar. Er is niets afgeschreven. "
                    "Probeer het over een paar minuten opnieuw."
                ),
            )
        else:
            return to_bank(payment)
    items = list(selectors.open_items_for(tenant))
    if form.is_bound:
        chosen = {str(value) for value in request.POST.getlist("items")}
    else:
        chosen = {str(item.pk) for item in items}
    response = render(
        request,
        "payments/my_invoices.html",
        {
            "form": form,
            "items": items,
            "chosen": chosen,
            "today": timezone.localdate(),
            "balance": open_balance(tenant),
            "unfinished": list(selectors.unfinished_payments_for(tenant)[:3]),
            "paid_items": list(selectors.paid_items_for(tenant)),
            "payments": list(selectors.payments_for(tenant)),
            "next_term": next_term(tenant),
        },
    )
    return _checkout_allowed(response)


@login_required
@require_POST
def pay_term(request, pk):
    """Pay one term of the tenant's own payment arrangement with iDEAL."""
    from django.contrib import messages

    from payments.arrangements import term_payment_start

    try:
        payment = term_payment_start(
            tenant=request.user, instalment_id=pk, key=once.posted_key(request, "payments.pay_term", pk)
        )
    except LookupError:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    except ProviderError:
        log.exception("payment could not be started")
        messages.error(
            request,
            _(
                "De betaalpagina van de bank is nu niet bereikbaar. Er is niets afgeschreven. "
                "Probeer het over een paar minuten opnieuw."
            ),
        )
    else:
        return to_bank(payment)
    return redirect("payments:my_invoices")


@login_required
def payment_return(request, pk):
    """Where the bank sends the tenant back: what became of the payment.

    The status is asked from the provider here as well, so a payment is booked
    even where no webhook can reach us (a laptop)."""
    payment = selectors.payment_for_tenant(request.user, pk)
    unreachable = False
    if payment.provider_id and not ledger.is_final(payment):
        try:
            payment = ledger.payment_sync(payment.provider_id) or payment
        except (ProviderError, DatabaseError):
            log.warning("payment %s: status not available now", payment.provider_id, exc_info=True)
            unreachable = True
    return render(
        request,
        "payments/payment_return.html",
        {
            "payment": payment,
            "lines": list(selectors.payment_lines(payment)),
            "unreachable": unreachable,
            "balance": open_balance(request.user),
        },
    )


@csrf_exempt
@require_POST
def webhook(request):
    """The provider says "payment tr_… changed" (form field `id`); we ask it what changed.

    200 when done or when the id is none of ours (a retry would not help);
    502/503 when the provider cannot tell us now, so that it tries again.
    """
    provider_id = request.POST.get("id", "").strip()
    if not provider_id or len(provider_id) > 40:
        return HttpResponseBadRequest("id missing")
    try:
        ledger.payment_sync(provider_id)
    except UnknownPayment:
        log.warning("webhook: provider does not know %s", provider_id)
    except ProviderUnavailable:
        log.warning("webhook: provider unavailable for %s", provider_id, exc_info=True)
        return HttpResponse("provider unavailable", status=503, content_type="text/plain")
    except ProviderError:
        log.exception("webhook: provider refused %s", provider_id)
        return HttpResponse("provider error", status=502, content_type="text/plain")
    except DatabaseError:
        log.exception("webhook: database error for %s", provider_id)
        return HttpResponse("try again", status=503, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")


# --- the demo bank ----------------------------------------------------------------------

DEMO_BANKS = [
    ("abn_amro", "ABN AMRO"),
    ("asn", "ASN Bank"),
    ("bunq", "bunq"),
    ("ing", "ING"),
    ("knab", "Knab"),
    ("rabobank", "Rabobank"),
    ("regiobank", "RegioBank"),
    ("revolut", "Revolut"),
    ("sns", "SNS"),
    ("triodos", "Triodos Bank"),
    ("van_lanschot", "Van Lanschot Kempen"),
]


class DemoBankForm(forms.Form):
    bank = forms.ChoiceField(
        label=gettext_lazy("Uw bank"),
        choices=[("", gettext_lazy("Kies uw bank"))] + DEMO_BANKS,
        required=False,
    )

    def __init__(self, *args, paying: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.paying = paying

    def clean_bank(self):
        bank = self.cleaned_data["bank"]
        if self.paying and not bank:
            raise forms.ValidationError(_("Kies uw bank om te betalen."))
        return bank


@login_required
def demo_checkout(request, provider_id):
    """The demo provider's "bank": choose a bank, then pay or cancel.

    Only for the payment's own tenant, who needs both her session and the
    unguessable id; for anyone else the page does not exist. It exists only
    while no Mollie key is set, and only where the demo bank is allowed."""
    if not demo_bank_available():
        raise Http404
    payment = (
        Payment.objects.filter(provider=DemoProvider.name, provider_id=provider_id, tenant=request.user)
        .select_related("corporation")
        .first()
    )
    if payment is None:
        raise Http404
    back = redirect("payments:payment_return", pk=payment.pk)
    if payment.status != PaymentStatus.OPEN:
        return back
    action = request.POST.get("action") if request.method == "POST" else None
    form = DemoBankForm(request.POST if action else None, paying=action == "pay")
    if action == "cancel":
        DemoProvider().complete(provider_id, PaymentStatus.CANCELED)
        return back
    if action == "pay" and form.is_valid():
        DemoProvider().complete(provider_id, PaymentStatus.PAID)
        return back
    return render(request, "payments/demo_checkout.html", {"payment": payment, "form": form})
