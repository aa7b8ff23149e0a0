"""The bundle loader: the default guide loads; malformed bundles are rejected whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from fieldguide.guide.bundle import BundleInvalid, read_bundle
from fieldguide.guide.models import (
    Action,
    ContactPage,
    GlossaryPage,
    GlossaryTerm,
    GuideHomePage,
    SectionPage,
    StandardPage,
)
from fieldguide.library.models import Profile, Resource

DEFAULT = Path(__file__).resolve().parents[2] / "content" / "default"


@pytest.fixture
def bundle_copy(tmp_path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(DEFAULT, target)
    return target


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "resources": Resource.objects.count(),
        "profiles": Profile.objects.count(),
        "terms": GlossaryTerm.objects.count(),
        "revisions": Revision.objects.count(),
    }


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BundleInvalid) as excinfo:
        read_bundle(path)
    return [str(p) for p in excinfo.value.problems]


def test_default_bundle_meets_the_content_brief():
    bundle = read_bundle(DEFAULT)
    assert len(bundle.sections) >= 6
    assert len(bundle.glossary["terms"]) >= 15
    for section in bundle.sections:
        assert len(section["resources"]) >= 4, section["slug"]
        assert len(section["questions"]) >= 3, section["slug"]
        assert len(section["follow"]) >= 3, section["slug"]
        assert len(section["actions"]) >= 2, section["slug"]
    slugs = {s["slug"] for s in bundle.sections}
    assert {"sex-trade-criminalization", "war-on-drugs", "abolition-in-public-health"} <= slugs
    sex_trade = next(s for s in bundle.sections if s["slug"] == "sex-trade-criminalization")
    assert "baltimore-prosecutorial-reform-evaluation" in [r["ref"] for r in sex_trade["resources"]]
    pages = {p["slug"]: p for p in bundle.pages}
    assert {"who-it-is-for", "about", "thanks", "privacy", "accessibility", "contact"} <= set(pages)
    assert pages["contact"]["kind"] == "contact"


@pytest.mark.django_db
def test_load_default_guide_then_load_again_changes_nothing():
    call_command("load_guide", str(DEFAULT))
    home = GuideHomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert SectionPage.objects.child_of(home).live().count() >= 6
    assert GlossaryPage.objects.child_of(home).live().count() == 1
    assert ContactPage.objects.child_of(home).live().count() == 1
    assert StandardPage.objects.child_of(home).live().count() >= 5
    section = SectionPage.objects.get(slug="sex-trade-criminalization")
    assert section.status.content_changed_at is not None
    assert [q.text for q in section.questions.all()][0].startswith("Which anti-trafficking")
    before = snapshot()
    call_command("load_guide", str(DEFAULT))
    assert snapshot() == before


@pytest.mark.django_db
def test_check_option_validates_without_writing(capsys):
    before = snapshot()
    call_command("load_guide", str(DEFAULT), "--check")
    assert "is valid" in capsys.readouterr().out
    assert snapshot() == before


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda b: (b / "guide.yaml").write_text("format: 1\nslug: [unclosed\n"),
            "guide.yaml:3: invalid YAML: expected ',' or ']'",
        ),
        (
            lambda b: _replace(b / "library.yaml", "type: report", "type: pamphlet", count=1),
            "library.yaml:",
        ),
        (
            lambda b: _replace(
                b / "sections/war-on-drugs.md",
                "  - ref: ",
                "  - ref: no-such-resource\n  - ref: ",
                1,
            ),
            "sections/war-on-drugs.md:",
        ),
        (
            lambda b: (b / "sections/war-on-drugs.md").write_text("title: no front matter\n"),
            "sections/war-on-drugs.md:1: must start with a '---' line",
        ),
        (
            lambda b: (b / "glossary.yaml").unlink(),
            "glossary.yaml: file is missing",
        ),
        (
            lambda b: _replace(
                b / "profiles.yaml", "website: https://", "website: ftp://", count=1
            ),
            "is not a full http(s) address",
        ),
    ],
    ids=["bad-yaml", "unknown-type", "dangling-ref", "no-front-matter", "missing-file", "bad-url"],
)
@pytest.mark.django_db
def test_malformed_bundle_is_rejected_with_location_and_nothing_changes(
    bundle_copy, mutate, expected
):
    call_command("load_guide", str(DEFAULT))
    before = snapshot()
    _replace(bundle_copy / "guide.yaml", "slug: criminalization-and-health", "slug: other-guide", 1)
    mutate(bundle_copy)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_guide", str(bundle_copy))
    message = str(excinfo.value)
    assert "nothing was loaded" in message
    assert "has 1 problem;" in message, message
    assert expected in message
    assert snapshot() == before


def test_problem_names_file_line_field_and_reason(bundle_copy):
    _replace(bundle_copy / "library.yaml", "type: report", "type: pamphlet", count=1)
    problems = problems_of(bundle_copy)
    text = (bundle_copy / "library.yaml").read_text().splitlines()
    line_no = next(i for i, line in enumerate(text, start=1) if "type: pamphlet" in line)
    assert any(
        p.startswith(f"library.yaml:{line_no}: resources[1].type: 'pamphlet' is not one of:")
        for p in problems
    ), problems


def test_every_problem_is_reported_not_only_the_first(bundle_copy):
    _replace(bundle_copy / "library.yaml", "type: report", "type: pamphlet", count=1)
    (bundle_copy / "pages/about.md").write_text("---\ntitle: About\nkind: wiki\n---\nText.\n")
    problems = problems_of(bundle_copy)
    assert any("library.yaml" in p for p in problems)
    assert any(p.startswith("pages/about.md:3: kind: 'wiki'") for p in problems), problems


def test_raw_html_and_duplicate_keys_are_rejected(bundle_copy):
    path = bundle_copy / "sections/war-on-drugs.md"
    path.write_text(path.read_text() + "\n<script>alert(1)</script>\n")
    library = bundle_copy / "library.yaml"
    duplicates = (
        "resources:\n"
        "  - key: dup\n    title: A\n    url: https://example.org/\n"
        "  - key: dup\n    title: B\n    url: https://example.org/\n"
    )
    library.write_text(library.read_text().replace("resources:\n", duplicates, 1))
    problems = problems_of(bundle_copy)
    assert any("sections/war-on-drugs.md" in p and "raw HTML is not allowed" in p for p in problems)
    assert any("key 'dup' is used twice" in p for p in problems), problems


def test_issued_dates_are_parsed_and_checked(bundle_copy):
    bundle = read_bundle(DEFAULT)
    baltimore = next(
        r for r in bundle.resources if r["key"] == "baltimore-prosecutorial-reform-evaluation"
    )
    assert (baltimore["issued_year"], baltimore["issued_month"]) == (2021, 10)
    _replace(bundle_copy / "library.yaml", 'issued: "2021-10"', 'issued: "2021-13"', 1)
    assert any(
        "'2021-13' is not YYYY, YYYY-MM or YYYY-MM-DD" in p for p in problems_of(bundle_copy)
    )


def _replace(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


@pytest.mark.django_db
def test_loads_into_an_emptied_page_tree():
    Site.objects.all().delete()
    Page.objects.all().delete()
    call_command("load_guide", str(DEFAULT))
    home = GuideHomePage.objects.get()
    assert home.get_parent().depth == 1
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_a_profile_url_the_model_refuses_is_refused_by_the_bundle(bundle_copy):
    """The bundle used its own limit (1000) for a field the model caps at 500."""
    path = bundle_copy / "profiles.yaml"
    text = path.read_text()
    first = next(x for x in text.splitlines() if x.startswith("    website: "))
    url = "https://example.org/" + "a" * 600
    assert len(url) == 620
    path.write_text(text.replace(first, f"    website: {url}", 1))
    line = path.read_text().splitlines().index(f"    website: {url}") + 1
    limit = Profile._meta.get_field("website").max_length
    assert (
        f"profiles.yaml:{line}: profiles[1].website: Ensure this value has at most {limit} "
        "characters (it has 620)." in problems_of(bundle_copy)
    )


def test_section_summary_uses_the_model_limit(bundle_copy):
    path = bundle_copy / "sections/war-on-drugs.md"
    text = path.read_text()
    first = next(x for x in text.splitlines() if x.startswith("summary: "))
    limit = SectionPage._meta.get_field("summary").max_length
    path.write_text(text.replace(first, "summary: " + "s" * (limit + 1), 1))
    assert any(
        p.startswith("sections/war-on-drugs.md:3: summary: Ensure this value has at most")
        for p in problems_of(bundle_copy)
    )


def test_the_models_own_clean_runs_on_bundle_entries(bundle_copy):
    library = bundle_copy / "library.yaml"
    entry = (
        "resources:\n"
        "  - key: odd-dates\n    title: A\n    url: https://example.org/\n"
        "    doi: 10.12/x y\n"
        "    creators:\n      - family: Doe\n        literal: Also an organisation\n"
    )
    library.write_text(library.read_text().replace("resources:\n", entry, 1))
    lines = library.read_text().splitlines()
    doi_line = lines.index("    doi: 10.12/x y") + 1
    problems = problems_of(bundle_copy)
    assert f"library.yaml:{doi_line}: resources[1].doi: Enter a bare DOI such as " in (
        "\n".join(problems)
    )
    assert (
        f"library.yaml:{doi_line + 2}: resources[1].creators[1]: A creator is either a person "
        "or an organisation, not both." in problems
    )


@pytest.mark.parametrize(
    ("model", "field_name", "file", "bundle_field"),
    [
        (Resource, "resource_type", "library.yaml", "type"),
        (Resource, "access", "library.yaml", "access"),
        (Profile, "kind", "profiles.yaml", "kind"),
        (Action, "kind", "sections/war-on-drugs.md", "kind"),
    ],
)
def test_choices_are_the_models(bundle_copy, model, field_name, file, bundle_field):
    choices = sorted(value for value, _ in model._meta.get_field(field_name).choices)
    path = bundle_copy / file
    text = path.read_text()
    first = next(x for x in text.splitlines() if x.strip(" -").startswith(f"{bundle_field}: "))
    path.write_text(text.replace(first, first.split(":")[0] + ": not-a-choice", 1))
    assert any(
        p.endswith(f"'not-a-choice' is not one of: {', '.join(choices)}")
        for p in problems_of(bundle_copy)
    )
