"""Celery tasks: offer deadlines (A10, A11), every 15 minutes in Celery beat."""

from celery import shared_task


@shared_task
def offers_expire() -> int:
    """Unanswered offers past their deadline: expired, the seeker blocked, the next candidate's offer."""
    from allocation import offers

    return offers.offers_expire()
