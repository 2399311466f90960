"""Celery tasks: seeker_tasks."""
