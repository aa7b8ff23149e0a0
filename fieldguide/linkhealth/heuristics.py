"""Signs that a page answering 200 is not the page that was linked: soft 404s, parking."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
HIDDEN_RE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")

NOT_FOUND_PHRASES = (
    "page not found",
    "404 not found",
    "error 404",
    "404 error",
    "page doesn't exist",
    "page does not exist",
    "page you requested could not be found",
    "page cannot be found",
    "page can't be found",
    "page could not be found",
    "no longer available",
    "this page has been removed",
    "nothing was found at this location",
)
PARKED_PHRASES = (
    "this domain is for sale",
    "domain is for sale",
    "this domain may be for sale",
    "buy this domain",
    "domain has expired",
    "this domain name has expired",
    "parked free",
    "parked domain",
    "domain parking",
)
PARKING_HOSTS = (
    "sedoparking.com",
    "sedo.com",
    "parkingcrew.net",
    "bodis.com",
    "above.com",
    "afternic.com",
    "hugedomains.com",
    "dan.com",
    "undeveloped.com",
    "parklogic.com",
    "domainmarket.com",
)
# Only the start of the visible text is searched: a long article that mentions
# "page not found" somewhere deep in it is not a soft 404.
LEAD_CHARS = 600


def visible_text(document: str) -> str:
    text = HIDDEN_RE.sub(" ", document)
    text = TAG_RE.sub(" ", text)
    return SPACE_RE.sub(" ", html.unescape(text)).strip()


def page_title(document: str) -> str:
    match = TITLE_RE.search(document)
    return SPACE_RE.sub(" ", html.unescape(match.group(1))).strip() if match else ""


def _is_parking_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in PARKING_HOSTS)


def page_problem(document: str, final_url: str) -> tuple[str, int]:
    """Why a 200 page looks wrong (empty string if it looks fine) and its text length."""
    text = visible_text(document)
    title = page_title(document).lower()
    lead = text[:LEAD_CHARS].lower()
    if _is_parking_host(final_url):
        return "Ends on a domain-parking site", len(text)
    if any(p in title or p in lead for p in PARKED_PHRASES):
        return "Looks like a parked domain (for sale or expired)", len(text)
    if any(p in title for p in NOT_FOUND_PHRASES) or title.startswith("404"):
        return f'Looks like a "not found" page (title: "{page_title(document)[:120]}")', len(text)
    if any(p in lead for p in NOT_FOUND_PHRASES):
        return 'Looks like a "not found" page (the text says so)', len(text)
    return "", len(text)
