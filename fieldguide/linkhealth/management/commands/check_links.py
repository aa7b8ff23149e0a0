"""``manage.py check_links``: check every external link the guide shows readers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fieldguide.linkhealth.runner import config_from_settings, run_checks


def _positive(kind: type, name: str):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            raise CommandError(f"--{name} must be a number, got {value!r}.") from None
        if number < 0:
            raise CommandError(f"--{name} must not be negative, got {value!r}.")
        return number

    return parse


class Command(BaseCommand):
    help = (
        "Visit every external link shown in the guide (resources, DOIs, profiles, actions, "
        "links in rich text), politely and concurrently, and record the results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", action="append", help="Check only this URL (repeatable).")
        parser.add_argument(
            "--stale-days",
            type=_positive(int, "stale-days"),
            help="Check only links not checked in this many days.",
        )
        parser.add_argument("--per-host", type=_positive(int, "per-host"), dest="per_host_limit")
        parser.add_argument("--delay", type=_positive(float, "delay"), dest="per_host_delay")
        parser.add_argument("--timeout", type=_positive(float, "timeout"))
        parser.add_argument("--retries", type=_positive(int, "retries"))

    def handle(self, *args, **options) -> None:
        if options["per_host_limit"] == 0:
            raise CommandError("--per-host must be at least 1.")
        config = config_from_settings(
            per_host_limit=options["per_host_limit"],
            per_host_delay=options["per_host_delay"],
            timeout=options["timeout"],
            retries=options["retries"],
        )
        summary = run_checks(urls=options["url"], stale_days=options["stale_days"], config=config)
        if summary.network_down:
            raise CommandError(summary.network_down)
        self.stdout.write(str(summary))
