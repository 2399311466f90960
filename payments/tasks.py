"""Celery finds the payments jobs here; each area keeps its own module."""

from payments.arrangement_tasks import *  # noqa: F403
from payments.arrears_tasks import *  # noqa: F403
from payments.ledger_tasks import *  # noqa: F403
