from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

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


# Chromium (Debian's package) driven by Playwright against the live test server.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
DEFAULT_BUNDLE = Path(__file__).resolve().parents[1] / "content" / "default"

# Playwright's sync API runs an event loop; Django must allow ORM calls around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium is a browser test (PostgreSQL runs leave them out).

    Tests of one database's own features are deselected, not skipped, on the other
    database: each runs in the suite it belongs to, and a CI run reports no skips.
    """
    from django.db import connection

    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    vendor = connection.vendor
    other = {"sqlite": "postgres_only", "postgresql": "sqlite_only"}.get(vendor)
    deselected = [item for item in items if other and item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + " and CI=true: browser tests must run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium-home")
    for name in ("TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def default_guide(transactional_db, live_server):
    """The real default guide, served by the live test server."""
    call_command("load_guide", str(DEFAULT_BUNDLE), verbosity=0)
    call_command("update_index", verbosity=0)
    return live_server.url


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
