"""Writing a guide from the database back out as a bundle (docs/bundle-format.md).

The export reads the database, not the files the guide was first loaded from, so
editors' changes in the admin are in it; ``load_guide`` loads it into a fresh database
with the same content. Rich text is written back as Markdown (internal page links as
the pages' addresses).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from markdownify import markdownify
from wagtail.rich_text import expand_db_html

from fieldguide.library.models import Creator, Profile, Resource

from .bundle import FORMAT_VERSION, PROFILE_TEXT_FIELDS, RESOURCE_TEXT_FIELDS
from .models import ContactPage, GlossaryPage, GlossaryTerm, GuideHomePage, SectionPage


class _Dumper(yaml.SafeDumper):
    """Never writes anchors or aliases: the loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def to_markdown(html: str) -> str:
    """Rich text (as stored) to the Markdown the bundle reader renders back to it."""
    if not html:
        return ""
    text = markdownify(expand_db_html(html), heading_style="ATX", bullets="-")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _front_matter(meta: dict, body: str) -> str:
    return f"---\n{_yaml(meta)}---\n{body}\n"


def _issued(resource: Resource) -> str | None:
    if not resource.issued_year:
        return None
    parts = [f"{resource.issued_year:04d}"]
    if resource.issued_month:
        parts.append(f"{resource.issued_month:02d}")
        if resource.issued_day:
            parts.append(f"{resource.issued_day:02d}")
    return "-".join(parts)


def resource_entry(resource: Resource) -> dict:
    entry: dict[str, Any] = {"key": resource.key, "type": resource.resource_type}
    creators = []
    for creator in resource.creators.all():
        name = {k: getattr(creator, k) for k in Creator.NAME_PARTS if getattr(creator, k)}
        if creator.role != Creator._meta.get_field("role").default:
            name["role"] = creator.role
        creators.append(name)
    if creators:
        entry["creators"] = creators
    entry.update(
        {name: getattr(resource, name) for name in RESOURCE_TEXT_FIELDS if getattr(resource, name)}
    )
    if issued := _issued(resource):
        entry["issued"] = issued
    if resource.accessed:
        entry["accessed"] = resource.accessed.isoformat()
    entry["access"] = resource.access
    for name in ("length_pages", "length_minutes"):
        if getattr(resource, name):
            entry[name] = getattr(resource, name)
    topics = sorted(tag.name for tag in resource.topics.all())
    if topics:
        entry["topics"] = topics
    entry["verified"] = resource.verified
    if not resource.verified:
        entry["unverified"] = resource.unverified_part
    if resource.csl_extra:
        entry["csl"] = resource.csl_extra
    return entry


def profile_entry(profile: Profile) -> dict:
    entry = {"key": profile.key, "kind": profile.kind}
    entry.update(
        {name: getattr(profile, name) for name in PROFILE_TEXT_FIELDS if getattr(profile, name)}
    )
    return entry


def term_entry(term: GlossaryTerm) -> dict:
    entry: dict[str, Any] = {"term": term.term, "slug": term.slug}
    if term.alias_list():
        entry["aliases"] = term.alias_list()
    entry["definition"] = to_markdown(term.definition)
    entry["attribution"] = term.attribution
    if term.attribution_url:
        entry["attribution_url"] = term.attribution_url
    related = [t.slug for t in term.related_terms.order_by("slug")]
    if related:
        entry["related"] = related
    return entry


def section_file(section: SectionPage) -> str:
    meta: dict[str, Any] = {
        "title": section.title,
        "summary": section.summary,
        "resources": [
            {"ref": item.resource.key, **({"note": item.note} if item.note else {})}
            for item in section.selected_resources.select_related("resource")
        ],
    }
    questions = [q.text for q in section.questions.all()]
    if questions:
        meta["questions"] = questions
    follow = [item.profile.key for item in section.follow.select_related("profile")]
    if follow:
        meta["follow"] = follow
    actions = []
    for action in section.actions.all():
        entry = {"kind": action.kind, "title": action.title}
        if action.description:
            entry["description"] = to_markdown(action.description)
        if action.url:
            entry["url"] = action.url
        actions.append(entry)
    if actions:
        meta["actions"] = actions
    return _front_matter(meta, to_markdown(section.introduction))


def page_file(page) -> str:
    meta: dict[str, Any] = {"title": page.title}
    if isinstance(page, ContactPage):
        meta["kind"] = "contact"
        if page.topic_list():
            meta["topics"] = page.topic_list()
        if page.thank_you:
            meta["thank_you"] = to_markdown(page.thank_you)
        body = page.introduction
    else:
        meta["kind"] = "standard"
        body = page.body
    meta["show_in_menu"] = page.show_in_menus
    return _front_matter(meta, to_markdown(body))


def export_bundle(home: GuideHomePage, target: Path) -> dict[str, int]:
    """Write ``home`` (its live pages) and the shared library to the folder ``target``."""
    children = home.get_children().live().specific().order_by("path")
    sections = [p for p in children if isinstance(p, SectionPage)]
    glossary = next((p for p in children if isinstance(p, GlossaryPage)), None)
    pages = [p for p in children if not isinstance(p, (SectionPage, GlossaryPage))]
    (target / "sections").mkdir(parents=True, exist_ok=True)
    (target / "pages").mkdir(exist_ok=True)
    guide = {
        "format": FORMAT_VERSION,
        "slug": home.slug,
        "title": home.title,
        "subtitle": home.subtitle,
        "introduction": to_markdown(home.introduction),
        "who_it_is_for": to_markdown(home.who_it_is_for),
        "how_to_use": to_markdown(home.how_to_use),
        "review_interval_months": home.review_interval_months,
        "sections": [s.slug for s in sections],
        "pages": [p.slug for p in pages],
    }
    (target / "guide.yaml").write_text(_yaml({k: v for k, v in guide.items() if v != ""}))
    resources = Resource.objects.prefetch_related("creators").order_by("key")
    (target / "library.yaml").write_text(
        _yaml({"resources": [resource_entry(r) for r in resources]})
    )
    profiles = Profile.objects.order_by("key")
    (target / "profiles.yaml").write_text(_yaml({"profiles": [profile_entry(p) for p in profiles]}))
    terms = GlossaryTerm.objects.prefetch_related("related_terms").order_by("term")
    glossary_data: dict[str, Any] = {"title": glossary.title if glossary else "Glossary"}
    if glossary and glossary.introduction:
        glossary_data["introduction"] = to_markdown(glossary.introduction)
    glossary_data["terms"] = [term_entry(t) for t in terms]
    (target / "glossary.yaml").write_text(_yaml(glossary_data))
    for section in sections:
        (target / "sections" / f"{section.slug}.md").write_text(section_file(section))
    for page in pages:
        (target / "pages" / f"{page.slug}.md").write_text(page_file(page))
    return {
        "sections": len(sections),
        "pages": len(pages),
        "resources": len(resources),
        "profiles": len(profiles),
        "terms": len(terms),
    }
