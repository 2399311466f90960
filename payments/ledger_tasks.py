"""Celery tasks: ledger_tasks."""
