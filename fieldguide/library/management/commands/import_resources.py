from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldguide.library.formats import guess_format, parse
from fieldguide.library.importing import apply, default_action, find_duplicate


class Command(BaseCommand):
    help = "Import references from a RIS, BibTeX or CSL-JSON file into the library."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=["ris", "bibtex", "csljson"])
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument("--on-duplicate", choices=["skip", "merge", "add"], default="skip")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot be read as UTF-8 text ({error})") from error
        fmt = options["format"] or guess_format(path.name, text)
        if not fmt:
            raise CommandError(f"{path}: format not recognised; pass --format ris|bibtex|csljson")
        counts = {"added": 0, "merged": 0, "skipped": 0, "failed": 0}
        for entry in parse(text, fmt):
            action = default_action(entry, options["on_duplicate"])
            if options["dry_run"]:
                self._report_dry(entry, action)
                counts[
                    "failed"
                    if not entry.ok
                    else {"add": "added", "merge": "merged", "skip": "skipped"}[action]
                ] += 1
                continue
            outcome = apply(entry, action)
            key = (
                "failed"
                if outcome.errors
                else {"add": "added", "merge": "merged", "skip": "skipped"}[action]
            )
            counts[key] += 1
            write = self.stderr.write if outcome.errors else self.stdout.write
            write(f"{path.name}: {outcome.describe()}")
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(
            f"{path.name}: {summary}{' (dry run: nothing saved)' if options['dry_run'] else ''}"
        )

    def _report_dry(self, entry, action):
        if not entry.ok:
            self.stderr.write(f"{entry.describe()}: would fail: " + "; ".join(entry.errors))
            return
        duplicate, reason = find_duplicate(entry.item)
        note = f" (duplicate of {duplicate.key}: {reason})" if duplicate else ""
        self.stdout.write(f"{entry.describe()}: would {action}{note}")
