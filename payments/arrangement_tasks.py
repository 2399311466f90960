"""Celery tasks for payment arrangements: following the terms every morning."""

from celery import shared_task


@shared_task
def instalments_check() -> int:
    """Daily (06:00, before the arrears queue is built): record paid and missed terms.

    A missed term messages the tenant and reopens their arrears case, once.
    Running it twice changes nothing the second time.
    """
    from payments import arrangements

    return arrangements.instalments_check()
