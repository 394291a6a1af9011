"""The Celery application; tasks live in each app's tasks.py."""

import os

from celery import Celery

# Whether the environment chose the settings (config.run picks its own when it did not).
SETTINGS_CHOSEN = "DJANGO_SETTINGS_MODULE" in os.environ
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Every task runs in a history context naming it (actor `task:<name>`, its task id).
app = Celery("config", task_cls="core.history.context:HistoryTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
