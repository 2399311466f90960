"""Celery tasks: offer_tasks."""
