"""Static files for production: whitenoise's compressed, content-hashed storage, forgiving
references in vendored CSS to files we chose not to ship (USWDS' hero image, etc.)."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """A url() to a file that is not vendored keeps its plain name instead of failing
    collectstatic; the browser gets a 404 for that one decoration, never the page a 500."""

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            log.debug("static file %s is referenced but not shipped", name)
            return name
