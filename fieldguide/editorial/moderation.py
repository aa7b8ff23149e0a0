"""Accepting or declining a reader's suggestion.

Accepting builds a library resource from Crossref (for a DOI) or from the page's
<title> (for a plain URL), adds it to the section's Selected Resources and publishes the
section as a new revision.
"""

from __future__ import annotations

import httpx
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from fieldguide.guide.models import SectionResource
from fieldguide.library import crossref
from fieldguide.library.csl import from_csl
from fieldguide.library.models import Resource, ResourceType
from fieldguide.linkhealth.checker import DEFAULT_USER_AGENT
from fieldguide.linkhealth.heuristics import page_title
from fieldguide.linkhealth.revisions import publish_page_change

from .models import ResourceSuggestion, SuggestionState

FETCH_TIMEOUT = 10.0


class ModerationError(Exception):
    """The decision cannot be carried out; the message tells the editor what to do."""


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


def _build_resource(suggestion: ResourceSuggestion, title: str) -> Resource:
    if suggestion.doi:
        try:
            resource = from_csl(crossref.fetch(suggestion.doi, timeout=FETCH_TIMEOUT))
        except crossref.CrossrefError as error:
            if not title:
                raise ModerationError(f"{error}. Check it, or type a title.") from error
            resource = Resource(resource_type=ResourceType.ARTICLE)
        resource.doi = suggestion.doi
        resource.url = suggestion.url or resource.url
        resource.title = title or resource.title
        if not resource.title:
            raise ModerationError(f"Crossref gives no title for DOI {suggestion.doi}: type one.")
        resource.verified = not title
        return resource
    title = title or fetch_page_title(suggestion.url)
    if not title:
        raise ModerationError(
            f"No title could be read from {suggestion.url}. Type the title and accept again."
        )
    # Only the title came from the page: readers see it marked unverified until an
    # editor completes and checks the details.
    return Resource(
        title=title, url=suggestion.url, resource_type=ResourceType.WEBSITE, verified=False
    )


def accept(suggestion: ResourceSuggestion, user=None, title: str = "", note: str = "") -> Resource:
    """Create the resource, add it to the section and publish the section."""
    if suggestion.state != SuggestionState.PENDING:
        raise ModerationError("This suggestion has already been decided.")
    resource = _build_resource(suggestion, title.strip())
    with transaction.atomic():
        resource.key = unique_key(resource.title)
        resource.save()
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
