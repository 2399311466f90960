"""Reads of the tenant's invoices and payments. Each returns a fixed number of queries."""

from django.shortcuts import get_object_or_404

from payments.models import OpenItem, Payment, PaymentStatus

#: How much history Factuur & betaling shows.
HISTORY = 12


def open_items_for(user):
    return (
        OpenItem.objects.filter(tenant=user, paid_at__isnull=True)
        .select_related("contract__unit")
        .order_by("due_date", "id")
    )


def paid_items_for(user, limit: int = HISTORY):
    """The latest settled invoices, newest first."""
    return OpenItem.objects.filter(tenant=user, paid_at__isnull=False).order_by("-paid_at", "-id")[:limit]


def payments_for(user, limit: int = HISTORY):
    """The tenant's latest payments (tries included), newest first."""
    return Payment.objects.filter(tenant=user).order_by("-created_at", "-id")[:limit]


def unfinished_payments_for(user):
    """Payments the bank has not finished yet: the tenant may still be paying."""
    return Payment.objects.filter(
        tenant=user, status__in=(PaymentStatus.OPEN, PaymentStatus.PENDING)
    ).order_by("-created_at", "-id")


def payment_for_tenant(user, pk: int) -> Payment:
    """The tenant's own payment, or 404: another person's payment does not exist for them."""
    return get_object_or_404(Payment.objects.select_related("corporation"), tenant=user, pk=pk)


def payment_lines(payment: Payment):
    return payment.lines.select_related("item__contract__unit").order_by("id")
