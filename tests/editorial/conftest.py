from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.linkhealth.conftest import (  # noqa: F401
    allowed_site,
    fast_config,
    linked_guide,
    local_site,
)


@pytest.fixture(autouse=True)
def _shared_cache_table(db):
    """The "shared" cache (page-cache generations) is a database table in the default setup."""
    call_command("createcachetable", verbosity=0)
