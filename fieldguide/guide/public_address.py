"""The site's public address: where readers reach it, printed in editions and the sitemap.

Wagtail builds every absolute page URL (``page.full_url``, the sitemap) from the default
``Site`` record's hostname and port, so that record is the one source of truth.
``manage.py set_site_url`` writes it from ``SITE_URL`` (``make serve`` passes
``http://HOST:PORT`` when ``SITE_URL`` is not set), and the admin warns while it is a
loopback address, which no reader can open.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from wagtail.models import Site

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
UNSPECIFIED = {"0.0.0.0", "::"}  # noqa: S104 - names a bind address, never binds


class AddressError(ValueError):
    pass


def parse_site_url(url: str) -> tuple[str, int]:
    """``(hostname, port)`` for a Wagtail Site record, or AddressError saying why not."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressError(f"{url!r}: give an address such as https://guide.example.org")
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise AddressError(f"{url!r}: the site must be served at the root of its host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AddressError(f"{url!r}: {error}") from error
    if parts.scheme == "https" and port != 443:
        raise AddressError(f"{url!r}: Wagtail only writes https addresses on port 443")
    if parts.scheme == "http" and port == 443:
        raise AddressError(f"{url!r}: port 443 would be written as https")
    if parts.hostname in UNSPECIFIED:
        raise AddressError(
            f"{url!r}: {parts.hostname} is where the server listens, not an address readers "
            "can open; set SITE_URL to the site's public address"
        )
    return parts.hostname, port


def is_loopback(hostname: str) -> bool:
    if hostname.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False


def default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).first()


def loopback_root_url() -> str | None:
    """The default site's address if readers elsewhere could not open it, else None."""
    site = default_site()
    if site is not None and is_loopback(site.hostname):
        return site.root_url
    return None
