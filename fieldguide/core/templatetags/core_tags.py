from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from fieldguide.core.inline_css import INLINE_STYLESHEETS, inline_css

register = template.Library()


@register.simple_tag
def inline_stylesheet(path: str) -> SafeString:
    """A <style> element with the (minified) stylesheet; its hash is in the CSP."""
    if path not in INLINE_STYLESHEETS:
        raise template.TemplateSyntaxError(f"{path} is not listed in INLINE_STYLESHEETS")
    return format_html("<style>{}</style>", mark_safe(inline_css(path)))  # noqa: S308
