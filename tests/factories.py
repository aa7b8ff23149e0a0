"""Small builders for a real guide in the test database (no mocks of our own code)."""

from __future__ import annotations

from wagtail.models import Site

from fieldguide.guide.loading import tree_root
from fieldguide.guide.models import (
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
from fieldguide.library.models import Creator, Profile, Resource


def make_resource(key: str = "platt-2018", **fields) -> Resource:
    defaults = dict(
        title="Associations between sex work laws and sex workers' health",
        resource_type="article",
        container="PLOS Medicine",
        issued_year=2018,
        volume="15",
        issue="12",
        pages="e1002680",
        doi="10.1371/journal.pmed.1002680",
        access="open",
        annotation="A systematic review of how sex-work laws shape health.",
    )
    defaults.update(fields)
    resource = Resource(key=key, **defaults)
    resource.save()
    Creator.objects.create(resource=resource, family="Platt", given="Lucy", sort_order=0)
    return resource


def make_profile(key: str = "swop-usa", **fields) -> Profile:
    defaults = dict(name="SWOP USA", kind="organization", website="https://swopusa.org/")
    defaults.update(fields)
    return Profile.objects.create(key=key, **defaults)


def make_guide(sections: int = 2) -> GuideHomePage:
    """A published guide with sections, glossary, a standard page and a contact page."""
    root = tree_root()
    home = GuideHomePage(
        title="Test Guide",
        slug="test-guide",
        subtitle="A guide for tests",
        introduction="<p>Framing the guide.</p>",
        who_it_is_for="<p>Everyone in public health.</p>",
        how_to_use="<p>Alone or in groups.</p>",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if old_root.pk != home.pk and old_root.depth == 2:
            old_root.delete()
    else:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)

    resource = make_resource()
    profile = make_profile()
    for n in range(1, sections + 1):
        section = SectionPage(
            title=f"Section {n}",
            slug=f"section-{n}",
            summary=f"Summary of section {n}.",
            introduction="<p>Harm reduction meets people where they are.</p>",
        )
        section.selected_resources = [SectionResource(resource=resource, note="Key evidence.")]
        section.questions = [
            DiscussionQuestion(text=f"Question {i} of section {n}?") for i in (1, 2, 3)
        ]
        section.follow = [SectionProfile(profile=profile)]
        section.actions = [
            Action(kind="learn", title="Learn where your state stands", url="https://example.org/"),
            Action(kind="volunteer", title="Volunteer with a local group"),
        ]
        home.add_child(instance=section)
        section.save_revision().publish()

    GlossaryTerm.objects.create(
        term="Harm reduction",
        definition="<p>Practical strategies that reduce the harms of drug use.</p>",
        attribution="Drawing on National Harm Reduction Coalition",
        aliases="harm-reduction",
    )
    glossary = GlossaryPage(title="Glossary", slug="glossary", show_in_menus=True)
    home.add_child(instance=glossary)
    glossary.save_revision().publish()
    about = StandardPage(
        title="About",
        slug="about",
        body="<p>About the guide. Written by volunteer editors.</p>",
        show_in_menus=True,
    )
    home.add_child(instance=about)
    about.save_revision().publish()
    contact = ContactPage(
        title="Contact",
        slug="contact",
        topics="A question\nA correction",
        thank_you="<p>Thanks for writing.</p>",
        show_in_menus=True,
    )
    home.add_child(instance=contact)
    contact.save_revision().publish()
    return GuideHomePage.objects.get(pk=home.pk)
