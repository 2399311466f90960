"""The ledger: invoices, iDEAL payments and how a payment is booked on them.

Seed 000, "Hoe betaal ik online?": open items are paid with iDEAL, and "de
betaling heeft een verwerkingstijd en komt niet per direct aan". So a
payment is started here (`payment_start`), the tenant pays on the bank's
page, and only when the provider itself says "paid" is the money booked
(`payment_sync`, from the webhook or the return page). Nothing a browser or
a webhook sends is believed: the status always comes from the provider.

Booking happens once per payment (`Payment.applied_at`), with the payment
and its items locked, so replayed, duplicated or late webhooks change
nothing, and two payments for the same invoice never pay it twice: what
no longer fits an invoice is kept as credit (`Payment.unapplied`).

Money is Decimal in euros, always with two places.
"""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext_lazy as _

from payments.models import ItemKind, OpenItem, Payment, PaymentLine, PaymentStatus
from payments.providers import PaymentsOff, get_provider
from portal import once, outbox
from portal.errors import DomainError

log = logging.getLogger(__name__)

CENT = Decimal("0.01")

#: Statuses after which nothing more happens at the bank (unless money arrives after all).
FINAL_STATUSES = frozenset(
    {PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.CANCELED, PaymentStatus.EXPIRED}
)

MESSAGES = {
    "nothing_chosen": _("Kies ten minste één factuur om te betalen."),
    "not_payable": _("Een van de gekozen facturen kunt u niet (meer) betalen. Kies opnieuw."),
    "two_corporations": _("Deze facturen zijn van verschillende corporaties. Betaal ze apart."),
    "payments_off": _(
        "Online betalen is op dit moment niet mogelijk. Er is niets afgeschreven. "
        "Probeer het later opnieuw, of neem contact op met uw corporatie."
    ),
}


def money(value) -> Decimal:
    """A euro amount with two places."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def mollie_amount(value: Decimal) -> dict:
    """{"currency": "EUR", "value": "125.31"}: Mollie wants a string with exactly two decimals."""
    return {"currency": "EUR", "value": f"{money(value):.2f}"}


def is_final(payment: Payment) -> bool:
    """Nothing is left to ask the provider: a paid payment is booked, or it failed for good."""
    if payment.status == PaymentStatus.PAID:
        return payment.applied_at is not None
    return payment.status in FINAL_STATUSES


# --- starting a payment ------------------------------------------------------------


def return_url(payment: Payment) -> str:
    return settings.SITE_URL + reverse("payments:payment_return", args=[payment.pk])


def webhook_url() -> str | None:
    """Where the provider reports a change. None on a laptop: Mollie refuses a
    webhook it cannot reach (localhost), and the return page asks for the
    status itself there."""
    host = (urlparse(settings.SITE_URL).hostname or "").lower()
    if host in ("localhost", "::1", "testserver") or host.startswith("127.") or host.endswith(".localhost"):
        return None
    return settings.SITE_URL + reverse("payments_public:webhook")


def payment_description(items) -> str:
    """'Betaling facturen F-1, F-2': stored and shown on the bank statement, in Dutch."""
    references = ", ".join(item.reference for item in items)
    with translation.override("nl"):
        if len(items) == 1:
            text = str(_("Betaling factuur %(references)s")) % {"references": references}
        else:
            text = str(_("Betaling facturen %(references)s")) % {"references": references}
    return text if len(text) <= 200 else text[:199] + "…"


def payment_reusable(payment: Payment) -> bool:
    """A resent pay form answers with its earlier payment unless that one failed at the bank
    (cancelled, failed, expired): then the same form starts a new one."""
    return payment.status not in (PaymentStatus.FAILED, PaymentStatus.CANCELED, PaymentStatus.EXPIRED)


def payment_start(
    *,
    tenant,
    items,
    provider=None,
    amount: Decimal | None = None,
    description: str = "",
    key: once.SendKey | None = None,
) -> Payment:
    """Start an iDEAL payment of the tenant's own open items (objects or ids).

    The amount is what is still open on them, or `amount` (a term of a
    payment arrangement): then it goes to the items in order of due date and
    the last item it reaches may stay partly open. Returns the Payment with the
    provider's id and the checkout URL the tenant goes to. Raises
    DomainError when an item is not the tenant's or not open any more, and
    the provider's errors (payments.providers) when it cannot be reached:
    then nothing is stored. DomainError "payments_off" when no provider takes
    payments here at all (see `get_provider`), before anything is stored.

    The pay form sent again (its `key`, see `portal.once`) answers with the
    payment it started first while that one is for the same items and has not
    failed at the bank (`payment_reusable`): never a second payment for one
    form. Other ticks on the same page are another payment.
    """
    ids = {item.pk if isinstance(item, OpenItem) else int(item) for item in items}
    if not ids:
        raise DomainError(MESSAGES["nothing_chosen"])

    def same(payment: Payment) -> bool:
        return payment_reusable(payment) and set(payment.lines.values_list("item_id", flat=True)) == ids

    return once.send(key, lambda: _payment_create(tenant, ids, provider, amount, description), reuse=same)


def _payment_create(tenant, ids: set, provider, amount: Decimal | None, description: str) -> Payment:
    if provider is None:
        try:
            provider = get_provider()
        except PaymentsOff as exc:
            raise DomainError(MESSAGES["payments_off"], code="payments_off") from exc
    with transaction.atomic():
        chosen = list(
            OpenItem.objects.filter(tenant=tenant, paid_at__isnull=True, pk__in=ids).order_by(
                "due_date", "id"
            )
        )
        if len(chosen) != len(ids) or any(item.open_amount <= 0 for item in chosen):
            raise DomainError(MESSAGES["not_payable"])
        if len({item.corporation_id for item in chosen}) > 1:
            raise DomainError(MESSAGES["two_corporations"])
        total_open = money(sum((item.open_amount for item in chosen), Decimal("0")))
        if amount is None:
            amount = total_open
        elif not Decimal("0") < money(amount) <= total_open:
            raise DomainError(MESSAGES["not_payable"])
        amount = money(amount)
        payment = Payment.objects.create(
            corporation_id=chosen[0].corporation_id,
            tenant=tenant,
            provider=provider.name,
            method="ideal",
            amount=amount,
            description=description or payment_description(chosen),
        )
        lines, left = [], amount
        for item in chosen:
            share = min(money(item.open_amount), left)
            if share <= 0:
                break
            lines.append(PaymentLine(payment=payment, item=item, amount=share))
            left -= share
        PaymentLine.objects.bulk_create(lines)
        data = {
            "amount": mollie_amount(amount),
            "description": payment.description,
            "method": "ideal",
            "redirectUrl": return_url(payment),
            "metadata": {"payment": payment.pk},
        }
        if hook := webhook_url():
            data["webhookUrl"] = hook
        # Inside the transaction: when the provider fails, no half-made payment stays behind.
        payment.provider_id, payment.checkout_url = provider.create(data)
        payment.save(update_fields=["provider_id", "checkout_url", "updated_at"])
    return payment


# --- booking what the provider says ---------------------------------------------------


def payment_sync(provider_id: str, *, provider=None) -> Payment | None:
    """Ask the provider for this payment's status and book it, once.

    None when we have no payment with this id (a stray or forged webhook).
    The provider's errors (UnknownPayment, ProviderUnavailable, ProviderError)
    reach the caller; nothing is changed then.
    """
    payment = Payment.objects.filter(provider_id=provider_id).first()
    if payment is None:
        return None
    if payment.status == PaymentStatus.PAID and payment.applied_at is not None:
        return payment  # booked: nothing the provider says can change it any more
    provider = provider or get_provider(payment.provider)
    status = provider.fetch(provider_id)  # never under a lock: it may take seconds
    return payment_status_apply(payment.pk, status)


def payment_status_apply(payment_pk: int, status: str, *, now=None) -> Payment:
    """Record the provider's status of a payment and book it when it is paid.

    - paid, not yet booked: book it on its items (once, see `_book`);
    - anything after paid: ignored, money received stays received;
    - paid after expired/canceled/failed: still booked;
    - the same status again: nothing changes.
    """
    now = now or timezone.now()
    with transaction.atomic():
        payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment_pk)
        if status not in PaymentStatus.values:
            log.warning("payment %s: provider status %r ignored", payment.provider_id, status)
            return payment
        if payment.status == PaymentStatus.PAID and status != PaymentStatus.PAID:
            log.warning("payment %s: %r after paid ignored", payment.provider_id, status)
            return payment
        changed = []
        if payment.status != status:
            payment.status = status
            changed.append("status")
        if status == PaymentStatus.PAID:
            if payment.paid_at is None:
                payment.paid_at = now
                changed.append("paid_at")
            if payment.applied_at is None:
                _book(payment, now)
                _paid_hooks(payment, now)
                changed += ["applied_at", "unapplied"]
                outbox.enqueue(
                    arrangements_follow,
                    payment.tenant_id,
                    payment.corporation_id,
                    corporation_id=payment.corporation_id,
                    summary=f"{_('Betalingsregeling bijwerken')}: {payment.provider_id}",
                )
        if changed:
            payment.save(update_fields=[*changed, "updated_at"])
    return payment


#: Items whose reference starts with a prefix here call that function once paid in full,
#: in the booking's transaction: `function(item, paid_on=date)`. Fees of other areas use it.
PAID_HOOKS = {
    "INS-": "allocation.registrations.fee_paid",
    "SPL-": "allocation.registrations.split_fee_paid",
}


def _paid_hooks(payment: Payment, now) -> None:
    from django.utils.module_loading import import_string

    items = OpenItem.objects.filter(pk__in=payment.lines.values("item_id"), paid_at__isnull=False)
    for prefix, path in PAID_HOOKS.items():
        for item in items.filter(reference__startswith=prefix):
            import_string(path)(item, paid_on=timezone.localdate(now))


@outbox.job
def arrangements_follow(tenant_id: int, corporation_id: int) -> None:
    """A payment may pay a term of the tenant's payment arrangement: show it at once.

    An outbox job after the booking's commit, so an error here never reaches the
    page that booked the payment, and is tried again.
    """
    from payments.arrangements import arrangement_follow
    from payments.models import Arrangement

    for arrangement_id in Arrangement.objects.filter(
        case__tenant_id=tenant_id, case__corporation_id=corporation_id, approved_at__isnull=False
    ).values_list("pk", flat=True):
        arrangement_follow(arrangement_id)


def _book(payment: Payment, now) -> None:
    """Spread the paid amount over the payment's lines, in order.

    Each line gets at most its own amount and at most what is still open on
    its item; an item settled meanwhile (by another payment) gets nothing.
    What is left is credit (`unapplied`): never lost, never paid twice.
    """
    lines = list(payment.lines.order_by("id"))
    # Lock the items in one order (by id) so two payments never wait for each other in a circle.
    items = {
        item.pk: item
        for item in OpenItem.objects.select_for_update(of=("self",))
        .filter(pk__in=[line.item_id for line in lines])
        .order_by("pk")
    }
    left = money(payment.amount)
    for line in lines:
        item = items[line.item_id]
        share = Decimal("0.00")
        if item.paid_at is None:
            share = max(min(money(line.amount), money(item.open_amount), left), Decimal("0.00"))
        if share > 0:
            item.amount_paid = money(item.amount_paid + share)
            if item.amount_paid >= item.amount:
                item.paid_at = now
            item.save(update_fields=["amount_paid", "paid_at"])
        if line.applied != share:
            line.applied = share
            line.save(update_fields=["applied"])
        left -= share
    payment.unapplied = money(left)
    payment.applied_at = now
    if payment.unapplied:
        log.info("payment %s: %s kept as credit", payment.provider_id, payment.unapplied)


# --- the monthly rent ------------------------------------------------------------------


@dataclass(frozen=True)
class RentInvoice:
    reference: str
    description: str


def rent_invoice_text(contract_number: str, period: date) -> RentInvoice:
    """H202611-HC-2019-0312, 'Huur november 2026': in Dutch, whoever runs the job."""
    with translation.override("nl"):
        month = dateformat.format(period, "F Y")
        description = str(_("Huur %(month)s")) % {"month": month}
    return RentInvoice(reference=f"H{period:%Y%m}-{contract_number}"[:30], description=description)


def rent_invoices_create(*, on: date | None = None) -> int:
    """One rent invoice per running contract for the month of `on` (default today).

    Amount: the contract's total rent (kale huur plus service charges); due on
    the first of the month. Running twice creates nothing new: the database
    allows one rent invoice per contract and month. Returns how many were made.
    """
    from contracts.models import Contract

    on = on or timezone.localdate()
    period = on.replace(day=1)
    done = set(
        OpenItem.objects.filter(kind=ItemKind.RENT, period=period, contract__isnull=False).values_list(
            "contract_id", flat=True
        )
    )
    contracts = (
        Contract.objects.filter(start_date__lte=period)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period))
        .exclude(pk__in=done)
        .prefetch_related("service_charges", "tenants")
        .order_by("pk")
    )
    made = 0
    for contract in contracts:
        tenants = sorted(contract.tenants.all(), key=lambda person: person.pk)
        amount = money(contract.total_rent)
        if not tenants or amount <= 0:
            continue
        text = rent_invoice_text(contract.number, period)
        try:
            with transaction.atomic():
                OpenItem.objects.create(
                    corporation_id=contract.corporation_id,
                    tenant=tenants[0],
                    contract=contract,
                    kind=ItemKind.RENT,
                    period=period,
                    reference=text.reference,
                    description=text.description,
                    amount=amount,
                    due_date=period,
                )
        except IntegrityError:
            continue  # made meanwhile by another run
        made += 1
    return made
