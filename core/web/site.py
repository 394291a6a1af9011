"""Federal-site conventions shared by every page: the system-use notice and the identifier.

Settings import the default notice from here, so this module imports nothing from Django at
load time except the lazy settings object (docs/decisions/0019).
"""

from django.conf import settings

# The standard U.S. Government information-system notice (NIST SP 800-53 control AC-8).
# Operators replace it with their agency's approved text through SYSTEM_USE_NOTICE.
DEFAULT_SYSTEM_USE_NOTICE = """\
You are accessing a U.S. Government information system, which includes this computer, this \
network, all computers connected to this network, and all devices and storage media attached \
to this network or to a computer on this network. This information system is provided for U.S. \
Government-authorized use only.

Unauthorized or improper use of this system may result in disciplinary action, as well as \
civil and criminal penalties.

By using this information system, you understand and consent to the following: you have no \
reasonable expectation of privacy regarding any communication or data transiting or stored on \
this information system. At any time, and for any lawful Government purpose, the Government \
may monitor, intercept, and search and seize any communication or data transiting or stored on \
this information system. Any communication or data transiting or stored on this information \
system may be disclosed or used for any lawful Government purpose."""

DEFAULT_IDENTIFIER_LINKS = [
    "Accessibility support (Section 508)|https://www.section508.gov/",
    "Freedom of Information Act requests|https://www.foia.gov/",
]


def identifier_links() -> list[dict]:
    """SITE_IDENTIFIER_LINKS entries ("Label|https://…") as label and URL pairs."""
    links = []
    for entry in settings.SITE_IDENTIFIER_LINKS:
        label, _, url = entry.partition("|")
        if label.strip() and url.strip():
            links.append({"label": label.strip(), "url": url.strip()})
    return links


def _domain(request) -> str:
    """The site's domain; with SITE_DOMAIN unset, the request's Host when it is an allowed one
    (the 400 page for a bad Host is drawn with this context too: it must not ask again)."""
    from django.core.exceptions import DisallowedHost

    if settings.SITE_DOMAIN:
        return settings.SITE_DOMAIN
    try:
        return request.get_host()
    except DisallowedHost:
        return ""


def site_context(request):
    """Template context: who runs the site, for the identifier under every page."""
    return {
        "site_identifier": {
            "domain": _domain(request),
            "agency": settings.SITE_AGENCY_NAME,
            "agency_url": settings.SITE_AGENCY_URL,
            "links": identifier_links(),
        }
    }
