from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fieldguide.guide.bundle import BundleInvalid, read_bundle
from fieldguide.guide.loading import load_bundle


class Command(BaseCommand):
    help = (
        "Validate a guide bundle (YAML + Markdown, see docs/bundle-format.md) and load it. "
        "A bundle with any problem is rejected and nothing in the database changes; "
        "a guide that is already loaded is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The bundle folder, e.g. content/default")
        parser.add_argument(
            "--check", action="store_true", help="Only validate the bundle; write nothing."
        )
        parser.add_argument("--hostname", help="Serve this guide on its own host name.")
        parser.add_argument("--port", type=int, default=80)

    def handle(self, *args, path: str, check: bool, hostname: str | None, port: int, **options):
        try:
            bundle = read_bundle(path)
        except BundleInvalid as exc:
            count = len(exc.problems)
            raise CommandError(
                f"The bundle at {path} has {count} problem{'s' if count != 1 else ''}; "
                f"nothing was loaded:\n" + "\n".join(f"  {p}" for p in exc.problems)
            ) from exc
        if check:
            self.stdout.write(
                f"{path} is valid: {len(bundle.sections)} sections, {len(bundle.resources)} "
                f"resources, {len(bundle.profiles)} profiles, "
                f"{len(bundle.glossary['terms'])} glossary terms."
            )
            return
        report = load_bundle(bundle, hostname=hostname, port=port)
        for message in report.messages:
            self.stdout.write(message)
