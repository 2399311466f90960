"""Celery tasks of the ledger: the monthly rent invoices."""

from celery import shared_task

from payments import ledger


@shared_task
def rent_invoices_create() -> int:
    """On the 1st of each month (Celery beat): this month's rent invoice for every running contract."""
    return ledger.rent_invoices_create()
