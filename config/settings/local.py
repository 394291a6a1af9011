"""Local development: DEBUG on, embedded PostgreSQL and broker unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
