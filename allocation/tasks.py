"""Celery finds the allocation jobs here; each area keeps its own module."""

from allocation.offer_tasks import *  # noqa: F403
from allocation.seeker_tasks import *  # noqa: F403
