"""How long a section takes to read: one count of its words, used by every page and edition."""

from __future__ import annotations

import math
import re
from html import unescape
from typing import TYPE_CHECKING

from django.utils.html import strip_tags

if TYPE_CHECKING:
    from .models import SectionPage

# A common figure for adults reading non-fiction on a screen; the estimate is rounded up.
WORDS_PER_MINUTE = 200
WORD_RE = re.compile(r"[\w'’-]+")


def count_words(html_or_text: str) -> int:
    return len(WORD_RE.findall(unescape(strip_tags(html_or_text or ""))))


def section_words(section: SectionPage) -> int:
    """The words a reader reads on the section page itself (not the linked resources)."""
    parts: list[str] = [section.title, section.introduction]
    for item in section.selected_resources.select_related("resource"):
        parts += [item.resource.title, item.resource.annotation, item.note]
    parts += [q.text for q in section.questions.all()]
    for item in section.follow.select_related("profile"):
        parts += [item.profile.name, item.profile.description]
    for action in section.actions.all():
        parts += [action.title, action.description]
    return sum(count_words(part) for part in parts)


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
