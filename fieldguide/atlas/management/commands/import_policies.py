from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.policy_csv import PolicyImportError, import_policy_csv


class Command(BaseCommand):
    help = (
        "Import policy records from a CSV file (all-or-nothing; see docs/atlas.md for the columns)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from exc
        try:
            result = import_policy_csv(data)
        except PolicyImportError as exc:
            raise CommandError(f"{path}: nothing was imported.\n{exc}") from exc
        self.stdout.write(
            f"{path}: {result.created} records created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
