"""The one-click update for a permanently moved link: rewrite it wherever it is used."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page

from fieldguide.core import outbound
from fieldguide.guide.freshness import refresh_sections_using
from fieldguide.guide.models import Action, GlossaryTerm
from fieldguide.library.models import Profile, Resource

from .collect import is_checkable, sync_usages
from .models import Link, LinkStatus, LinkUsage, UsageKind
from .revisions import publish_page_change

HREF_RE = re.compile(r'href="([^"]*)"')
ACTION_KINDS = {UsageKind.ACTION_URL, UsageKind.ACTION_TEXT}


class FixError(Exception):
    """The link cannot be updated automatically; the message says why."""


@dataclass
class FixReport:
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def rewrite_hrefs(html: str, old: str, new: str) -> str:
    """Point every link to ``old`` in stored rich text at ``new``."""
    return HREF_RE.sub(
        lambda m: f'href="{escape(new)}"' if unescape(m.group(1)) == old else m.group(0), html
    )


def _save_snippet(obj, user) -> None:
    obj.save()
    obj.save_revision(user=user, log_action=True)


def _fix_library(usage: LinkUsage, old: str, new: str, user) -> bool:
    model = Resource if usage.kind == UsageKind.RESOURCE_URL else Profile
    obj = model.objects.filter(pk=usage.object_id).first()
    if obj is None or getattr(obj, usage.field) != old:
        return False
    max_length = model._meta.get_field(usage.field).max_length
    if len(new) > max_length:
        raise FixError(f"The new address is longer than {max_length} characters.")
    setattr(obj, usage.field, new)
    _save_snippet(obj, user)
    refresh_sections_using(obj)
    return True


def _fix_glossary(usage: LinkUsage, old: str, new: str, user) -> bool:
    term = GlossaryTerm.objects.filter(pk=usage.object_id).first()
    if term is None:
        return False
    rewritten = rewrite_hrefs(term.definition, old, new)
    if rewritten == term.definition:
        return False
    term.definition = rewritten
    _save_snippet(term, user)
    return True


def _change_page_field(name: str, old: str, new: str):
    def change(page: Page) -> bool:
        before = getattr(page, name)
        setattr(page, name, rewrite_hrefs(before, old, new))
        return getattr(page, name) != before

    return change


def _change_action(action_id: int, name: str, old: str, new: str):
    def change(page: Page) -> bool:
        actions = list(page.actions.all())
        changed = False
        for action in actions:
            if action.pk != action_id:
                continue
            if name == "url" and action.url == old:
                action.url, changed = new, True
            elif name == "description":
                rewritten = rewrite_hrefs(action.description, old, new)
                changed = rewritten != action.description
                action.description = rewritten
        page.actions = actions
        return changed

    return change


def _page_change(usage: LinkUsage, old: str, new: str):
    """The page a usage lives on and the change that rewrites it there (or None, None)."""
    if usage.kind in ACTION_KINDS:
        action = Action.objects.filter(pk=usage.object_id).first()
        if action is None:
            return None, None
        return action.page_id, _change_action(action.pk, usage.field, old, new)
    return usage.object_id, _change_page_field(usage.field, old, new)


def _fix_pages(changes: dict[int, list], user) -> list[int]:
    """One new published revision per page, however many places on it change."""
    updated = []
    for page_id, page_changes in changes.items():
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            continue

        def change_all(obj, page_changes=page_changes) -> bool:
            return any([change(obj) for change in page_changes])

        if publish_page_change(page, change_all, user):
            updated.append(page_id)
    return updated


def pages_using(link: Link) -> set[int]:
    """Ids of the pages an update of ``link`` would publish."""
    ids = set()
    for usage in link.usages.exclude(
        kind__in=[
            UsageKind.RESOURCE_URL,
            UsageKind.RESOURCE_DOI,
            UsageKind.PROFILE,
            UsageKind.GLOSSARY_TEXT,
        ]
    ):
        ids.add(usage.section_id if usage.kind in ACTION_KINDS else usage.object_id)
    return ids


def apply_permanent_redirect(link: Link, user=None) -> FixReport:
    """Replace ``link.url`` by where it now permanently lives, in every place that uses it.

    Library records and glossary terms are saved with a new revision; pages get a new
    revision that is published at once, so readers see the new address.
    """
    if link.status != LinkStatus.REDIRECTED or not link.final_url:
        raise FixError("Only links that moved permanently (301 or 308) can be updated here.")
    new = link.final_url
    if not is_checkable(new):
        raise FixError(f"The new address {new!r} is not a web address this tool can use.")
    try:
        outbound.validate_url(new, resolve=True)
    except outbound.OutboundRefused as exc:
        raise FixError(f"The new address {new} is not used: {exc} Nothing was changed.") from exc
    report = FixReport()
    page_changes: dict[int, list] = {}
    page_usages: dict[int, list[str]] = {}
    with transaction.atomic():
        for usage in link.usages.all():
            done = False
            if usage.kind == UsageKind.RESOURCE_DOI:
                report.skipped.append(f"{usage}: DOI links stay on doi.org; edit the DOI itself.")
            elif usage.kind in (UsageKind.RESOURCE_URL, UsageKind.PROFILE):
                done = _fix_library(usage, link.url, new, user)
            elif usage.kind == UsageKind.GLOSSARY_TEXT:
                done = _fix_glossary(usage, link.url, new, user)
            else:
                page_id, change = _page_change(usage, link.url, new)
                if page_id is not None:
                    page_changes.setdefault(page_id, []).append(change)
                    page_usages.setdefault(page_id, []).append(str(usage))
            if done:
                report.updated.append(str(usage))
        for page_id in _fix_pages(page_changes, user):
            report.updated.extend(page_usages[page_id])
        report.updated = list(dict.fromkeys(report.updated))
        if report.updated:
            Link.objects.update_or_create(
                url=new,
                defaults={
                    "status": LinkStatus.OK,
                    "http_status": link.http_status,
                    "final_url": new,
                    "checked_at": link.checked_at,
                    "last_ok_at": link.last_ok_at,
                },
            )
            sync_usages()
    return report
