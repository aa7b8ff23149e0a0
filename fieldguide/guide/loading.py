"""Writing a validated bundle into the database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from fieldguide.library.models import Creator, Profile, Resource

from .bundle import PROFILE_TEXT_FIELDS, Bundle
from .models import (
    Action,
    ContactPage,
    DiscussionQuestion,
    GlossaryPage,
    GlossaryTerm,
    GuideHomePage,
    SectionPage,
    SectionProfile,
    SectionResource,
    StandardPage,
)

#: Everything a bundle's resource entry carries that is a column of Resource.
RESOURCE_COLUMNS = {f.name for f in Resource._meta.concrete_fields}


@dataclass
class LoadReport:
    guide: GuideHomePage | None = None
    created: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def existing_guide(slug: str) -> GuideHomePage | None:
    return GuideHomePage.objects.filter(slug=slug).first()


@transaction.atomic
def load_bundle(bundle: Bundle, *, hostname: str | None = None, port: int = 80) -> LoadReport:
    """Create the guide described by ``bundle``; an existing guide is left untouched."""
    report = LoadReport()
    slug = bundle.guide["slug"]
    found = existing_guide(slug)
    if found is not None:
        report.guide = found
        report.messages.append(f"Guide '{slug}' is already loaded; nothing changed.")
        return report

    resources = _upsert_resources(bundle, report)
    profiles = _upsert_profiles(bundle, report)
    _upsert_terms(bundle, report)

    home = _create_home(bundle)
    _attach_site(home, hostname, port, report)
    for data in bundle.sections:
        _create_section(home, data, resources, profiles)
    glossary = GlossaryPage(
        title=bundle.glossary["title"],
        slug="glossary",
        introduction=bundle.glossary["introduction"],
        show_in_menus=True,
    )
    _publish_child(home, glossary)
    for data in bundle.pages:
        _create_page(home, data)
    report.guide = home
    report.created = True
    report.counts.update(sections=len(bundle.sections), pages=len(bundle.pages) + 1)
    report.messages.append(
        f"Loaded guide '{home.title}': {len(bundle.sections)} sections, "
        f"{len(bundle.pages) + 1} other pages, {report.counts['resources']} new resources, "
        f"{report.counts['profiles']} new profiles, {report.counts['terms']} new glossary terms."
    )
    return report


def _upsert_resources(bundle: Bundle, report: LoadReport) -> dict[str, Resource]:
    """Resources are shared between guides: reuse one whose key already exists."""
    result, created = {}, 0
    for data in bundle.resources:
        resource = Resource.objects.filter(key=data["key"]).first()
        if resource is None:
            resource = Resource(**{k: v for k, v in data.items() if k in RESOURCE_COLUMNS})
            resource.save()
            for order, creator in enumerate(data["creators"]):
                Creator.objects.create(resource=resource, sort_order=order, **creator)
            if data["topics"]:
                resource.topics.add(*data["topics"])
                resource.save()
            resource.save_revision(log_action=True)
            created += 1
        result[data["key"]] = resource
    report.counts["resources"] = created
    return result


def _upsert_profiles(bundle: Bundle, report: LoadReport) -> dict[str, Profile]:
    result, created = {}, 0
    for data in bundle.profiles:
        profile = Profile.objects.filter(key=data["key"]).first()
        if profile is None:
            profile = Profile.objects.create(
                key=data["key"], kind=data["kind"], **{k: data[k] for k in PROFILE_TEXT_FIELDS}
            )
            profile.save_revision(log_action=True)
            created += 1
        result[data["key"]] = profile
    report.counts["profiles"] = created
    return result


def _upsert_terms(bundle: Bundle, report: LoadReport) -> None:
    terms, new, created = {}, set(), 0
    for data in bundle.glossary["terms"]:
        term = GlossaryTerm.objects.filter(slug=data["slug"]).first()
        if term is None:
            new.add(data["slug"])
            term = GlossaryTerm.objects.create(
                term=data["term"],
                slug=data["slug"],
                aliases=", ".join(data["aliases"]),
                definition=data["definition"],
                attribution=data["attribution"],
                attribution_url=data["attribution_url"],
            )
            created += 1
        terms[data["slug"]] = (term, data["related"])
    # The relation is symmetrical: adding (never replacing) keeps what each new term
    # lists whatever order the terms come in; terms that existed are left as they are.
    for slug, (term, related) in terms.items():
        if slug in new and related:
            term.related_terms.add(*[terms[other][0] for other in related])
    report.counts["terms"] = created


def _publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    return page


def _create_home(bundle: Bundle) -> GuideHomePage:
    data = bundle.guide
    home = GuideHomePage(
        title=data["title"],
        slug=data["slug"],
        subtitle=data["subtitle"],
        introduction=data["introduction"],
        who_it_is_for=data["who_it_is_for"],
        how_to_use=data["how_to_use"],
        review_interval_months=data["review_interval_months"],
    )
    return _publish_child(tree_root(), home)


def tree_root() -> Page:
    """Wagtail's root page; recreated (with the default locale) if the tree was emptied."""
    root = Page.get_first_root_node()
    if root is not None:
        return root
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.add_root(instance=Page(title="Root", slug="root", live=True))


def _attach_site(home: GuideHomePage, hostname: str | None, port: int, report: LoadReport) -> None:
    """Make the guide the default site, replacing Wagtail's placeholder welcome page."""
    if hostname:
        Site.objects.create(hostname=hostname, port=port, root_page=home)
        return
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        return
    previous = site.root_page.specific
    if isinstance(previous, GuideHomePage):
        report.messages.append(
            f"The default site already shows '{previous.title}'; the new guide was loaded "
            "but is not attached to a site (use --hostname to serve it)."
        )
        return
    site.root_page = home
    site.save()
    if type(previous) is Page and previous.depth == 2 and not previous.get_children().exists():
        previous.delete()


def _create_section(home, data: dict, resources: dict, profiles: dict) -> SectionPage:
    section = SectionPage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        introduction=data["introduction"],
    )
    # sort_order is given explicitly: only the admin's forms set it, and rows without
    # one come back in no defined order (PostgreSQL returned them shuffled).
    section.selected_resources = [
        SectionResource(resource=resources[item["ref"]], note=item["note"], sort_order=i)
        for i, item in enumerate(data["resources"])
    ]
    section.questions = [
        DiscussionQuestion(text=text, sort_order=i) for i, text in enumerate(data["questions"])
    ]
    section.follow = [
        SectionProfile(profile=profiles[key], sort_order=i) for i, key in enumerate(data["follow"])
    ]
    section.actions = [Action(**action, sort_order=i) for i, action in enumerate(data["actions"])]
    return _publish_child(home, section)


def _create_page(home, data: dict) -> Page:
    if data["kind"] == "contact":
        page = ContactPage(
            title=data["title"],
            slug=data["slug"],
            introduction=data["body"],
            topics="\n".join(data["topics"]),
            thank_you=data["thank_you"],
            show_in_menus=data["show_in_menu"],
        )
    else:
        page = StandardPage(
            title=data["title"],
            slug=data["slug"],
            body=data["body"],
            show_in_menus=data["show_in_menu"],
        )
    return _publish_child(home, page)
