"""Accepting or declining a reader's suggestion.

Accepting builds a library resource from Crossref (for a DOI) or from the page's
<title> (for a plain URL), adds it to the section's Selected Resources and publishes the
section as a new revision.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from fieldguide.guide.models import SectionResource
from fieldguide.library.models import Creator, Resource, ResourceType
from fieldguide.linkhealth.checker import DEFAULT_USER_AGENT
from fieldguide.linkhealth.heuristics import page_title
from fieldguide.linkhealth.revisions import publish_page_change

from .models import ResourceSuggestion, SuggestionState

CROSSREF_TYPES = {
    "journal-article": ResourceType.ARTICLE,
    "report": ResourceType.REPORT,
    "report-component": ResourceType.REPORT,
    "book": ResourceType.BOOK,
    "monograph": ResourceType.BOOK,
    "edited-book": ResourceType.BOOK,
    "book-chapter": ResourceType.CHAPTER,
    "dataset": ResourceType.DATASET,
    "posted-content": ResourceType.ARTICLE,
}
FETCH_TIMEOUT = 10.0


class ModerationError(Exception):
    """The decision cannot be carried out; the message tells the editor what to do."""


def crossref_base() -> str:
    return getattr(settings, "FIELDGUIDE_CROSSREF_API", "https://api.crossref.org").rstrip("/")


def _first(value) -> str:
    if isinstance(value, list):
        return str(value[0]).strip() if value else ""
    return str(value or "").strip()


def fetch_crossref(doi: str) -> dict:
    """Resource fields and creators for ``doi`` from Crossref's works API."""
    url = f"{crossref_base()}/works/{quote(doi, safe='/')}"
    try:
        response = httpx.get(url, timeout=FETCH_TIMEOUT, headers={"User-Agent": DEFAULT_USER_AGENT})
    except httpx.HTTPError as exc:
        raise ModerationError(f"Crossref could not be reached for DOI {doi}: {exc}") from exc
    if response.status_code == 404:
        raise ModerationError(f"Crossref has no record of DOI {doi}. Check it, or type a title.")
    if response.status_code != 200:
        raise ModerationError(f"Crossref answered {response.status_code} for DOI {doi}.")
    try:
        message = response.json()["message"]
    except (ValueError, KeyError, TypeError):
        raise ModerationError(f"Crossref's answer for DOI {doi} could not be read.") from None
    parts = ((message.get("issued") or {}).get("date-parts") or [[]])[0] or []
    parts = [p for p in parts if isinstance(p, int)]
    fields = {
        "title": _first(message.get("title"))[:500],
        "container": _first(message.get("container-title"))[:300],
        "publisher": _first(message.get("publisher"))[:300],
        "volume": _first(message.get("volume"))[:40],
        "issue": _first(message.get("issue"))[:40],
        "pages": _first(message.get("page"))[:40],
        "resource_type": CROSSREF_TYPES.get(message.get("type"), ResourceType.REPORT),
        "issued_year": parts[0] if len(parts) > 0 and 1800 <= parts[0] <= 2100 else None,
        "issued_month": parts[1] if len(parts) > 1 and 1 <= parts[1] <= 12 else None,
        "issued_day": parts[2] if len(parts) > 2 and 1 <= parts[2] <= 31 else None,
    }
    creators = []
    for author in message.get("author") or []:
        if author.get("family"):
            creators.append(
                {"family": author["family"][:200], "given": author.get("given", "")[:200]}
            )
        elif author.get("name"):
            creators.append({"literal": author["name"][:300]})
    return {"fields": fields, "creators": creators}


def fetch_page_title(url: str) -> str:
    """The <title> of the page at ``url``, or an empty string if it cannot be read."""
    try:
        with httpx.stream(
            "GET",
            url,
            timeout=FETCH_TIMEOUT,
            follow_redirects=True,
            headers={"User-Agent": DEFAULT_USER_AGENT},
        ) as response:
            if response.status_code != 200:
                return ""
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > 256 * 1024:
                    break
    except httpx.HTTPError:
        return ""
    return page_title(body.decode("utf-8", "replace"))[:500]


def unique_key(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "suggested-resource"
    key, n = base, 1
    while Resource.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _build_resource(suggestion: ResourceSuggestion, title: str) -> tuple[Resource, list[dict]]:
    if suggestion.doi:
        try:
            data = fetch_crossref(suggestion.doi)
        except ModerationError:
            if not title:
                raise
            data = {"fields": {"resource_type": ResourceType.ARTICLE}, "creators": []}
        fields = data["fields"]
        fields["title"] = title or fields.get("title", "")
        if not fields["title"]:
            raise ModerationError(f"Crossref gives no title for DOI {suggestion.doi}: type one.")
        resource = Resource(doi=suggestion.doi, url=suggestion.url, verified=not title, **fields)
        return resource, data["creators"]
    title = title or fetch_page_title(suggestion.url)
    if not title:
        raise ModerationError(
            f"No title could be read from {suggestion.url}. Type the title and accept again."
        )
    # Only the title came from the page: readers see it marked unverified until an
    # editor completes and checks the details.
    resource = Resource(
        title=title, url=suggestion.url, resource_type=ResourceType.WEBSITE, verified=False
    )
    return resource, []


def accept(suggestion: ResourceSuggestion, user=None, title: str = "", note: str = "") -> Resource:
    """Create the resource, add it to the section and publish the section."""
    if suggestion.state != SuggestionState.PENDING:
        raise ModerationError("This suggestion has already been decided.")
    resource, creators = _build_resource(suggestion, title.strip())
    with transaction.atomic():
        resource.key = unique_key(resource.title)
        resource.save()
        for position, creator in enumerate(creators):
            Creator.objects.create(resource=resource, sort_order=position, **creator)
        resource.save_revision(user=user, log_action=True)

        def add_resource(page) -> bool:
            items = list(page.selected_resources.all())
            items.append(SectionResource(resource=resource, note=note.strip()))
            page.selected_resources = items
            return True

        publish_page_change(suggestion.section, add_resource, user)
        suggestion.state = SuggestionState.ACCEPTED
        suggestion.resource = resource
        suggestion.decided_at = timezone.now()
        suggestion.decided_by = user
        suggestion.save()
    return resource


def decline(suggestion: ResourceSuggestion, note: str, user=None) -> None:
    if suggestion.state != SuggestionState.PENDING:
        raise ModerationError("This suggestion has already been decided.")
    suggestion.state = SuggestionState.DECLINED
    suggestion.decision_note = note
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = user
    suggestion.save()
