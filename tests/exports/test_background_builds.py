"""With a queue backend, editions are built by the worker, never in a reader's request."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from fieldguide.guide.models import SectionPage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_a_missing_edition_is_being_prepared_then_served(client, guide, queued, editions_dir):
    response = client.get("/editions/guide.pdf")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    assert b"being prepared" in response.content
    assert not list(editions_dir.glob("*/guide.pdf")), "built inside the request"
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()
    built = client.get("/editions/guide.pdf")
    assert built.status_code == 200
    assert b"".join(built.streaming_content).startswith(b"%PDF")
    assert "max-age=300" in built["Cache-Control"]


def test_a_publish_queues_the_editions_and_readers_get_the_previous_file(
    client, guide, queued, editions_dir
):
    client.get("/editions/discussion-guide.epub")
    run_worker()
    first = client.get("/editions/discussion-guide.epub")
    assert first.status_code == 200

    section = SectionPage.objects.get(slug="section-1")
    section.title = "Renamed for the worker"
    section.save_revision().publish()
    assert DBTaskResult.objects.filter(status="READY").count() >= 4  # guide + discussion

    stale = client.get("/editions/discussion-guide.epub")
    assert stale.status_code == 200
    assert stale["ETag"] == first["ETag"]
    assert "no-cache" in stale["Cache-Control"]

    run_worker()
    fresh = client.get("/editions/discussion-guide.epub")
    assert fresh.status_code == 200
    assert fresh["ETag"] != first["ETag"]
    # The worker built the whole-guide PDF after the publish too, nobody having asked.
    version = fresh["ETag"].strip('"')
    assert list(editions_dir.glob(f"*-{version}/guide.pdf"))


def test_the_embedded_default_still_builds_on_request(client, guide):
    response = client.get("/editions/sections/section-1.pdf")
    assert response.status_code == 200
    assert not DBTaskResult.objects.exists()
