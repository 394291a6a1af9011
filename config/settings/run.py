"""`python -m config.run`: local settings served as a user is served (docs/decisions/0019).

DEBUG is off, so a bad address gets the registry's own 404 page and an error never shows a
traceback; whitenoise serves the static files straight from their folders (no collectstatic).
`DEBUG=true` in the environment turns the debug pages back on for development.
"""

from .local import *  # noqa: F403
from .local import env

DEBUG = env.bool("DEBUG", default=False)
WHITENOISE_USE_FINDERS = True  # serve static/ and the apps' files without collectstatic
WHITENOISE_AUTOREFRESH = DEBUG  # re-read files on every request only while developing
