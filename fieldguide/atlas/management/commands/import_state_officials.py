import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.federal_import import ImportFailed
from fieldguide.atlas.reference_data import import_state_officials, openstates_rows


class Command(BaseCommand):
    help = (
        "Replace the state legislators, governors and attorneys general with those current "
        "on --as-of in an openstates/people checkout (CC0): the folder holding data/ and "
        "settings.yml (vacant seats)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            required=True,
            help="the checkout's commit date (YYYY-MM-DD): shown to readers and used to "
            "pick the roles current on that day",
        )

    def handle(self, *args, folder: Path, as_of: dt.date, **options):
        try:
            record = import_state_officials(openstates_rows(folder, as_of), str(folder), as_of)
        except ImportFailed as exc:
            raise CommandError(f"Nothing was imported:\n{exc}") from exc
        self.stdout.write(f"{record.record_count} state officials and vacant seats imported.")
