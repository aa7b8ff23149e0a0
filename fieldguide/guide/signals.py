from __future__ import annotations

from wagtail.signals import page_published

from .freshness import record_content
from .models import SectionPage


def on_section_published(sender, instance, **kwargs) -> None:
    record_content(instance)


page_published.connect(on_section_published, sender=SectionPage)
