from __future__ import annotations

import pytest

from fieldguide.guide.models import Action, GlossaryTerm, SectionPage, StandardPage
from fieldguide.library.models import Profile, Resource
from fieldguide.linkhealth.checker import CheckerConfig
from tests.linkhealth.site import LocalSite

FAST = dict(per_host_delay=0.0, timeout=0.5, retries=1, backoff=0.01, trust_env=False)


@pytest.fixture
def fast_config() -> CheckerConfig:
    return CheckerConfig(**FAST)


@pytest.fixture(scope="module")
def local_site():
    with LocalSite(slow_seconds=1.5) as server:
        yield server


@pytest.fixture
def linked_guide(guide, local_site):
    """The test guide with every kind of external link pointing at the local server."""
    resource = Resource.objects.get()
    resource.url = local_site.url("/moved-301")
    resource.doi = ""
    resource.save()
    Profile.objects.update(website=local_site.url("/missing"), bluesky=local_site.url("/ok"))
    section = SectionPage.objects.get(slug="section-1")
    section.introduction = (
        f'<p>See <a href="{local_site.url("/moved-301")}">the moved report</a> '
        f'and <a href="{local_site.url("/ok")}">a good page</a>.</p>'
    )
    actions = list(section.actions.all())
    actions[0].url = local_site.url("/moved-301")
    actions[1].description = f'<p><a href="{local_site.url("/soft-404")}">Sign up</a></p>'
    section.actions = actions
    section.save_revision().publish()
    Action.objects.filter(page__slug="section-2").update(url=local_site.url("/ok"))
    about = StandardPage.objects.get(slug="about")
    about.body = f'<p>Our <a href="{local_site.url("/gone")}">old partner</a>.</p>'
    about.save_revision().publish()
    GlossaryTerm.objects.update(
        definition=f'<p>See <a href="{local_site.url("/parked")}">this campaign</a>.</p>'
    )
    return guide
