import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.federal_import import ImportFailed
from fieldguide.atlas.geography import DATA
from fieldguide.atlas.reference_data import build


class Command(BaseCommand):
    help = (
        "Rebuild the compact reference files shipped in fieldguide/atlas/data/ (members of "
        "Congress; state legislators, governors and attorneys general; the manifest with "
        "source, license and each dataset's own date) from a folder holding "
        "congress-legislators/legislators-current.yaml and openstates-people/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="folder", type=Path, required=True)
        parser.add_argument(
            "--congress-as-of",
            type=dt.date.fromisoformat,
            required=True,
            help="the congress-legislators snapshot's date (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--openstates-as-of",
            type=dt.date.fromisoformat,
            required=True,
            help="the openstates/people commit's date (YYYY-MM-DD)",
        )
        parser.add_argument("--openstates-commit", required=True)
        parser.add_argument("--out", type=Path, default=DATA)

    def handle(self, *args, folder: Path, out: Path, **options):
        try:
            sizes = build(
                folder / "congress-legislators" / "legislators-current.yaml",
                folder / "openstates-people",
                options["congress_as_of"],
                options["openstates_as_of"],
                options["openstates_commit"],
                out,
            )
        except (ImportFailed, OSError, KeyError) as exc:
            raise CommandError(f"Nothing was written usefully: {exc}") from exc
        for name, size in sizes.items():
            self.stdout.write(f"{out / name}: {size:,} bytes")
