"""Where an editor goes to fix a link: the Wagtail edit view of the object using it."""

from __future__ import annotations

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page

from fieldguide.guide.models import GlossaryTerm
from fieldguide.library.models import Profile, Resource

from .models import LinkUsage, UsageKind

MODELS = {
    UsageKind.RESOURCE_URL: Resource,
    UsageKind.RESOURCE_DOI: Resource,
    UsageKind.PROFILE: Profile,
    UsageKind.GLOSSARY_TEXT: GlossaryTerm,
}


def edit_url(usage: LinkUsage, finder: AdminURLFinder) -> str:
    """The admin edit URL for the object a usage points at ('' if it is gone)."""
    if usage.kind in MODELS:
        obj = MODELS[usage.kind].objects.filter(pk=usage.object_id).first()
    elif usage.kind in (UsageKind.ACTION_URL, UsageKind.ACTION_TEXT):
        obj = Page.objects.filter(pk=usage.section_id).first()
    else:
        obj = Page.objects.filter(pk=usage.object_id).first()
    return (finder.get_edit_url(obj) or "") if obj is not None else ""


def annotate_edit_urls(usages, user) -> list[LinkUsage]:
    finder = AdminURLFinder(user)
    usages = list(usages)
    for usage in usages:
        usage.edit_url = edit_url(usage, finder)
    return usages
