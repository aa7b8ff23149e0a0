"""Accepting or declining a reader's suggestion, in two steps.

1. ``propose`` fetches the metadata, from Crossref (for a DOI) or the page's <title>
   (for a plain URL), and finds duplicates in the library and on the section. The editor
   sees it as it will be cited. Nothing is saved.
2. ``accept`` saves exactly what was proposed (the editor may retype the title), adds it
   at the end of the section's Selected Resources, and publishes the section as a new
   revision, or saves it in a draft revision for later.

Pages are fetched through the outbound client: an address that is not public (or
redirects to one) is refused, and nothing is published. A reader who left an email is
sent one message with the decision, and the address is then deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from fieldguide.core import outbound
from fieldguide.guide.models import SectionResource
from fieldguide.library import crossref
from fieldguide.library.csl import from_csl, to_csl
from fieldguide.library.importing import find_duplicate
from fieldguide.library.models import Resource, ResourceType, normalise_doi, unique_key_for
from fieldguide.linkhealth.checker import DEFAULT_USER_AGENT
from fieldguide.linkhealth.heuristics import page_title
from fieldguide.linkhealth.revisions import publish_page_change

from .models import ResourceSuggestion, SuggestionState

logger = logging.getLogger(__name__)

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


def normalise_url(url: str) -> str:
    """The form of a web address used to spot the same page twice.

    Scheme, ``www.``, letter case of the host, a trailing slash, the fragment and
    ``utm_`` tracking parameters do not make a different page.
    """
    parts = urlsplit((url or "").strip())
    if not parts.netloc:
        return ""
    host = parts.netloc.lower().removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))


@dataclass
class Duplicate:
    resource: Resource
    reason: str
    on_section: bool


@dataclass
class Proposal:
    """A resource as accepting would save it, and what it may duplicate."""

    resource: Resource
    problem: str = ""
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def on_section(self) -> bool:
        return any(d.on_section for d in self.duplicates)

    def payload(self) -> dict:
        """What the editor saw, to be saved as it is (signed into the accept form)."""
        return {
            "csl": to_csl(self.resource, self.resource.creators.all()),
            "verified": self.resource.verified,
        }

    @classmethod
    def from_payload(cls, payload: dict) -> Proposal:
        resource = from_csl(dict(payload["csl"]))
        resource.verified = bool(payload.get("verified"))
        return cls(resource=resource)


def find_duplicates(resource: Resource, section) -> list[Duplicate]:
    """Library resources that are the same work (DOI, URL after normalisation, or
    title and year), each marked if the section already shows it."""
    on_section = set(section.selected_resources.values_list("resource_id", flat=True))
    found: dict[int, str] = {}
    if resource.doi:
        for match in Resource.objects.filter(doi__iexact=normalise_doi(resource.doi)):
            found.setdefault(match.pk, f"same DOI {resource.doi}")
    address = normalise_url(resource.url)
    if address:
        host = urlsplit(resource.url).netloc.lower().removeprefix("www.")
        for match in Resource.objects.filter(url__icontains=host).exclude(pk__in=found):
            if normalise_url(match.url) == address:
                found.setdefault(match.pk, f"same address {match.url}")
    match, reason = find_duplicate({"title": resource.title, "issued": _issued(resource)})
    if match is not None:
        found.setdefault(match.pk, reason)
    resources = Resource.objects.in_bulk(list(found))
    return [
        Duplicate(resources[pk], reason, pk in on_section)
        for pk, reason in found.items()
        if pk in resources
    ]


def _issued(resource: Resource) -> dict:
    return {"date-parts": [[resource.issued_year]]} if resource.issued_year else {}


def _check_address(suggestion: ResourceSuggestion) -> None:
    if suggestion.url:
        # Even with a typed title, never publish a link to an address that is not public.
        try:
            outbound.validate_url(suggestion.url, resolve=True)
        except outbound.OutboundRefused as exc:
            raise refused(exc) from exc


def _fetch_resource(suggestion: ResourceSuggestion) -> tuple[Resource, str]:
    """The resource the suggestion points at, and what could not be found out."""
    _check_address(suggestion)
    if suggestion.doi:
        try:
            resource = from_csl(crossref.fetch(suggestion.doi, timeout=FETCH_TIMEOUT))
        except crossref.CrossrefError as error:
            resource = Resource(resource_type=ResourceType.ARTICLE, verified=False)
            resource.creators = []
            problem = f"{error}. Check it, or type a title."
        else:
            problem = (
                ""
                if resource.title
                else (f"Crossref gives no title for DOI {suggestion.doi}: type one.")
            )
        resource.doi = suggestion.doi
        resource.url = suggestion.url or resource.url
        return resource, problem
    try:
        title = fetch_page_title(suggestion.url)
    except outbound.OutboundRefused as exc:
        raise refused(exc) from exc
    # Only the title came from the page: readers see it marked unverified until an
    # editor completes and checks the details.
    resource = Resource(
        title=title, url=suggestion.url, resource_type=ResourceType.WEBSITE, verified=False
    )
    resource.creators = []
    problem = (
        ""
        if title
        else (f"No title could be read from {suggestion.url}. Type the title and accept again.")
    )
    return resource, problem


def propose(suggestion: ResourceSuggestion) -> Proposal:
    """Step 1: fetch the metadata and look for duplicates; nothing is saved."""
    if suggestion.state != SuggestionState.PENDING:
        raise ModerationError("This suggestion has already been decided.")
    resource, problem = _fetch_resource(suggestion)
    return Proposal(resource, problem, find_duplicates(resource, suggestion.section))


def _append_to(page, resource: Resource, note: str) -> bool:
    """Add ``resource`` after the section's last resource, on every database.

    An item saved without a sort order sorts first on SQLite and last on PostgreSQL
    (NULLs), so every item is numbered in the order readers see now, the new one last.
    """
    items = list(page.selected_resources.all())
    items.append(SectionResource(resource=resource, note=note.strip()))
    for position, item in enumerate(items):
        item.sort_order = position
    page.selected_resources = items
    return True


def save_in_draft(page, change, user=None) -> None:
    """Apply ``change`` to the page's latest revision and save it as a draft."""
    draft = page.get_latest_revision_as_object()
    change(draft)
    draft.save_revision(user=user, log_action=True)


def accept(
    suggestion: ResourceSuggestion,
    user=None,
    title: str = "",
    note: str = "",
    *,
    proposal: Proposal | None = None,
    publish: bool = True,
) -> Resource:
    """Step 2: save the proposed resource, add it to the section, publish (or draft) it.

    Without ``proposal`` the metadata is fetched now (commands and tests); the admin
    always passes the proposal the editor saw.
    """
    if suggestion.state != SuggestionState.PENDING:
        raise ModerationError("This suggestion has already been decided.")
    if proposal is None:
        proposal = propose(suggestion)
    else:
        _check_address(suggestion)
    resource = proposal.resource
    title = title.strip()
    if title and title != resource.title:
        # A title the editor typed was not checked against the source.
        resource.title, resource.verified = title, False
    if not resource.title:
        raise ModerationError(proposal.problem or "Type a title for the resource.")
    creators = list(resource.creators.all())
    with transaction.atomic():
        resource.key = unique_key_for(resource.title)
        resource.creators = creators
        resource.save()
        resource.save_revision(user=user, log_action=True)

        def add_resource(page) -> bool:
            return _append_to(page, resource, note)

        if publish:
            publish_page_change(suggestion.section, add_resource, user)
            suggestion.state = SuggestionState.ACCEPTED
        else:
            save_in_draft(suggestion.section, add_resource, user)
            suggestion.state = SuggestionState.DRAFTED
        suggestion.resource = resource
        suggestion.decided_at = timezone.now()
        suggestion.decided_by = user
        suggestion.decision_note = note.strip()
        suggestion.save()
    tell_reader(suggestion)
    return resource


def decline(suggestion: ResourceSuggestion, note: str, user=None) -> None:
    if suggestion.state != SuggestionState.PENDING:
        raise ModerationError("This suggestion has already been decided.")
    suggestion.state = SuggestionState.DECLINED
    suggestion.decision_note = note
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = user
    suggestion.save()
    tell_reader(suggestion)


OUTCOMES = {
    SuggestionState.ACCEPTED: "The editors added it to the section “{section}”: {url}",
    SuggestionState.DRAFTED: (
        "The editors accepted it for the section “{section}”; it will appear there when "
        "the section is next published: {url}"
    ),
    SuggestionState.DECLINED: "The editors decided not to add it to the section “{section}”.",
}


def tell_reader(suggestion: ResourceSuggestion) -> bool:
    """Email the decision to the reader who asked for it, then forget the address.

    One message through Django's mail; whether or not it could be sent, the address is
    deleted, and nothing of it (or of the reader's words) is logged.
    """
    if not suggestion.email:
        return False
    section = suggestion.section
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    outcome = OUTCOMES[suggestion.state].format(
        section=section.title, url=f"{base}{section.url or ''}"
    )
    body = (
        f"Thank you for suggesting {suggestion.address}.\n\n{outcome}\n\n"
        "Your email address has now been deleted from the site.\n"
    )
    try:
        sent = send_mail(
            subject=f"[{settings.WAGTAIL_SITE_NAME}] Your suggestion: "
            f"{suggestion.get_state_display().lower()}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[suggestion.email],
        )
    except Exception as error:  # a mail server failing must not undo the decision
        logger.warning(
            "Suggestion %s: decision email failed (%s)", suggestion.pk, type(error).__name__
        )
        sent = 0
    suggestion.email = ""
    suggestion.save(update_fields=["email"])
    return bool(sent)
