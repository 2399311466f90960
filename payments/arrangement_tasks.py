"""Celery tasks: arrangement_tasks."""
