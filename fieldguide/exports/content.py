"""What goes into an edition, gathered once from the database for any output format.

An edition is the whole guide, one section, or the discussion guide. The same
``EditionContent`` feeds the PDF (one HTML document, links are ``#anchors``), the
EPUB (one XHTML file per chapter) and the printable HTML page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from urllib.parse import urljoin

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from fieldguide.guide.freshness import guide_updated_at
from fieldguide.guide.licenses import PAGE_SIZES, License, PaperSize
from fieldguide.guide.models import (
    GlossaryPage,
    GlossaryTerm,
    GuideHomePage,
    GuideSettings,
    SectionPage,
)
from fieldguide.guide.templatetags.guide_tags import link_first_mentions
from fieldguide.library.models import Profile, Resource

from .citations import citation_html
from .editions import EditionKind, EditionSpec

HREF_RE = re.compile(r'href="([^"]*)"')
GLOSSARY_SENTINEL = "fieldguide-glossary:"
TERM_LINK_RE = re.compile(r'href="' + re.escape(GLOSSARY_SENTINEL) + r'#([^"]+)"')


@dataclass(frozen=True)
class Layout:
    """Where things live in one output format: a single document or one file per chapter."""

    name: str
    chapter_file: Callable[[str], str]

    def href(self, anchor: str) -> str:
        return self.chapter_file(anchor)

    def term_href(self, slug: str) -> str:
        glossary = self.chapter_file("glossary")
        return f"#term-{slug}" if glossary.startswith("#") else f"{glossary}#term-{slug}"


SINGLE_DOCUMENT = Layout("document", lambda anchor: f"#{anchor}")
CHAPTER_FILES = Layout("chapters", lambda anchor: f"{anchor}.xhtml")


@dataclass
class ResourceEntry:
    resource: Resource
    note: str
    citation: SafeString


@dataclass
class ActionEntry:
    kind: str
    title: str
    description: SafeString
    url: str


# A facilitator's session: an opening, the questions, one action to try. The minutes are
# suggestions printed in the discussion guide; the questions share what is left.
SESSION_MINUTES = 60
OPENING_MINUTES = 10
ACTION_MINUTES = 10


@dataclass
class PlannedQuestion:
    text: str
    minutes: int


@dataclass
class SessionPlan:
    total_minutes: int
    opening_minutes: int
    questions: list[PlannedQuestion]
    action_minutes: int
    action: ActionEntry | None


def session_plan(questions: list[str], actions: list[ActionEntry]) -> SessionPlan:
    """Split the discussion time over the questions in whole minutes, earlier ones first."""
    action = actions[0] if actions else None
    action_minutes = ACTION_MINUTES if action else 0
    available = SESSION_MINUTES - OPENING_MINUTES - action_minutes
    count = len(questions)
    planned = [
        PlannedQuestion(text, available // count + (1 if i < available % count else 0))
        for i, text in enumerate(questions)
    ]
    return SessionPlan(
        total_minutes=OPENING_MINUTES + sum(q.minutes for q in planned) + action_minutes,
        opening_minutes=OPENING_MINUTES,
        questions=planned,
        action_minutes=action_minutes,
        action=action,
    )


@dataclass
class SectionContent:
    page: SectionPage
    number: int
    anchor: str
    href: str
    summary: str
    introduction: SafeString
    updated_at: datetime | None
    url: str
    resources: list[ResourceEntry]
    questions: list[str]
    profiles: list[Profile]
    actions: list[ActionEntry]
    reading_minutes: int = 0
    session: SessionPlan | None = None

    @property
    def title(self) -> str:
        return self.page.title


@dataclass
class TermEntry:
    term: GlossaryTerm
    anchor: str
    definition: SafeString
    related: list[tuple[str, str]]


@dataclass
class Chapter:
    """One entry of the table of contents, and one file of an EPUB."""

    anchor: str
    title: str
    href: str
    template: str
    section: SectionContent | None = None


@dataclass
class EditionContent:
    spec: EditionSpec
    home: GuideHomePage
    layout: Layout
    title: str
    edition_label: str
    updated_at: datetime | None
    url: str
    site_url: str = ""
    section_count: int = 0
    license: License | None = None
    paper_size: str = PaperSize.LETTER
    about: dict[str, SafeString] = field(default_factory=dict)
    sections: list[SectionContent] = field(default_factory=list)
    terms: list[TermEntry] = field(default_factory=list)
    references: list[SafeString] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)

    @property
    def guide_title(self) -> str:
        return self.home.title

    @property
    def subtitle(self) -> str:
        return self.home.subtitle

    @property
    def is_discussion(self) -> bool:
        return self.spec.kind == EditionKind.DISCUSSION

    @property
    def page_size(self) -> str:
        """The CSS name of the PDF's paper size (``letter`` or ``A4``)."""
        return PAGE_SIZES[PaperSize(self.paper_size)]


class RichText:
    """Turns stored rich text into edition HTML whose links work inside the edition."""

    def __init__(self, layout: Layout, page_targets: dict[str, str], base_url: str):
        self.layout = layout
        self.page_targets = page_targets
        self.base_url = base_url

    def _link(self, match: re.Match) -> str:
        href = unescape(match.group(1))
        if href.startswith(("#", GLOSSARY_SENTINEL)) or re.match(r"^[a-z][a-z0-9+.-]*:", href):
            return match.group(0)
        path, _, fragment = href.partition("#")
        target = self.page_targets.get(path)
        if target is None:
            target = urljoin(self.base_url, href)
        elif fragment and target == self.layout.href("glossary"):
            target = self.layout.term_href(fragment)
        return f'href="{escape(target)}"'

    def render(self, value: str) -> SafeString:
        return mark_safe(HREF_RE.sub(self._link, expand_db_html(value or "")))  # noqa: S308

    def with_terms(self, value: str, terms: list[GlossaryTerm], mentioned: set[str]) -> SafeString:
        """Render ``value`` and link each glossary term's first mention to its entry."""
        html = link_first_mentions(str(self.render(value)), terms, GLOSSARY_SENTINEL)

        def term_link(match: re.Match) -> str:
            mentioned.add(match.group(1))
            return f'href="{escape(self.layout.term_href(match.group(1)))}"'

        return mark_safe(TERM_LINK_RE.sub(term_link, html))  # noqa: S308


def _path(url: str | None) -> str:
    """The path part of a page URL (Wagtail gives relative or absolute URLs)."""
    if not url:
        return ""
    return re.sub(r"^[a-z]+://[^/]+", "", url)


def live_sections(home: GuideHomePage) -> list[SectionPage]:
    return list(
        SectionPage.objects.child_of(home).live().public().order_by("path").select_related("status")
    )


def _section_content(
    section: SectionPage, number: int, layout: Layout, rich: RichText, terms, mentioned
) -> SectionContent:
    anchor = f"section-{number}"
    resources = [
        ResourceEntry(item.resource, item.note, citation_html(item.resource))
        for item in section.selected_resources.select_related("resource").prefetch_related(
            "resource__creators"
        )
    ]
    return SectionContent(
        page=section,
        number=number,
        anchor=anchor,
        href=layout.href(anchor),
        summary=section.summary,
        introduction=rich.with_terms(section.introduction, terms, mentioned),
        updated_at=section.content_changed_at,
        url=section.full_url or "",
        resources=resources,
        questions=[q.text for q in section.questions.all()],
        profiles=[item.profile for item in section.follow.select_related("profile")],
        actions=[
            ActionEntry(a.get_kind_display(), a.title, rich.render(a.description), a.url)
            for a in section.actions.all()
        ],
        reading_minutes=section.reading_minutes,
    )


def _term_entries(terms: list[GlossaryTerm], rich: RichText, layout: Layout) -> list[TermEntry]:
    included = {t.slug for t in terms}
    return [
        TermEntry(
            term=term,
            anchor=f"term-{term.slug}",
            definition=rich.render(term.definition),
            related=[
                (other.term, layout.term_href(other.slug))
                for other in term.related_terms.all()
                if other.slug in included
            ],
        )
        for term in terms
    ]


def _references(sections: list[SectionContent]) -> list[SafeString]:
    seen: dict[int, ResourceEntry] = {}
    for section in sections:
        for entry in section.resources:
            seen.setdefault(entry.resource.pk, entry)
    ordered = sorted(
        seen.values(),
        key=lambda e: (e.resource.creators_display or e.resource.title).casefold(),
    )
    return [entry.citation for entry in ordered]


def gather(home: GuideHomePage, spec: EditionSpec, layout: Layout) -> EditionContent:
    """Collect everything the edition ``spec`` of ``home`` shows, laid out for ``layout``."""
    all_sections = live_sections(home)
    if spec.kind == EditionKind.SECTION:
        numbered = [(n, s) for n, s in enumerate(all_sections, 1) if s.slug == spec.section_slug]
    else:
        numbered = list(enumerate(all_sections, 1))
    site_url = home.full_url or "/"
    glossary_page = GlossaryPage.objects.child_of(home).live().first()
    page_targets = {_path(s.url): layout.href(f"section-{n}") for n, s in numbered}
    if glossary_page is not None and spec.kind != EditionKind.SECTION:
        page_targets[_path(glossary_page.url)] = layout.href("glossary")
    rich = RichText(layout, page_targets, site_url)
    all_terms = list(GlossaryTerm.objects.prefetch_related("related_terms"))
    mentioned: set[str] = set()
    sections = [_section_content(s, n, layout, rich, all_terms, mentioned) for n, s in numbered]
    if spec.kind == EditionKind.DISCUSSION:
        for section in sections:
            if section.questions:
                section.session = session_plan(section.questions, section.actions)
    site = home.get_site()
    guide_settings = GuideSettings.current(site)

    if spec.kind == EditionKind.SECTION:
        section = sections[0]
        title = f"{section.number}. {section.title}"
        label = f"Section {section.number} of {len(all_sections)}"
        updated = section.updated_at
        url = section.url
        terms = [t for t in all_terms if t.slug in mentioned]
    else:
        title = "Discussion guide" if spec.kind == EditionKind.DISCUSSION else home.title
        label = "Discussion guide" if spec.kind == EditionKind.DISCUSSION else "Complete guide"
        updated = guide_updated_at(home)
        url = site_url
        terms = all_terms

    content = EditionContent(
        spec=spec,
        home=home,
        layout=layout,
        title=title,
        edition_label=label,
        updated_at=updated,
        url=url,
        site_url=site_url,
        section_count=len(all_sections),
        license=guide_settings.license_info,
        paper_size=guide_settings.paper_size,
        sections=sections,
        terms=_term_entries(terms, rich, layout),
        references=_references(sections),
    )
    if spec.kind != EditionKind.SECTION:
        content.about = {
            key: rich.render(getattr(home, key))
            for key in ("introduction", "who_it_is_for", "how_to_use")
            if getattr(home, key)
        }
    content.chapters = _chapters(content)
    return content


def _chapters(content: EditionContent) -> list[Chapter]:
    layout = content.layout
    chapters: list[Chapter] = []
    if content.about:
        title = "Using this discussion guide" if content.is_discussion else "About this guide"
        chapters.append(
            Chapter("about", title, layout.href("about"), "exports/includes/about.html")
        )
    section_template = (
        "exports/includes/discussion_section.html"
        if content.is_discussion
        else "exports/includes/section.html"
    )
    for section in content.sections:
        chapters.append(
            Chapter(
                section.anchor,
                f"{section.number}. {section.title}",
                section.href,
                section_template,
                section,
            )
        )
    if content.terms:
        chapters.append(
            Chapter(
                "glossary", "Glossary", layout.href("glossary"), "exports/includes/glossary.html"
            )
        )
    if content.references:
        chapters.append(
            Chapter(
                "references",
                "Resources cited",
                layout.href("references"),
                "exports/includes/references.html",
            )
        )
    return chapters
