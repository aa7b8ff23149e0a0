from __future__ import annotations

import pytest
from django.core.management import call_command

from fieldguide.atlas.codebook import CodebookError, validate_codebook
from fieldguide.atlas.models import Category, DirectoryEntry, PolicyRecord, Topic


def test_starter_codebook_loads_every_topic_with_its_categories(atlas):
    selling = Topic.objects.get(slug="selling-sex")
    assert [c.code for c in selling.categories.all()] == [
        "full-criminalization",
        "partial-criminalization",
        "legal-regulated-in-part",
        "decriminalized",
        "non-prosecution",
    ]
    assert all(c.definition for c in selling.categories.all())
    assert selling.section_slug_list() == ["sex-trade-criminalization"]
    assert set(Topic.objects.values_list("slug", flat=True)) == {
        "selling-sex",
        "drug-possession",
        "syringe-services",
        "drug-checking-equipment",
    }


def _topic(**overrides):
    topic = {
        "slug": "selling-sex",
        "name": "Selling sex",
        "question": "Is it a crime?",
        "categories": [
            {"code": "criminal", "label": "Crime", "definition": "It is a crime."},
            {"code": "legal", "label": "Legal", "definition": "It is not."},
        ],
    }
    topic.update(overrides)
    return {"topics": [topic]}


def test_valid_codebook_passes():
    assert validate_codebook(_topic())[0]["slug"] == "selling-sex"


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        (
            [
                {"code": "criminal", "label": "Crime", "definition": "x"},
                {"code": "criminal", "label": "Other", "definition": "y"},
            ],
            "topics[0].categories[1].code: 'criminal' is used twice in this codebook",
        ),
        (
            [{"code": "criminal", "label": "Crime", "definition": ""}],
            "topics[0].categories[0].definition: is required (coders apply it)",
        ),
        (
            [{"code": "not-yet-coded", "label": "Not yet coded", "definition": "unknown"}],
            "topics[0].categories[0].code: 'not-yet-coded' is not a category",
        ),
        (
            [{"code": "Full Crim", "label": "Crime", "definition": "x"}],
            "topics[0].categories[0].code: 'Full Crim' must be lower-case letters",
        ),
        ([], "topics[0].categories: at least one category is required"),
    ],
)
def test_codebook_errors_name_the_place_and_the_reason(categories, message):
    with pytest.raises(CodebookError) as caught:
        validate_codebook(_topic(categories=categories))
    assert any(error.startswith(message) for error in caught.value.errors), caught.value.errors


def test_codebook_reports_every_problem_at_once():
    data = _topic(slug="", question="")
    with pytest.raises(CodebookError) as caught:
        validate_codebook(data)
    assert "topics[0].slug: is required" in caught.value.errors
    assert "topics[0].question: is required" in caught.value.errors


def test_codebook_without_topics_list_is_rejected():
    with pytest.raises(CodebookError, match="must have a 'topics' list"):
        validate_codebook({"topic": []})


def test_load_atlas_again_keeps_editors_changes(atlas):
    record = PolicyRecord.objects.get(jurisdiction__slug="wy", topic__slug="selling-sex")
    record.summary = "Edited by an editor."
    record.save()
    category = Category.objects.get(topic__slug="selling-sex", code="decriminalized")
    category.definition = "Edited definition."
    category.save()
    entry = DirectoryEntry.objects.get(key="hips")
    entry.description = "Edited description."
    entry.save()
    call_command("load_atlas", verbosity=0)
    assert PolicyRecord.objects.get(pk=record.pk).summary == "Edited by an editor."
    assert Category.objects.get(pk=category.pk).definition == "Edited definition."
    assert DirectoryEntry.objects.get(key="hips").description == "Edited description."
    call_command("load_atlas", "--update", verbosity=0)
    assert PolicyRecord.objects.get(pk=record.pk).summary.startswith("Selling sex is a crime")
    assert Category.objects.get(pk=category.pk).definition.startswith("Neither selling nor buying")
