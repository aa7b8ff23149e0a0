from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from fieldguide.core.inline_css import INLINE_STYLESHEETS, inline_css

register = template.Library()


@register.simple_tag
def inline_stylesheet(path: str) -> SafeString:
    """A <style> element with the (minified) stylesheet; its hash is in the CSP."""
    if path not in INLINE_STYLESHEETS:
        raise template.TemplateSyntaxError(f"{path} is not listed in INLINE_STYLESHEETS")
    return format_html("<style>{}</style>", mark_safe(inline_css(path)))  # noqa: S308


@register.filter
def inline_summary(instance) -> str:
    """What a collapsed inline row is about (its resource, name or text), or "" for a
    new row and for models without a readable ``__str__``."""
    if instance is None or instance.pk is None:
        return ""
    text = str(instance)
    return "" if f"object ({instance.pk})" in text else Truncator(text).chars(80)
