"""Metadata for a DOI from Crossref's REST API (https://api.crossref.org/works/<doi>)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
from django.conf import settings

from fieldguide.core import outbound

from .formats import ParsedEntry, label_for
from .formats.csljson import validate_item
from .models import DOI_RE, normalise_doi

# Crossref's etiquette allows a few parallel requests from one client.
PARALLEL_REQUESTS = 4

CROSSREF_TO_CSL_TYPE = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "entry",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "report": "report",
    "report-component": "report",
    "posted-content": "article",
    "proceedings-article": "paper-conference",
    "dataset": "dataset",
    "dissertation": "thesis",
    "standard": "standard",
}


class CrossrefError(Exception):
    """A DOI Crossref could not describe; the message says why, for the editor."""


def user_agent() -> str:
    """Crossref's "polite pool" asks for a contact address; send one only if configured."""
    mailto = (getattr(settings, "CROSSREF_MAILTO", "") or "").strip()
    return f"Fieldguide/1.0 (mailto:{mailto})" if mailto else "Fieldguide/1.0"


def fetch(doi: str, *, timeout: float = 10.0) -> dict:
    """The CSL item for `doi`, or CrossrefError naming the DOI and the reason."""
    doi = normalise_doi(doi)
    if not DOI_RE.match(doi):
        raise CrossrefError(f"DOI {doi!r}: not a DOI (expected 10.NNNN/suffix)")
    base = getattr(settings, "CROSSREF_API_URL", "https://api.crossref.org").rstrip("/")
    headers = {"User-Agent": user_agent()}
    try:
        response = outbound.fetch(
            f"{base}/works/{quote(doi, safe='/')}", headers=headers, timeout=timeout
        )
    except (httpx.HTTPError, outbound.OutboundRefused) as error:
        raise CrossrefError(f"DOI {doi}: Crossref could not be reached ({error})") from error
    if response.status_code == 404:
        raise CrossrefError(f"DOI {doi}: Crossref does not know this DOI")
    if response.status_code != 200:
        raise CrossrefError(f"DOI {doi}: Crossref answered HTTP {response.status_code}")
    try:
        message = json.loads(response.content)["message"]
    except (ValueError, KeyError, TypeError) as error:
        raise CrossrefError(f"DOI {doi}: Crossref's answer is not a works record") from error
    return work_to_csl(message)


def fetch_entries(dois: list[str]) -> list[ParsedEntry]:
    """One import entry per DOI, in order: its CSL item, or why Crossref had none."""

    def entry(numbered: tuple[int, str]) -> ParsedEntry:
        index, doi = numbered
        try:
            item = fetch(doi)
        except CrossrefError as error:
            return ParsedEntry(index, doi, errors=[str(error)])
        label = f"{doi}: {label_for(item)}"
        problems = validate_item(item)
        if problems:
            return ParsedEntry(index, label, errors=problems)
        return ParsedEntry(index, label, item)

    with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
        return list(pool.map(entry, enumerate(dois, 1)))


def _first(value) -> str:
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value or "").strip()


def _names(people: list) -> list[dict]:
    names = []
    for person in people or []:
        if person.get("family"):
            name = {"family": person["family"]}
            if person.get("given"):
                name["given"] = person["given"]
            names.append(name)
        elif person.get("name"):
            names.append({"literal": person["name"]})
    return names


def work_to_csl(message: dict) -> dict:
    """Crossref's works message to a CSL item (only the variables we can check)."""
    item: dict = {"type": CROSSREF_TO_CSL_TYPE.get(message.get("type"), "document")}
    title = _first(message.get("title"))
    subtitle = _first(message.get("subtitle"))
    if title:
        item["title"] = f"{title}: {subtitle}" if subtitle and subtitle not in title else title
    for role in ("author", "editor"):
        if message.get(role):
            item[role] = _names(message[role])
    for variable, key in (
        ("container-title", "container-title"),
        ("container-title-short", "short-container-title"),
    ):
        if _first(message.get(key)):
            item[variable] = _first(message.get(key))
    for variable in ("publisher", "volume", "issue", "page", "language", "edition"):
        if message.get(variable):
            item[variable] = str(message[variable])
    if message.get("publisher-location"):
        item["publisher-place"] = message["publisher-location"]
    for key in ("published-print", "published-online", "issued", "published"):
        parts = (message.get(key) or {}).get("date-parts")
        if parts and parts[0] and parts[0][0]:
            item["issued"] = {"date-parts": [[int(p) for p in parts[0]]]}
            break
    if message.get("DOI"):
        item["DOI"] = message["DOI"]
    if message.get("URL"):
        item["URL"] = message["URL"]
    for variable in ("ISSN", "ISBN"):
        if message.get(variable):
            item[variable] = _first(message[variable])
    return item
