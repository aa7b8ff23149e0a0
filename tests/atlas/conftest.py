from __future__ import annotations

import os
from pathlib import Path

import pytest

from fieldguide.atlas.starter import load_all

# Real public data shared beside the checkout (never copied into the repository).
SHARED_DATA = Path(
    os.environ.get("FIELDGUIDE_SHARED_DATA")
    or Path(__file__).resolve().parents[3] / "shared" / "data"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def shared_data(relative: str) -> Path:
    """A file from <checkout>/../shared/data: required under CI, otherwise skip when absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing (CI=true requires the shared data)")
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture
def atlas(db):
    """The starter atlas as `manage.py load_atlas` loads it, without the reference data
    (members of Congress, state officials: ~8,000 rows, ~1.5 s a test)."""
    return load_all(reference=False)


@pytest.fixture
def atlas_reference(db):
    """The starter atlas exactly as `manage.py load_atlas` loads it, reference data too."""
    return load_all()
