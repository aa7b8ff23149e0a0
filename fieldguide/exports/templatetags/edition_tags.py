"""The download links shown on the guide home and on each section page."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

from fieldguide.guide.models import GuideHomePage, SectionPage

from ..editions import FORMAT_LABELS, EditionFormat, EditionKind, EditionSpec
from ..store import known_size
from ..version import content_version

register = template.Library()


@dataclass
class DownloadLink:
    href: str
    label: str
    content_type: str
    size: int | None


@dataclass
class DownloadGroup:
    label: str
    links: list[DownloadLink]


def edition_url(spec: EditionSpec) -> str:
    if spec.kind == EditionKind.SECTION:
        return reverse(
            "exports:section_edition", kwargs={"slug": spec.section_slug, "fmt": spec.fmt}
        )
    name = "discussion-guide" if spec.kind == EditionKind.DISCUSSION else "guide"
    return reverse("exports:guide_edition", kwargs={"name": name, "fmt": spec.fmt})


def _group(label: str, home, version: str, kind: EditionKind, slug: str = "") -> DownloadGroup:
    links = []
    for fmt in EditionFormat:
        spec = EditionSpec(kind, fmt, slug)
        links.append(
            DownloadLink(
                edition_url(spec),
                FORMAT_LABELS[fmt],
                spec.content_type,
                known_size(home, spec, version),
            )
        )
    return DownloadGroup(label, links)


@register.inclusion_tag("exports/includes/download_links.html", takes_context=True)
def edition_downloads(context) -> dict:
    """Links to this section's, the guide's and the discussion guide's PDF and EPUB.

    Sizes are shown for files already built at the current content version; nothing is
    built while rendering a page.
    """
    home = context.get("guide_home")
    page = context.get("page")
    if not isinstance(home, GuideHomePage):
        return {"groups": []}
    version = content_version(home)
    groups = []
    if isinstance(page, SectionPage):
        groups.append(_group("This section", home, version, EditionKind.SECTION, page.slug))
    groups.append(_group("The whole guide", home, version, EditionKind.GUIDE))
    groups.append(_group("Discussion guide", home, version, EditionKind.DISCUSSION))
    return {"groups": groups}
