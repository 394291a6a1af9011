"""The history context: who acted, through which channel, attached to every change row."""

import functools

import pghistory
from django.db import transaction


def actor_label(actor) -> str:
    """`username` for a person, or the label a task passes (e.g. `task:scan_conditions`)."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


def service(func):
    """Make a service atomic and record its actor in the history context of every change."""

    @functools.wraps(func)
    def wrapper(*args, actor, **kwargs):
        user_id = getattr(actor, "pk", None)
        with transaction.atomic(), pghistory.context(actor=actor_label(actor), user=user_id):
            return func(*args, actor=actor, **kwargs)

    return wrapper
