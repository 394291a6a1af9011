"""Where a webhook may be sent: public addresses only, checked at every send (issue 25).

A subscription's URL is checked when it is created or changed, and its host is resolved and
checked again before every delivery; the delivery connects to the very address that passed
(TLS still verifies the host name), so a DNS answer that changes between the check and the
connection cannot reach the registry's own network. See
docs/decisions/0038-webhook-targets.md.
"""

import ipaddress
import socket
import urllib.parse

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError

NOT_ALLOWED = "The address is not a public one (loopback, private, link-local or the like)."


class TargetRefused(Exception):
    """The target's URL or address is not one the registry sends to."""


def _refused_address(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return True  # ::ffff:a.b.c.d: refused whatever it maps to
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or address in ipaddress.ip_network("100.64.0.0/10")  # CGNAT
        or not address.is_global
    )


def _loopback_allowed(address) -> bool:
    """Tests' receivers listen on loopback over http (WEBHOOK_ALLOW_LOOPBACK, off by default)."""
    return getattr(settings, "WEBHOOK_ALLOW_LOOPBACK", False) and address.is_loopback


def resolve(url: str) -> tuple[urllib.parse.SplitResult, str]:
    """The URL's parts and the one address to connect to; TargetRefused when not allowed."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise TargetRefused("Use an https:// URL.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Leave credentials out of the URL; deliveries are signed.")
    if not parts.hostname:
        raise TargetRefused("Name the receiver's host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as error:
        raise TargetRefused("The host name does not resolve.") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise TargetRefused("The host name does not resolve.")
    for address in addresses:
        if _refused_address(address) and not _loopback_allowed(address):
            raise TargetRefused(NOT_ALLOWED)
    if parts.scheme == "http" and not all(_loopback_allowed(a) for a in addresses):
        raise TargetRefused("Use an https:// URL.")
    return parts, str(addresses[0])


def check_url(url: str) -> str:
    """For a service: the URL, or a ValidationError naming `url`."""
    try:
        resolve(url)
    except TargetRefused as error:
        raise ValidationError({"url": [str(error)]}) from error
    return url


class TargetSession:
    """Connections to checked addresses, kept for one delivery run (pools per address)."""

    def __init__(self):
        self.pools = {}

    def post(self, url: str, *, body: bytes, headers: dict, timeout: tuple[float, float]):
        parts, address = resolve(url)  # checked again at every send
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, address, port, parts.hostname)
        pool = self.pools.get(key)
        if pool is None:
            options = {"host": address, "port": port, "retries": False, "maxsize": 1}
            if parts.scheme == "https":
                # Connect to the address, verify the certificate for the host name.
                pool = urllib3.HTTPSConnectionPool(
                    **options, server_hostname=parts.hostname, assert_hostname=parts.hostname
                )
            else:
                pool = urllib3.HTTPConnectionPool(**options)
            self.pools[key] = pool
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        return pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "host": host},
            timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]),
            redirect=False,
            retries=False,
        )

    def close(self):
        for pool in self.pools.values():
            pool.close()
        self.pools.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
