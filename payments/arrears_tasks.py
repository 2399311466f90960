"""Celery tasks: arrears_tasks."""
