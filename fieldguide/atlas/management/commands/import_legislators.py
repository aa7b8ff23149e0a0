import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.federal_import import LEGISLATORS_URL, ImportFailed, import_legislators
from fieldguide.atlas.models import congress_on


class Command(BaseCommand):
    help = (
        "Replace the members of Congress with congress-legislators' legislators-current.yaml "
        f"(public domain), from a path or a URL (official: {LEGISLATORS_URL})."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=LEGISLATORS_URL, help="path or URL")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="the data's own date (YYYY-MM-DD), shown to readers; without it, the import date",
        )

    def handle(self, *args, source: str, as_of: dt.date | None = None, **options):
        try:
            record = import_legislators(source, as_of)
        except ImportFailed as exc:
            raise CommandError(f"Nothing was imported:\n{exc}") from exc
        self.stdout.write(
            f"{record.record_count} members of the {record.congress}th Congress "
            f"imported from {source}."
        )
        current = congress_on(record.imported_at.date())
        if record.congress < current:
            self.stderr.write(
                f"Warning: this data describes the {record.congress}th Congress, but the "
                f"{current}th is in session. Import a newer file."
            )
