"""export_guide writes a bundle that load_guide loads into a fresh database unchanged.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from fieldguide.guide.bundle import read_bundle
from fieldguide.guide.freshness import profile_reader_data, reader_fields
from fieldguide.guide.models import (
    ContactPage,
    GlossaryPage,
    GlossaryTerm,
    GuideHomePage,
    SectionPage,
    StandardPage,
)
from fieldguide.library.models import Profile, Resource

DEFAULT = Path(__file__).resolve().parents[2] / "content" / "default"
SLUG = "criminalization-and-health"

pytestmark = pytest.mark.django_db


def readers_view() -> dict:
    """Everything readers see of the loaded guides, without database ids."""
    home = GuideHomePage.objects.get(slug=SLUG)
    sections = []
    for s in SectionPage.objects.child_of(home).live().order_by("path"):
        sections.append(
            {
                "slug": s.slug,
                "title": s.title,
                "summary": s.summary,
                "introduction": s.introduction,
                "resources": [(i.resource.key, i.note) for i in s.selected_resources.all()],
                "questions": [q.text for q in s.questions.all()],
                "follow": [i.profile.key for i in s.follow.all()],
                "actions": [reader_fields(a) for a in s.actions.all()],
            }
        )
    pages = []
    for p in home.get_children().live().specific().order_by("path"):
        row = {"slug": p.slug, "title": p.title, "type": type(p).__name__}
        if isinstance(p, StandardPage):
            row.update(body=p.body, menu=p.show_in_menus)
        elif isinstance(p, ContactPage):
            row.update(
                body=p.introduction, topics=p.topics, thank_you=p.thank_you, menu=p.show_in_menus
            )
        elif isinstance(p, GlossaryPage):
            row.update(introduction=p.introduction)
        pages.append(row)
    resources = {
        r.key: {
            "csl": r.to_csl(),
            "fields": reader_fields(r),
            "topics": sorted(t.name for t in r.topics.all()),
        }
        for r in Resource.objects.all()
    }
    return {
        "home": {
            k: getattr(home, k)
            for k in (
                "title",
                "subtitle",
                "introduction",
                "who_it_is_for",
                "how_to_use",
                "review_interval_months",
            )
        },
        "sections": sections,
        "pages": pages,
        "resources": resources,
        "profiles": {p.key: profile_reader_data(p) for p in Profile.objects.all()},
        "terms": {
            t.slug: {**reader_fields(t), "related": sorted(x.slug for x in t.related_terms.all())}
            for t in GlossaryTerm.objects.all()
        },
    }


def empty_database() -> None:
    Site.objects.all().delete()
    Page.objects.all().delete()
    Resource.objects.all().delete()
    Profile.objects.all().delete()
    GlossaryTerm.objects.all().delete()


def test_export_of_the_default_guide_loads_back_the_same(tmp_path):
    call_command("load_guide", str(DEFAULT))
    before = readers_view()
    target = tmp_path / "export"
    call_command("export_guide", SLUG, str(target))
    read_bundle(target)  # valid as it stands
    empty_database()
    assert not GuideHomePage.objects.exists()
    call_command("load_guide", str(target))
    after = readers_view()
    for part in ("home", "sections", "pages"):
        assert after[part] == before[part], part
    for part in ("resources", "profiles", "terms"):
        assert after[part].keys() == before[part].keys(), part
        for key, value in before[part].items():
            assert after[part][key] == value, (part, key)


def test_editors_changes_in_the_admin_are_exported(tmp_path):
    call_command("load_guide", str(DEFAULT))
    section = SectionPage.objects.get(slug="war-on-drugs")
    section.summary = "An editor rewrote this summary."
    section.introduction = '<p data-block-key="ab1cd">An <b>edited</b> introduction.</p>'
    section.save_revision().publish()
    resource = section.selected_resources.first().resource
    resource.number = "Report No. 7"
    resource.edition = "3rd"
    resource.csl_extra = {"note": "Kept whole"}
    resource.save()
    creator = resource.creators.first()
    creator.role = "editor"
    creator.save()
    target = tmp_path / "export"
    call_command("export_guide", SLUG, str(target))
    text = (target / "sections" / "war-on-drugs.md").read_text()
    assert "An editor rewrote this summary." in text
    assert "An **edited** introduction." in text
    expected_csl = resource.to_csl()
    empty_database()
    call_command("load_guide", str(target))
    reloaded = SectionPage.objects.get(slug="war-on-drugs")
    assert reloaded.summary == "An editor rewrote this summary."
    assert reloaded.introduction == "<p>An <strong>edited</strong> introduction.</p>"
    assert Resource.objects.get(key=resource.key).to_csl() == expected_csl


def test_export_refuses_a_folder_that_is_not_empty_and_an_unknown_guide(tmp_path, guide):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_guide", guide.slug, str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    with pytest.raises(CommandError, match="No guide with the slug 'nope'"):
        call_command("export_guide", "nope", str(tmp_path / "new"))
