from __future__ import annotations

from django.core.management.base import BaseCommand

from fieldguide.library.crossref import fetch_entries
from fieldguide.library.importing import apply, default_action


class Command(BaseCommand):
    help = "Add resources by DOI, with metadata from Crossref (CROSSREF_API_URL)."

    def add_arguments(self, parser):
        parser.add_argument("doi", nargs="+")
        parser.add_argument("--on-duplicate", choices=["skip", "merge", "add"], default="skip")

    def handle(self, *args, **options):
        failed = 0
        for entry in fetch_entries(options["doi"]):
            outcome = apply(entry, default_action(entry, options["on_duplicate"]))
            failed += bool(outcome.errors)
            (self.stderr if outcome.errors else self.stdout).write(outcome.describe())
        self.stdout.write(
            f"{len(options['doi']) - failed} of {len(options['doi'])} DOIs imported or skipped"
        )
