from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.federal_import import ImportFailed, import_bills


class Command(BaseCommand):
    help = (
        "Import bills from official BILLSTATUS XML (govinfo.gov/bulkdata/BILLSTATUS): a file, "
        "a folder of .xml files, or a URL. All files are checked first; nothing is saved "
        "if any is malformed. Editors' notes (topics, why it matters, the ask) are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="file, folder or http(s) URL")

    def handle(self, *args, source: str, **options):
        try:
            bills = import_bills(source)
        except ImportFailed as exc:
            raise CommandError(f"Nothing was imported:\n{exc}") from exc
        for bill in bills:
            self.stdout.write(f"{bill.label}: {bill.status or bill.latest_action}")
        self.stdout.write(f"{len(bills)} bills imported from {source}.")
