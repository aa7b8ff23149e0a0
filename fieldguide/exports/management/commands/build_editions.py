"""manage.py build_editions: build every edition now (e.g. after a deploy or a publish)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fieldguide.exports.editions import guide_specs
from fieldguide.exports.errors import EditionBuildError
from fieldguide.exports.store import get_or_build
from fieldguide.exports.version import content_version
from fieldguide.guide.models import GuideHomePage


class Command(BaseCommand):
    help = (
        "Build the PDF and EPUB editions of every live guide (or of --guide SLUG) for the "
        "current content, so no reader waits for a build. Files already built are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--guide", default="", help="Only the guide with this slug.")

    def handle(self, *args, guide: str, **options) -> None:
        guides = GuideHomePage.objects.live()
        if guide:
            guides = guides.filter(slug=guide)
            if not guides.exists():
                raise CommandError(f"--guide: no live guide has the slug {guide!r}.")
        failures = []
        for home in guides:
            version = content_version(home)
            for spec in guide_specs([s.slug for s in home.sections()]):
                start = time.perf_counter()
                try:
                    edition = get_or_build(home, spec, version)
                except EditionBuildError as error:
                    failures.append(str(error))
                    self.stderr.write(f"{home.slug}: {error}")
                    continue
                state = (
                    f"built in {time.perf_counter() - start:.2f} s"
                    if edition.built
                    else "already built"
                )
                self.stdout.write(f"{home.slug}/{spec.filename}: {edition.size:,} bytes, {state}")
        if failures:
            raise CommandError(f"{len(failures)} edition(s) could not be built (see above).")
