from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import make_guide

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parent.parent


def _static_is_stale(static_root: Path) -> bool:
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = ROOT.glob("fieldguide/*/static/**/*")
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    """Pages link fingerprinted static files, so the manifest must be current."""
    from django.conf import settings
    from django.core.management import call_command

    if _static_is_stale(Path(settings.STATIC_ROOT)):
        call_command("collectstatic", "--noinput", verbosity=0)
    # The live test server's own static handler looks files up by their source names;
    # let requests through to WhiteNoise instead, which serves the fingerprinted,
    # compressed files exactly as production does.
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    StaticFilesHandler._should_handle = lambda self, path: False


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FIELDGUIDE_QUICK_EXIT_URL = "http://127.0.0.1:9/neutral"


@pytest.fixture(autouse=True)
def _clear_caches(request):
    if "django_db_setup" not in request.fixturenames and "db" not in request.fixturenames:
        yield
        return
    from django.core.cache import caches

    caches["default"].clear()
    yield


@pytest.fixture
def guide(db):
    return make_guide()
