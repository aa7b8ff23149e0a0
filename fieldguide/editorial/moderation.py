"""Accepting or declining a reader's suggestion.

Accepting builds a library resource from Crossref (for a DOI) or from the page's
<title> (for a plain URL), adds it to the section's Selected Resources and publishes the
section as a new revision. The page is fetched through the outbound client: an address
that is not public (or redirects to one) is refused, and nothing is published.
"""

from __future__ import annotations

import httpx
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from fieldguide.core import outbound
from fieldguide.guide.models import SectionResource
from fieldguide.library import crossref
from fieldguide.library.csl import from_csl
from fieldguide.library.models import Resource, ResourceType
from fieldguide.linkhealth.checker import DEFAULT_USER_AGENT
from fieldguide.linkhealth.heuristics import page_title
from fieldguide.linkhealth.revisions import publish_page_change

from .models import ResourceSuggestion, SuggestionState

FETCH_TIMEOUT = 10.0
# The <title> is in the head: the first 256 KB of a page is plenty.
TITLE_BYTES = 256 * 1024


class ModerationError(Exception):
    """The decision cannot be carried out; the message tells the editor what to do."""


def refused(exc: outbound.OutboundRefused) -> ModerationError:
    return ModerationError(
        f"The suggested address was not fetched and nothing was published. {exc} "
        "Decline the suggestion, or ask the reader for the public address."
    )


def fetch_page_title(url: str) -> str:
    """The <title> of the page at ``url``, or "" if it cannot be read.

    Raises OutboundRefused when the outbound client will not fetch the address.
    """
    try:
        page = outbound.fetch(
            url,
            headers={"User-Agent": DEFAULT_USER_AGENT},
            timeout=FETCH_TIMEOUT,
            max_bytes=TITLE_BYTES,
            truncate=True,
        )
    except httpx.HTTPError:
        return ""
    if page.status_code != 200:
        return ""
    return page_title(page.content.decode("utf-8", "replace"))[:500]


def unique_key(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "suggested-resource"
    key, n = base, 1
    while Resource.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _build_resource(suggestion: ResourceSuggestion, title: str) -> Resource:
    if suggestion.url:
        # Even with a typed title, never publish a link to an address that is not public.
        try:
            outbound.validate_url(suggestion.url, resolve=True)
        except outbound.OutboundRefused as exc:
            raise refused(exc) from exc
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
    try:
        title = title or fetch_page_title(suggestion.url)
    except outbound.OutboundRefused as exc:
        raise refused(exc) from exc
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
