"""Celery tasks: thin wrappers that receive ids and dates and call services."""
