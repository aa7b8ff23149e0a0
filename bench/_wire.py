"""Bytes on the wire: one HTTP/1.1 request over a plain socket, counted as sent.

Shared by bench/page_weight.py and tests/core/test_page_weight.py, so the README's
figures and the test's budget come from the same measurement.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

# One round trip: ten TCP segments of 1,434 bytes, the usual initial congestion window.
FIRST_ROUND_TRIP = 14_336
MAP_BUDGET = 24_576


@dataclass
class WireResponse:
    status: int
    headers: dict[str, str]
    header_bytes: int
    body: bytes

    @property
    def total(self) -> int:
        return self.header_bytes + len(self.body)


def fetch(url: str, accept_encoding: str = "", timeout: float = 120) -> WireResponse:
    """GET ``url`` with ``Accept-Encoding`` as given and no cookies; keep the raw bytes."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    if accept_encoding:
        lines.append(f"Accept-Encoding: {accept_encoding}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    chunks = []
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout) as s:
        s.sendall(request)
        while chunk := s.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return WireResponse(int(status_line.split()[1]), headers, len(head) + 4, body)


def reader_pages() -> dict[str, list[str]]:
    """Every reader page type of the loaded guide and atlas, with the paths to measure."""
    from fieldguide.atlas.models import Bill, Jurisdiction, Topic
    from fieldguide.guide.models import (
        ContactPage,
        GlossaryPage,
        GuideHomePage,
        SectionPage,
        StandardPage,
    )

    states = Jurisdiction.objects.filter(parent__isnull=True, state_abbr__in=["CA", "DC", "PR"])
    pages = {
        "home": [GuideHomePage.objects.live().get().url],
        "section": [p.url for p in SectionPage.objects.live().order_by("path")],
        "glossary": [p.url for p in GlossaryPage.objects.live()],
        "standard": [p.url for p in StandardPage.objects.live().order_by("path")],
        "contact": [p.url for p in ContactPage.objects.live()],
        "search": ["/search/?q=harm+reduction"],
        "atlas": ["/atlas/"],
        "topic map": [f"/atlas/topics/{t.slug}/" for t in Topic.objects.all()],
        "place": [f"/atlas/places/{j.slug}/" for j in states],
        "lookup": ["/atlas/lookup/?place=10001"],
        "bills": ["/atlas/bills/"],
        "bill": [
            f"/atlas/bills/{b.congress}/{b.bill_type}/{b.number}/" for b in Bill.objects.all()[:3]
        ],
    }
    return {name: urls for name, urls in pages.items() if urls}


def budget(page_type: str) -> int:
    return MAP_BUDGET if page_type == "topic map" else FIRST_ROUND_TRIP
