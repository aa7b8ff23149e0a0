"""Reading the guide settings never writes: a reader's request must change nothing."""

from __future__ import annotations

import pytest

from fieldguide.core.page_cache import current_generation
from fieldguide.guide.models import GuideSettings

pytestmark = pytest.mark.django_db


def test_a_reader_request_creates_no_settings_row_and_moves_no_generation(client, guide):
    GuideSettings.objects.all().delete()
    before = current_generation()
    for url in ("/", "/section-1/", "/editions/"):
        client.get(url)
    assert not GuideSettings.objects.exists()
    assert current_generation() == before


def test_saved_settings_are_what_readers_get(client, guide):
    site = guide.get_site()
    GuideSettings.objects.update_or_create(site=site, defaults={"license": "cc-by-4.0"})
    assert GuideSettings.current(site).license == "cc-by-4.0"
    assert GuideSettings.current(None).license == GuideSettings().license
