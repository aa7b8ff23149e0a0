"""Change a published page the way an editor would: a new revision, published.

Used by the one-click link update and by accepted reader suggestions. If the page has a
draft waiting, the draft gets the same change as a new draft revision, so neither the
published page nor the editor's unpublished work loses it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from wagtail.models import Page


@transaction.atomic
def publish_page_change(page: Page, change: Callable[[Page], bool], user=None) -> bool:
    """Apply ``change`` to the live page and publish it; returns False if nothing changed."""
    live = Page.objects.get(pk=page.pk).specific
    draft = live.get_latest_revision_as_object() if live.has_unpublished_changes else None
    if not change(live):
        return False
    revision = live.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    if draft is not None and change(draft):
        draft.save_revision(user=user, log_action=True)
    return True
