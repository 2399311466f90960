"""Celery tasks of the arrears approach: the morning call queue (beat, 06:30)."""

from celery import shared_task

__all__ = ["arrears_queue_build"]


@shared_task(name="payments.arrears_tasks.arrears_queue_build")
def arrears_queue_build() -> int:
    """Every tenant with an item unpaid past its due date gets an arrears case and a call.

    Idempotent: running it twice on one day creates nothing new.
    """
    from payments import arrears

    return arrears.arrears_queue_build()
