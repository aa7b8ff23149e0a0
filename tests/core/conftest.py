"""Fixtures for the core tests."""

from __future__ import annotations

import pytest

# The link checker's real local HTTP server and fast settings, for link-check runs.
from tests.linkhealth.conftest import allowed_site, fast_config, local_site  # noqa: F401


def redis_db_url(base: int, worker_id: str) -> str:
    """A Redis database for one test worker alone, so a test that flushes it or counts its
    keys never meets another worker's keys. ``base`` leaves room for four workers."""
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    return f"redis://127.0.0.1:6379/{base + index}"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block schedules for after commit, as a real commit would.

    Each test runs inside a transaction that is rolled back, so nothing commits; the page
    cache moves its generation only after a commit.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)
