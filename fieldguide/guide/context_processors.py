from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Site

from .freshness import guide_updated_at
from .models import (
    ContactPage,
    GlossaryPage,
    GuideHomePage,
    GuideSettings,
    SectionPage,
    StandardPage,
)


def guide(request: HttpRequest) -> dict:
    """The guide around every page: its home, navigation and derived date."""
    base = {"quick_exit_url": settings.FIELDGUIDE_QUICK_EXIT_URL}
    site = Site.find_for_request(request)
    if site is None:
        return base
    root = site.root_page.specific
    if not isinstance(root, GuideHomePage):
        return {**base, "site_root": root}
    nav = list(root.get_children().live().public().in_menu().not_type(SectionPage).specific())
    return {
        **base,
        "site_root": root,
        "guide_home": root,
        "guide_nav": nav,
        "guide_sections": list(root.sections()),
        "guide_updated_at": guide_updated_at(root),
        "glossary_page": GlossaryPage.objects.child_of(root).live().first(),
        "contact_page": ContactPage.objects.child_of(root).live().first(),
        "privacy_page": StandardPage.objects.child_of(root).live().filter(slug="privacy").first(),
        "license": GuideSettings.current(site).license_info,
    }
