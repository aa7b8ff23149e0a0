"""Find every external URL the guide shows readers, and where each one appears."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import transaction

from fieldguide.guide.models import Action, GlossaryTerm, SectionPage, StandardPage
from fieldguide.library.models import SOCIAL_FIELDS, Profile, Resource

from .models import Link, LinkUsage, UsageKind

MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Usage:
    url: str
    kind: str
    object_id: int
    field: str
    label: str
    section_id: int | None = None


class _HrefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if is_checkable(href):
                self.hrefs.append(href.strip())


def is_checkable(url: str) -> bool:
    url = (url or "").strip().lower()
    return url.startswith(("http://", "https://")) and len(url) <= MAX_URL_LENGTH


def rich_text_links(html: str) -> list[str]:
    """External hrefs in stored rich text (internal page and document links are skipped)."""
    parser = _HrefParser()
    parser.feed(html or "")
    return list(dict.fromkeys(parser.hrefs))


def _sections_by_resource() -> dict[int, set[int]]:
    mapping: dict[int, set[int]] = {}
    for section in SectionPage.objects.live().prefetch_related("selected_resources"):
        for item in section.selected_resources.all():
            mapping.setdefault(item.resource_id, set()).add(section.pk)
    return mapping


def _sections_by_profile() -> dict[int, set[int]]:
    mapping: dict[int, set[int]] = {}
    for section in SectionPage.objects.live().prefetch_related("follow"):
        for item in section.follow.all():
            mapping.setdefault(item.profile_id, set()).add(section.pk)
    return mapping


def _per_section(usage: Usage, section_ids: set[int]) -> list[Usage]:
    if not section_ids:
        return [usage]
    return [
        Usage(usage.url, usage.kind, usage.object_id, usage.field, usage.label, section_id)
        for section_id in sorted(section_ids)
    ]


def collect_usages() -> list[Usage]:
    """Every external link on live pages and in the shared library, with where it is used."""
    usages: list[Usage] = []
    by_resource = _sections_by_resource()
    for resource in Resource.objects.all():
        sections = by_resource.get(resource.pk, set())
        if is_checkable(resource.url):
            usages += _per_section(
                Usage(resource.url, UsageKind.RESOURCE_URL, resource.pk, "url", resource.title),
                sections,
            )
        if resource.doi:
            doi_url = f"https://doi.org/{resource.doi}"
            usages += _per_section(
                Usage(doi_url, UsageKind.RESOURCE_DOI, resource.pk, "doi", resource.title),
                sections,
            )
    by_profile = _sections_by_profile()
    for profile in Profile.objects.all():
        for name in ["website", *(field for field, _ in SOCIAL_FIELDS)]:
            url = getattr(profile, name)
            if is_checkable(url):
                usage = Usage(url, UsageKind.PROFILE, profile.pk, name, profile.name)
                usages += _per_section(usage, by_profile.get(profile.pk, set()))
    for section in SectionPage.objects.live():
        for url in rich_text_links(section.introduction):
            usages.append(
                Usage(
                    url,
                    UsageKind.SECTION_TEXT,
                    section.pk,
                    "introduction",
                    section.title,
                    section.pk,
                )
            )
    for action in Action.objects.filter(page__live=True).select_related("page"):
        if is_checkable(action.url):
            usages.append(
                Usage(
                    action.url, UsageKind.ACTION_URL, action.pk, "url", action.title, action.page_id
                )
            )
        for url in rich_text_links(action.description):
            usages.append(
                Usage(
                    url,
                    UsageKind.ACTION_TEXT,
                    action.pk,
                    "description",
                    action.title,
                    action.page_id,
                )
            )
    for page in StandardPage.objects.live():
        for url in rich_text_links(page.body):
            usages.append(Usage(url, UsageKind.STANDARD_TEXT, page.pk, "body", page.title))
    for term in GlossaryTerm.objects.all():
        for url in rich_text_links(term.definition):
            usages.append(Usage(url, UsageKind.GLOSSARY_TEXT, term.pk, "definition", term.term))
    return list(dict.fromkeys(usages))


@transaction.atomic
def sync_usages(usages: list[Usage] | None = None) -> list[Link]:
    """Make a Link for each URL in use and rebuild the usage index; returns the links in use."""
    usages = collect_usages() if usages is None else usages
    urls = list(dict.fromkeys(u.url for u in usages))
    existing = {link.url: link for link in Link.objects.filter(url__in=urls)}
    for url in urls:
        if url not in existing:
            existing[url] = Link.objects.create(url=url)
    LinkUsage.objects.all().delete()
    LinkUsage.objects.bulk_create(
        LinkUsage(
            link=existing[u.url],
            kind=u.kind,
            object_id=u.object_id,
            field=u.field,
            label=u.label[:300],
            section_id=u.section_id,
        )
        for u in usages
    )
    return [existing[url] for url in urls]
