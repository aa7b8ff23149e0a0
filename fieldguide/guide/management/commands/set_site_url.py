"""Write the site's public address into the default Wagtail Site record."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fieldguide.guide.public_address import AddressError, default_site, is_loopback, parse_site_url


class Command(BaseCommand):
    help = (
        "Set the default site's public address (hostname and port), used by editions, "
        "the sitemap and every absolute link, e.g. set_site_url https://guide.example.org"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("url")

    def handle(self, *args, url: str, **options) -> None:
        try:
            hostname, port = parse_site_url(url)
        except AddressError as error:
            raise CommandError(f"SITE_URL: {error}") from error
        site = default_site()
        if site is None:
            raise CommandError("There is no default site yet: run migrate first.")
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save()
        self.stdout.write(f"Public address: {site.root_url}")
        if is_loopback(hostname):
            self.stdout.write(
                "Note: this is a loopback address; editions and the sitemap will point "
                "readers to it. Set SITE_URL to the public address before handing them out."
            )
