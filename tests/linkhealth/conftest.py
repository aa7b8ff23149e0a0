from __future__ import annotations

import pytest

from fieldguide.core import outbound
from fieldguide.guide.models import Action, GlossaryTerm, SectionPage, StandardPage
from fieldguide.library.models import Profile, Resource
from fieldguide.linkhealth.checker import CheckerConfig
from tests.linkhealth.site import LocalSite

FAST = dict(per_host_delay=0.0, timeout=0.5, retries=1, backoff=0.01)


def config_allowing(*origins: str, **overrides) -> CheckerConfig:
    """FAST checker settings whose outbound client lets these test servers through."""
    policy = outbound.Policy.from_settings(extra_allow=origins)
    return CheckerConfig(**{**FAST, **overrides}, policy=policy)


@pytest.fixture(scope="module")
def local_site():
    with LocalSite(slow_seconds=1.5) as server:
        yield server


@pytest.fixture
def allowed_site(local_site, settings):
    """The local site, let through the outbound client (which refuses loopback)."""
    settings.FIELDGUIDE_OUTBOUND_ALLOW = [local_site.origin]
    return local_site


@pytest.fixture
def fast_config(allowed_site) -> CheckerConfig:
    return config_allowing(allowed_site.origin)


@pytest.fixture
def linked_guide(guide, allowed_site):
    """The test guide with every kind of external link pointing at the local server."""
    resource = Resource.objects.get()
    resource.url = allowed_site.url("/moved-301")
    resource.doi = ""
    resource.save()
    Profile.objects.update(website=allowed_site.url("/missing"), bluesky=allowed_site.url("/ok"))
    section = SectionPage.objects.get(slug="section-1")
    section.introduction = (
        f'<p>See <a href="{allowed_site.url("/moved-301")}">the moved report</a> '
        f'and <a href="{allowed_site.url("/ok")}">a good page</a>.</p>'
    )
    actions = list(section.actions.all())
    actions[0].url = allowed_site.url("/moved-301")
    actions[1].description = f'<p><a href="{allowed_site.url("/soft-404")}">Sign up</a></p>'
    section.actions = actions
    section.save_revision().publish()
    Action.objects.filter(page__slug="section-2").update(url=allowed_site.url("/ok"))
    about = StandardPage.objects.get(slug="about")
    about.body = f'<p>Our <a href="{allowed_site.url("/gone")}">old partner</a>.</p>'
    about.save_revision().publish()
    GlossaryTerm.objects.update(
        definition=f'<p>See <a href="{allowed_site.url("/parked")}">this campaign</a>.</p>'
    )
    return guide
