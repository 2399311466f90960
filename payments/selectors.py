"""Reads of the tenant's open items."""

from payments.models import OpenItem


def open_items_for(user):
    return (
        OpenItem.objects.filter(tenant=user, paid_at__isnull=True)
        .select_related("contract__unit")
        .order_by("due_date", "id")
    )
