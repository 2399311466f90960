"""Celery tasks of the seekers' side: registrations ending, tip messages (A15).

Both are safe to run twice: the second run finds nothing left to do.
"""

from datetime import date, datetime

from celery import shared_task

from allocation import registrations


@shared_task
def registrations_expire(today: str | None = None) -> int:
    """End registrations not renewed in time, unless an option is held (daily)."""
    return registrations.registrations_expire(today=date.fromisoformat(today) if today else None)


@shared_task
def tips_send(now: str | None = None) -> int:
    """Tell each active seeker about new listings that fit their profile and data (daily)."""
    return registrations.tips_send(now=datetime.fromisoformat(now) if now else None)
