"""Editions built in the background (django-tasks): after a publish, and on a reader's
first request for one that is not built yet.

With a queue backend (TASKS_BACKEND=database and ``manage.py db_worker``) no reader's
request builds a file. With the immediate backend (the embedded default, ``make
serve``) ``enqueue`` builds inline, as before, and nothing is built after a publish.
"""

from __future__ import annotations

import logging

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from .editions import EditionFormat, EditionKind, EditionSpec
from .errors import EditionBuildError

logger = logging.getLogger(__name__)
# What a worker builds after every publish: the whole-guide files readers ask for most.
AFTER_PUBLISH = [
    EditionSpec(kind, fmt)
    for kind in (EditionKind.GUIDE, EditionKind.DISCUSSION)
    for fmt in EditionFormat
]


def builds_inline() -> bool:
    """True when ``enqueue`` would build inside the caller's request."""
    return isinstance(build_edition.get_backend(), ImmediateBackend)


@task()
def build_edition(home_id: int, kind: str, fmt: str, section_slug: str = "") -> str:
    from fieldguide.guide.models import GuideHomePage

    from .store import get_or_build

    home = GuideHomePage.objects.live().filter(pk=home_id).first()
    if home is None:
        return "no such guide"
    spec = EditionSpec(EditionKind(kind), EditionFormat(fmt), section_slug)
    try:
        edition = get_or_build(home, spec)
    except EditionBuildError as error:
        logger.error("Edition build failed: %s", error)
        return f"failed: {error}"
    return f"{spec.filename} {edition.version} {'built' if edition.built else 'already built'}"


def enqueue_build(home_id: int, spec: EditionSpec) -> None:
    build_edition.enqueue(home_id, spec.kind.value, spec.fmt.value, spec.section_slug)


def build_after_publish(generation: int) -> None:
    """Queue the main editions of every live guide (a no-op for those already built)."""
    if builds_inline():
        return
    from fieldguide.guide.models import GuideHomePage

    from .store import known_size
    from .version import content_version

    for home in GuideHomePage.objects.live():
        version = content_version(home)
        for spec in AFTER_PUBLISH:
            if known_size(home, spec, version) is None:
                enqueue_build(home.pk, spec)
