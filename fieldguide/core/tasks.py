"""Background tasks of the core app."""

from __future__ import annotations

from django_tasks import task


@task()
def retry_front_cache() -> tuple[int, int]:
    """Send again the front-cache purges and bans that failed (core.front_cache)."""
    from .front_cache import retry_pending

    return retry_pending()
