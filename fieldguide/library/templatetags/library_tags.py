from __future__ import annotations

from django import template

from ..citations import citations

register = template.Library()


@register.simple_tag
def resource_citations(resource) -> list:
    """[(style, html), ...] for the Cite disclosure, from the citation cache."""
    return citations(resource)
