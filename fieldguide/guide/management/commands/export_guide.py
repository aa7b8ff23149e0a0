from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldguide.guide.exporting import export_bundle
from fieldguide.guide.loading import existing_guide


class Command(BaseCommand):
    help = (
        "Write a loaded guide, as it is in the database now (editors' changes included), "
        "as a bundle that load_guide reads (see docs/bundle-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The guide's slug, e.g. criminalization-and-health")
        parser.add_argument("output_dir", help="A new or empty folder to write the bundle to")

    def handle(self, *args, slug: str, output_dir: str, **options):
        home = existing_guide(slug)
        if home is None:
            raise CommandError(f"No guide with the slug '{slug}' is loaded.")
        target = Path(output_dir)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"{target} exists and is not an empty folder; nothing was written.")
        counts = export_bundle(home.specific, target)
        self.stdout.write(
            f"Wrote guide '{slug}' to {target}: {counts['sections']} sections, "
            f"{counts['pages']} other pages, {counts['resources']} resources, "
            f"{counts['profiles']} profiles, {counts['terms']} glossary terms."
        )
