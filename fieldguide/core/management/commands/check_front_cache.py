"""Report whether the front cache is reachable and a purge takes effect."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fieldguide.core import front_cache
from fieldguide.core.models import PendingPurge


class Command(BaseCommand):
    help = (
        "Fetch a page twice through the front cache (FRONT_CACHE_URL), purge it and fetch "
        "it again: reports reachability and whether the purge took effect. With --retry, "
        "first send again the purges that failed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", default="/", help="page to fetch and purge (default /)")
        parser.add_argument(
            "--retry", action="store_true", help="send failed purges and bans again first"
        )

    def handle(self, *args, path: str, retry: bool, **options) -> None:
        if retry:
            sent, failing = front_cache.retry_pending(due_only=False)
            self.stdout.write(f"Retried kept purges: {sent} sent, {failing} still failing.")
        ok = True
        for good, line in front_cache.check(path):
            ok &= good
            self.stdout.write(("OK   " if good else "FAIL ") + line)
        pending = PendingPurge.objects.count()
        self.stdout.write(f"Purges kept for retry: {pending}.")
        if not ok:
            raise CommandError("The front cache is not working as it should (see above).")
