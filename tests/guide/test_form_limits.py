"""Reader forms take their limits from the fields they are stored in (one source)."""

from __future__ import annotations

import pytest

from fieldguide.editorial.forms import SuggestionForm
from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.contact import ContactForm
from fieldguide.guide.models import ContactMessage


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


@pytest.mark.parametrize("field", ["name", "email", "message"])
def test_contact_form_refuses_one_character_more_than_the_model_stores(field):
    limit = _limit(ContactMessage, field)
    base = {"message": "A question about the glossary."}
    at_limit = (
        "a" * (limit - len("@example.org")) + "@example.org" if field == "email" else "a" * limit
    )
    assert ContactForm(data={**base, field: at_limit}).is_valid()
    over = "a" + at_limit
    form = ContactForm(data={**base, field: over})
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.parametrize("field", ["url", "reason"])
def test_suggestion_form_refuses_one_character_more_than_the_model_stores(field):
    limit = _limit(ResourceSuggestion, field)
    base = {"url": "https://www.example.org/report", "reason": "It fits the section."}
    if field == "url":
        prefix = "https://www.example.org/"
        at_limit = prefix + "a" * (limit - len(prefix))
    else:
        at_limit = "a" * limit
    assert SuggestionForm(data={**base, field: at_limit}).is_valid(), field
    form = SuggestionForm(data={**base, field: at_limit + "a"})
    assert not form.is_valid()
    assert field in form.errors
