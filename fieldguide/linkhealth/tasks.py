"""The link check as a background task (django-tasks, the backport Wagtail already uses).

With the default immediate backend, ``enqueue`` runs the check inline; with a queue
backend (e.g. django-tasks-db and ``manage.py db_worker``) it runs in the worker. The
simplest schedule is the cron line in docs/linkhealth.md, which calls the command.
"""

from __future__ import annotations

from django_tasks import task

from .runner import run_checks


@task()
def check_links_task(urls: list[str] | None = None, stale_days: int | None = None) -> str:
    return str(run_checks(urls=urls, stale_days=stale_days))
