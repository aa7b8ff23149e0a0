"""Fixtures for the core tests."""

from __future__ import annotations

import pytest

# The link checker's real local HTTP server and fast settings, for link-check runs.
from tests.linkhealth.conftest import allowed_site, fast_config, local_site  # noqa: F401


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block schedules for after commit, as a real commit would.

    Each test runs inside a transaction that is rolled back, so nothing commits; the page
    cache moves its generation only after a commit.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)
