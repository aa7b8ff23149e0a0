from django.core.management.base import BaseCommand, CommandError

from fieldguide.atlas.codebook import CodebookError
from fieldguide.atlas.policy_csv import PolicyImportError
from fieldguide.atlas.starter import load_all


class Command(BaseCommand):
    help = (
        "Load the atlas starter data: states and territories, codebooks, sourced policy "
        "records and the directory. Safe to run again (it updates in place). Run it after "
        "load_guide so directory entries link to 'Who To Follow' profiles."
    )

    def handle(self, *args, **options):
        try:
            counts = load_all()
        except (CodebookError, PolicyImportError) as exc:
            raise CommandError(f"Starter data is invalid, nothing was loaded:\n{exc}") from exc
        policies = counts["policies"]
        self.stdout.write(
            f"Atlas: {counts['jurisdictions']} jurisdictions, {counts['topics']} topics, "
            f"policy records: {policies.created} created, {policies.updated} updated, "
            f"{policies.unchanged} unchanged; "
            f"{counts['directory']} directory entries."
        )
