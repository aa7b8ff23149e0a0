from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.codebook import CodebookError
from fieldguide.atlas.policy_csv import PolicyImportError
from fieldguide.atlas.starter import load_all


class Command(BaseCommand):
    help = (
        "Load the atlas starter data: states and territories, codebooks, sourced policy "
        "records, the directory, and the shipped members of Congress and state officials. "
        "Safe on every start: only what is missing is created, "
        "so editors' changes are kept (--update re-applies the starter files). Run it "
        "after load_guide so directory entries link to 'Who To Follow' profiles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring existing rows back in line with the starter files.",
        )

    def handle(self, *args, update: bool = False, **options):
        try:
            counts = load_all(update=update)
        except (CodebookError, PolicyImportError) as exc:
            raise CommandError(f"Starter data is invalid, nothing was loaded:\n{exc}") from exc
        policies = counts["policies"]
        if policies is None:
            policy_text = "policy records already present, kept as editors left them"
        else:
            policy_text = (
                f"policy records: {policies.created} created, {policies.updated} updated, "
                f"{policies.unchanged} unchanged"
            )
        self.stdout.write(
            f"Atlas: {counts['jurisdictions']} jurisdictions, {counts['topics']} topics, "
            f"{counts['directory']} directory entries; {policy_text}."
        )
        for name, record in counts["reference"].items():
            if record is None:
                self.stdout.write(f"Reference data ({name}): already loaded, as new or newer.")
            else:
                self.stdout.write(
                    f"Reference data ({name}): {record.record_count} records as of "
                    f"{record.data_date:%Y-%m-%d}, from {record.source}."
                )
