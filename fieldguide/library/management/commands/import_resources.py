from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fieldguide.library.formats import guess_format, parse
from fieldguide.library.importing import apply, check, default_action, find_duplicate

DONE = {"add": "added", "merge": "merged", "skip": "skipped"}


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
        dry = options["dry_run"]
        for entry in parse(text, fmt):
            action = default_action(entry, options["on_duplicate"])
            if dry:
                # The same validation as a real run (importing.check/build), nothing saved.
                errors = check(entry, action)
                self._report_dry(entry, action, errors)
            else:
                outcome = apply(entry, action)
                errors = outcome.errors
                write = self.stderr.write if errors else self.stdout.write
                write(f"{path.name}: {outcome.describe()}")
            counts["failed" if errors else DONE[action]] += 1
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(f"{path.name}: {summary}{' (dry run: nothing saved)' if dry else ''}")
        if counts["failed"]:
            raise CommandError(
                f"{path.name}: {counts['failed']} entr{'y' if counts['failed'] == 1 else 'ies'} "
                f"{'would fail' if dry else 'failed'}; see the messages above."
            )

    def _report_dry(self, entry, action, errors):
        if errors:
            self.stderr.write(f"{entry.describe()}: would fail: " + "; ".join(errors))
            return
        duplicate, reason = find_duplicate(entry.item)
        note = f" (duplicate of {duplicate.key}: {reason})" if duplicate else ""
        self.stdout.write(f"{entry.describe()}: would {action}{note}")
