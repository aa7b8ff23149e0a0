from __future__ import annotations

from django import template

from ..forms import LookupForm
from ..models import Topic
from ..state_views import state_legislature_context

register = template.Library()


@register.inclusion_tag("atlas/includes/section_box.html")
def act_where_you_live(section) -> dict:
    """The lookup box for the atlas topics linked to a guide section (none: nothing shown)."""
    slug = getattr(section, "slug", "")
    topics = [t for t in Topic.objects.exclude(section_slugs="") if slug in t.section_slug_list()]
    return {
        "topics": topics,
        "section": section,
        "form": LookupForm(
            initial={"topic": topics[0].slug if len(topics) == 1 else "", "section": slug},
            auto_id="atlas-section-%s",
        ),
    }


@register.inclusion_tag("atlas/includes/state_legislature.html")
def state_legislature(place, topic=None) -> dict:
    """The choice of state legislative districts for the reader's state (a ZIP cannot tell)."""
    return {**state_legislature_context(place.state_abbr), "topic": topic}
