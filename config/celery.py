"""The Celery application; tasks live in each app's tasks.py."""

import os

from celery import Celery

# Whether the environment chose the settings (config.run picks its own when it did not).
SETTINGS_CHOSEN = "DJANGO_SETTINGS_MODULE" in os.environ
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
