from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def editions_dir(settings, tmp_path):
    """Built editions go to a fresh folder per test, never to var/editions."""
    settings.FIELDGUIDE_EDITIONS_DIR = tmp_path / "editions"
    return settings.FIELDGUIDE_EDITIONS_DIR
