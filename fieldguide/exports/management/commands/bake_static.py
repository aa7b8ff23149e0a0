"""manage.py bake_static OUTPUT_DIR: the public site as static files for any host or CDN."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import EmailValidator, URLValidator

from fieldguide.exports.static_site import BakeError, SiteBaker


class Command(BaseCommand):
    help = (
        "Bake every public page of the default site's guide, its editions and the static "
        "files they use into OUTPUT_DIR, to be served at the root of a static host."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output_dir", type=Path)
        parser.add_argument(
            "--contact-url",
            default="",
            help="A live contact form the static contact page points to.",
        )
        parser.add_argument(
            "--contact-email", default="", help="An address the static contact page shows."
        )

    def handle(
        self, *args, output_dir: Path, contact_url: str, contact_email: str, **options
    ) -> None:
        try:
            if contact_url:
                URLValidator(schemes=["http", "https"])(contact_url)
        except ValidationError as error:
            raise CommandError(
                f"--contact-url: {contact_url!r} is not an http(s) address."
            ) from error
        try:
            if contact_email:
                EmailValidator()(contact_email)
        except ValidationError as error:
            raise CommandError(
                f"--contact-email: {contact_email!r} is not an email address."
            ) from error
        try:
            report = SiteBaker(output_dir.resolve(), contact_url, contact_email).bake()
        except BakeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Baked {report.pages} pages and {report.files - report.pages} other files "
            f"({report.total_bytes:,} bytes) into {report.output}"
        )
        if report.broken:
            lines = [
                f"  {referrer} -> {path} ({status})" for referrer, path, status in report.broken
            ]
            raise CommandError("Some internal links are broken:\n" + "\n".join(lines))
