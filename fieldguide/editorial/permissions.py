"""The permission each editorial view and action needs (one place, used by views and menus)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

#: Open the freshness dashboard.
FRESHNESS_PERMISSION = "editorial.view_sectionreview"
#: Record that a section was reviewed ("Mark as reviewed").
REVIEW_PERMISSION = "editorial.add_sectionreview"
#: Read, accept and decline reader suggestions.
MODERATE_PERMISSION = "editorial.change_resourcesuggestion"


def require(permission: str) -> Callable:
    """A view decorator: 403 unless the user has ``permission``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
